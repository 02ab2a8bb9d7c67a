internal import Foundation
internal import Imaging

/// The ĐẾN stamp of Decree 30/2020 (Phụ lục IV mục V) as it is drawn on page 1: the
/// organisation's name, ĐẾN, Số, Ngày, Giờ, Chuyển and Số và ký hiệu hồ sơ, in a 50 × 35 mm frame.
/// Values are already formatted (Vietnam time); an empty value leaves a dotted line to fill by hand.
public struct ArrivalStamp: Sendable, Equatable {
    public var organisation: String
    /// Số đến, e.g. "12".
    public var number: String
    /// dd/MM/yyyy.
    public var date: String
    /// HH:mm.
    public var time: String
    /// Chuyển: the unit or person it is forwarded to.
    public var forwardedTo: String
    /// Số và ký hiệu hồ sơ.
    public var fileNotation: String
    public var placement: StampPlacement
    /// A TrueType font with Vietnamese glyphs; DejaVu Sans from fonts-dejavu-core by default.
    public var fontPath: String

    public static let defaultFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

    public init(organisation: String, number: String, date: String, time: String, forwardedTo: String = "",
                fileNotation: String = "", placement: StampPlacement = StampPlacement(),
                fontPath: String = ArrivalStamp.defaultFontPath) {
        self.organisation = organisation
        self.number = number
        self.date = date
        self.time = time
        self.forwardedTo = forwardedTo
        self.fileNotation = fileNotation
        self.placement = placement
        self.fontPath = fontPath
    }

    /// Width and height of the decree's model, in points.
    static let width = 50 / 25.4 * 72
    static let height = 35 / 25.4 * 72

    // MARK: - Layout

    /// One line of text at a position inside the frame (points, origin bottom-left of the frame).
    struct Line {
        var text: String
        var x: Double
        var baseline: Double
        var size: Double
    }

    /// Dotted lines to fill by hand: from x1 to x2 at y.
    struct Leader {
        var x1: Double
        var x2: Double
        var y: Double
    }

    /// The text lines of the stamp, NFC-normalised (TCVN 6909), measured with `width(of:size:)`.
    func layout(width measure: (String, Double) -> Double) -> (lines: [Line], leaders: [Leader]) {
        let w = Self.width
        let h = Self.height
        let pad = 4.0
        var lines: [Line] = []
        var leaders: [Leader] = []

        let organisation = Self.nfc(organisation).uppercased()
        if !organisation.isEmpty {
            let available = w - 2 * pad
            let natural = measure(organisation, 1)
            let size = natural > 0 ? min(7.5, available / natural) : 7.5
            if size >= 5.5 {
                lines.append(Line(text: organisation, x: (w - natural * size) / 2, baseline: h - 12, size: size))
            } else {
                // A long name goes on two lines, split at the space nearest the middle.
                let (first, second) = Self.halves(organisation, measure: measure)
                let size = min(6.5, available / max(measure(first, 1), measure(second, 1), 1))
                lines.append(Line(text: first, x: (w - measure(first, 1) * size) / 2, baseline: h - 9, size: size))
                lines.append(Line(text: second, x: (w - measure(second, 1) * size) / 2, baseline: h - 16.5, size: size))
            }
        }
        lines.append(Line(text: "ĐẾN", x: pad + 1, baseline: h - 45, size: 13))

        let column = 46.0
        func field(_ label: String, _ value: String, x: Double, baseline: Double, size: Double) {
            let value = Self.nfc(value)
            let text = value.isEmpty ? label : label + " " + value
            let available = w - pad - x
            let natural = measure(text, 1)
            let fitted = natural > 0 ? min(size, available / natural) : size
            lines.append(Line(text: text, x: x, baseline: baseline, size: fitted))
            if value.isEmpty {
                let end = x + natural * fitted + 2
                if end < w - pad { leaders.append(Leader(x1: end, x2: w - pad, y: baseline)) }
            }
        }
        field("Số:", number, x: column, baseline: h - 30, size: 9)
        field("Ngày:", date, x: column, baseline: h - 44, size: 8)
        field("Giờ:", time, x: column, baseline: h - 58, size: 8)
        field("Chuyển:", forwardedTo, x: pad, baseline: h - 74, size: 7.5)
        field("Số và ký hiệu hồ sơ:", fileNotation, x: pad, baseline: h - 89, size: 7.5)
        return (lines, leaders)
    }

    /// The text split at the space that makes the two halves closest in width.
    static func halves(_ text: String, measure: (String, Double) -> Double) -> (String, String) {
        let words = text.split(separator: " ").map(String.init)
        guard words.count > 1 else { return (text, "") }
        var best = (text, "")
        var bestDifference = Double.infinity
        for cut in 1..<words.count {
            let first = words[..<cut].joined(separator: " ")
            let second = words[cut...].joined(separator: " ")
            let difference = abs(measure(first, 1) - measure(second, 1))
            if difference < bestDifference { best = (first, second); bestDifference = difference }
        }
        return best
    }

    /// Every character a number ("T-12"), date (dd/MM/yyyy) or time (HH:mm) can bring.
    static let variableCharacters = Set("0123456789T-/:".unicodeScalars)

    /// Every character the stamp draws (the font subset is cut to these).
    func characters() -> Set<Unicode.Scalar> {
        var set = Set<Unicode.Scalar>()
        for line in layout(width: { text, _ in Double(text.unicodeScalars.count) * 0.6 }).lines {
            set.formUnion(line.text.unicodeScalars)
        }
        return set
    }

    static func nfc(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            scalars.append(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? " " : scalar)
        }
        return String(scalars)
    }
}

/// Where on page 1 the stamp goes: a corner of the page and the distance from its two edges.
/// The default is the top-right margin, where Vietnamese official letters leave room for it.
public struct StampPlacement: Sendable, Equatable {
    public enum Corner: String, Sendable, CaseIterable {
        case topRight = "top-right", topLeft = "top-left", bottomRight = "bottom-right", bottomLeft = "bottom-left"
    }

    public var corner: Corner
    /// Distance from the page's edges, in millimetres.
    public var marginMM: Double

    public init(corner: Corner = .topRight, marginMM: Double = 8) {
        self.corner = corner
        self.marginMM = marginMM
    }

    /// The frame's origin and scale on a page of the given size (points): the stamp keeps the
    /// decree's size unless the page is too small to hold it with its margins, then it shrinks.
    func frame(pageWidth: Double, pageHeight: Double) -> (x: Double, y: Double, scale: Double) {
        let margin = max(0, marginMM) / 25.4 * 72
        let w = ArrivalStamp.width
        let h = ArrivalStamp.height
        let scale = min(1, pageWidth / (w + 2 * margin), pageHeight / (h + 2 * margin))
        let sw = w * scale
        let sh = h * scale
        let m = margin * scale
        switch corner {
        case .topRight: return (pageWidth - m - sw, pageHeight - m - sh, scale)
        case .topLeft: return (m, pageHeight - m - sh, scale)
        case .bottomRight: return (pageWidth - m - sw, m, scale)
        case .bottomLeft: return (m, m, scale)
        }
    }
}
