internal import FoundationEssentials
internal import Glibc
internal import IntakeCore

/// Small helpers that spell PDF tokens.
package enum PDFSyntax {
    /// A text string: a literal `( )` for printable ASCII, otherwise UTF-16BE with BOM as hex.
    /// Text is NFC-normalised first (TCVN 6909), so Vietnamese titles compare and display alike.
    static func textString(_ text: String) -> String {
        let nfc = text.nfcNormalized
        if nfc.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) {
            var out = "("
            for c in nfc.unicodeScalars {
                switch c {
                case "(", ")", "\\": out += "\\" + String(c)
                default: out.unicodeScalars.append(c)
                }
            }
            return out + ")"
        }
        var hex = "<FEFF"
        for unit in nfc.utf16 { hex += String(printf: "%04X", unit) }
        return hex + ">"
    }

    /// `D:YYYYMMDDHHmmSS+07'00'` in the given zone.
    static func date(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return String(printf: "D:%04d%02d%02d%02d%02d%02d",
                      c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
            + sign + String(printf: "%02d'%02d'", minutes / 60, minutes % 60)
    }

    /// A real number without exponent, at most 4 decimals, trailing zeros dropped.
    package static func number(_ value: Double) -> String {
        var s = String(printf: "%.4f", value)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }
}
