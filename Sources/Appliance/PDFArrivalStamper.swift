import Foundation
import Imaging
public import Registry
public import Stamping

/// The register's stamper: draws the ĐẾN stamp (Imaging's `PDFStamper`) with the office's name
/// and the entry's number, date and time in Vietnam time, where the configuration puts it.
public struct PDFArrivalStamper: DocumentStamper {
    public var organisation: String
    public var placement: StampPlacement
    public var fontPath: String

    public init(organisation: String, placement: StampPlacement = StampPlacement(),
                fontPath: String = ArrivalStamp.defaultFontPath) {
        self.organisation = organisation
        self.placement = placement
        self.fontPath = fontPath
    }

    public init(configuration: Configuration) {
        self.init(organisation: configuration.organisationName.isEmpty ? configuration.organisationCode : configuration.organisationName,
                  placement: StampPlacement(corner: configuration.stamp.position, marginMM: configuration.stamp.marginMM),
                  fontPath: configuration.stamp.fontPath)
    }

    /// Stamps a PDF as scanned. A PDF this program stamped once already — the pages of a
    /// document whose secrecy was corrected and then corrected back, re-registered under a new
    /// number — gets its stamp replaced by a second incremental update instead (the earlier
    /// bytes, first stamp included, stay in the file); anything else is refused as before.
    public func stamp(pdfAt path: String, entry: StampEntry) throws {
        let stamp = arrivalStamp(for: entry)
        do {
            try PDFStamper.stamp(pdfAt: path, with: stamp)
        } catch let stampError as ImagingError where stampError.code == .unstampable {
            do {
                try PDFStamper.restamp(pdfAt: path, with: stamp)
            } catch {
                throw stampError
            }
        }
    }

    /// Cuts the stamp's font subset ahead (every digit in it, so any number, date and time fits).
    public func prepare(for entry: StampEntry) {
        try? PDFStamper.prepare(arrivalStamp(for: entry))
    }

    /// The stamp's values: Ngày dd/MM/yyyy and Giờ HH:mm in the register's zone (Vietnam time).
    public func arrivalStamp(for entry: StampEntry) -> ArrivalStamp {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = entry.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: entry.arrivedAt)
        return ArrivalStamp(
            organisation: organisation,
            number: entry.numberText,
            date: String(format: "%02d/%02d/%04d", c.day ?? 0, c.month ?? 0, c.year ?? 0),
            time: String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0),
            forwardedTo: entry.fields.recipient ?? "",
            fileNotation: "",
            placement: placement,
            fontPath: fontPath)
    }
}
