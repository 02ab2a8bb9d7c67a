/// Text that crosses a trust boundary: what may be stored, and how it is shown.
public enum SafeText {
    /// A character that must not be stored in a register field: NUL and the other C0/C1 controls
    /// (tab and newline excepted where `allowingLineBreaks`), and the Unicode bidi overrides
    /// that let a row display as something else.
    public static func isForbidden(_ scalar: Unicode.Scalar, allowingLineBreaks: Bool) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: return !allowingLineBreaks
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// The first forbidden character in `text`, if any.
    public static func firstForbidden(in text: String, allowingLineBreaks: Bool = false) -> Unicode.Scalar? {
        text.unicodeScalars.first { isForbidden($0, allowingLineBreaks: allowingLineBreaks) }
    }

    /// `text` safe to print on a terminal: control characters (ANSI escapes included) shown as
    /// \u{…} instead of acting on the terminal.
    public static func escapedForDisplay(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if isForbidden(scalar, allowingLineBreaks: false) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
