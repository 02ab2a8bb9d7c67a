import Imaging
public import Scanning
public import PagePipeline

/// The digitisation rules of Decree 30/2020, Phụ lục I, for the copy of a registered document:
/// colour images (ảnh màu), at least 200 dpi, in a PDF of version 1.4 or newer, at 100 % scale.
/// Registered profiles must meet them (`config validate`, and again at scan time with the
/// flags laid over the profile); scan-to-file (`intake scan --output`) may use any mode.
public enum DigitisationRule: String, Sendable, CaseIterable {
    case colour
    case resolution
    case pdfVersion = "pdf-version"

    public static let minimumResolution = ProfileLimits.registeredMinimumResolution

    /// The rule's name as the technician reads it, with the decree's words.
    public var title: String {
        switch self {
        case .colour: "Decree 30/2020 Phụ lục I, colour images (ảnh màu)"
        case .resolution: "Decree 30/2020 Phụ lục I, at least \(Self.minimumResolution) dpi"
        case .pdfVersion: "Decree 30/2020 Phụ lục I, PDF 1.4 or newer"
        }
    }

    /// One broken rule: which, and what was asked for instead.
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        public var rule: DigitisationRule
        public var found: String
        public var fix: String
        public var description: String { "\(found) breaks the digitisation rule (\(rule.title)); \(fix)" }
    }

    /// The rules a registered scan with these settings breaks (empty: it may be registered).
    public static func violations(mode: ScanMode, resolution: Int, format: OutputFormat = .pdf) -> [Violation] {
        var found: [Violation] = []
        if mode != .color {
            found.append(Violation(rule: .colour, found: "mode \"\(mode.rawValue)\"",
                                   fix: "use mode = \"Color\" for registered profiles; other modes only with `intake scan --output`"))
        }
        if resolution < minimumResolution {
            found.append(Violation(rule: .resolution, found: "\(resolution) dpi",
                                   fix: "use resolution = \(minimumResolution) or more (300 is usual)"))
        }
        let version = PDFWriter.version.split(separator: ".").compactMap { Int($0) }
        if format != .pdf || version.count != 2 || version[0] < 1 || (version[0] == 1 && version[1] < 4) {
            found.append(Violation(rule: .pdfVersion, found: format == .pdf ? "PDF \(PDFWriter.version)" : "format \(format.rawValue)",
                                   fix: "the registered copy is written as PDF \(PDFWriter.version); other formats only with `intake scan --output`"))
        }
        return found
    }
}

extension DigitisationRule {
    /// Refuses a registered scan whose settings (the profile with any flags laid over it) break
    /// a rule, before any paper moves.
    public static func check(_ profile: Configuration.Profile, name: String) throws {
        let broken = violations(mode: profile.mode, resolution: profile.resolution)
        guard broken.isEmpty else {
            throw PipelineError.digitisation(profile: name, detail: broken.map(\.description).joined(separator: "; "))
        }
    }
}

extension PipelineError {
    static func digitisation(profile: String, detail: String) -> PipelineError {
        PipelineError(
            code: .digitisation,
            message: "Hồ sơ quét '\(profile)' không đạt quy định số hóa (ảnh màu, từ 200 dpi) — chưa quét gì, gọi kỹ thuật viên.",
            detail: "profile \(profile): \(detail)")
    }
}
