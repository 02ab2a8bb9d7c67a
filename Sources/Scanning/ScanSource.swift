public import IntakeCore

/// Logical paper source of a profile; `SaneScanner.apply` maps it to the device's own source names.
public enum ScanSource: String, Sendable, Codable, CaseIterable, DomainWord {
    case flatbed = "Flatbed"
    case adf = "ADF"
    case adfDuplex = "ADF Duplex"

    public static let vocabularyName = "source"
    public var word: String { rawValue }
}
