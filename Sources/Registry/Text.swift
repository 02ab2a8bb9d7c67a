import Foundation

/// Text normalisation for everything stored in the register.
enum Text {
    /// NFC-normalised, surrounding whitespace trimmed.
    static func nfc(_ string: String) -> String {
        string.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
