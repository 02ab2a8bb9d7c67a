import Imaging
public import Registry
import Stamping

/// A provisional number ("T-3") confirmed by the centre: page 1 gets the final number by a
/// second incremental update (Imaging's `PDFStamper.restamp`); the provisional stamp's bytes stay.
extension PDFArrivalStamper: DocumentRestamper {
    public func restamp(pdfAt path: String, entry: StampEntry) throws {
        try PDFStamper.restamp(pdfAt: path, with: arrivalStamp(for: entry))
    }
}
