import Foundation
import IntakeCore

/// Text normalisation for everything stored in the register.
enum Text {
    /// NFC-normalised, surrounding whitespace trimmed.
    static func nfc(_ string: String) -> String {
        string.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Refuses at the door what must never be stored: NUL (SQLite would keep only what comes
    /// before it while the audit hash covers all of it), other control characters and bidi
    /// overrides. Line breaks are allowed in free text.
    static func checked(_ string: String, field: String) throws -> String {
        if let bad = SafeText.firstForbidden(in: string, allowingLineBreaks: true) {
            throw RegistryError.invalidField(
                "Trường \(field) có ký tự điều khiển không được phép.",
                detail: "\(field) contains U+\(String(bad.value, radix: 16, uppercase: true)); control characters are refused")
        }
        return string
    }
}
