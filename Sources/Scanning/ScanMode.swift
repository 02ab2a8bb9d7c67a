public import IntakeCore

/// Logical colour mode of a profile; `SaneScanner.apply` maps it to the device's own mode names.
public enum ScanMode: String, Sendable, Codable, CaseIterable, DomainWord {
    case color = "Color"
    case gray = "Gray"
    case lineart = "Lineart"

    public static let vocabularyName = "mode"
    public var word: String { rawValue }
}
