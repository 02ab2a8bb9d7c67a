import Foundation

/// Header pages drawn for the OCR tests: pango-view renders each piece with DejaVu, pdftoppm
/// rasterises it at 300 dpi, the pieces are placed on an A4-wide band, marks stamped in red and
/// the page skewed. Shared by HeaderReadingTests and SystemTests (a symlink in SystemTests: test
/// targets cannot depend on each other).
enum HeaderPage {
    struct Piece {
        var text: String
        var x: Int
        var y: Int
        var size = 13
        var bold = false
        var red = false
    }

    static let tools = ["/usr/bin/pango-view", "/usr/bin/pdftoppm"]

    /// Renders one piece to gray pixels.
    static func render(_ piece: Piece, in directory: String) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        let base = directory + "/piece-\(UUID().uuidString.prefix(8))"
        try run("/usr/bin/pango-view", ["--font=DejaVu Serif \(piece.bold ? "Bold " : "")\(piece.size)", "--dpi=300", "-q", "--margin=0",
                                        "-o", base + ".pdf", "--text", piece.text])
        try run("/usr/bin/pdftoppm", ["-r", "300", "-gray", "-singlefile", base + ".pdf", base])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: base + ".pgm")))
        let header = String(decoding: bytes.prefix(40), as: UTF8.self).split(whereSeparator: \.isWhitespace)
        let width = Int(header[1]) ?? 0, height = Int(header[2]) ?? 0
        return (width, height, Array(bytes.suffix(width * height)))
    }

    /// An A4-wide colour band (2480 × 1400) with the pieces, skewed by `degrees`, as a P6 file.
    static func draw(_ pieces: [Piece], degrees: Double, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let width = 2480, height = 1400
        var canvas = [UInt8](repeating: 255, count: width * height * 3)
        for piece in pieces {
            let glyphs = try render(piece, in: directory)
            for y in 0..<glyphs.height where piece.y + y < height {
                for x in 0..<glyphs.width where piece.x + x < width {
                    let ink = 255 - Int(glyphs.pixels[y * glyphs.width + x])
                    guard ink > 0 else { continue }
                    let at = ((piece.y + y) * width + piece.x + x) * 3
                    if piece.red {
                        canvas[at + 1] = UInt8(max(0, Int(canvas[at + 1]) - ink))
                        canvas[at + 2] = UInt8(max(0, Int(canvas[at + 2]) - ink))
                    } else {
                        for c in 0..<3 { canvas[at + c] = UInt8(max(0, Int(canvas[at + c]) - ink)) }
                    }
                }
            }
        }
        // Skew: rotate about the centre (nearest neighbour), as a page fed at a slight angle.
        let angle = degrees * .pi / 180, (c, s) = (cos(angle), sin(angle))
        var skewed = [UInt8](repeating: 255, count: canvas.count)
        for y in 0..<height {
            for x in 0..<width {
                let dx = Double(x - width / 2), dy = Double(y - height / 2)
                let sx = Int(c * dx + s * dy) + width / 2, sy = Int(-s * dx + c * dy) + height / 2
                guard sx >= 0, sx < width, sy >= 0, sy < height else { continue }
                for k in 0..<3 { skewed[(y * width + x) * 3 + k] = canvas[(sy * width + sx) * 3 + k] }
            }
        }
        var file = Data("P6\n\(width) \(height)\n255\n".utf8)
        file.append(contentsOf: skewed)
        try file.write(to: URL(fileURLWithPath: path))
    }

    static func run(_ program: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    static func layout(body: String, parent: String, notation: String, place: String, date: (Int, Int, Int), type: String?,
                       summary: String, marks: [String], party: Bool = false) -> [Piece] {
        var pieces = [
            Piece(text: parent, x: 120, y: 60, size: 12),
            Piece(text: party ? "ĐẢNG CỘNG SẢN VIỆT NAM" : "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", x: 1250, y: 60, size: 12, bold: true),
            Piece(text: body, x: 200, y: 130, size: 12, bold: true),
            Piece(text: party ? "" : "Độc lập - Tự do - Hạnh phúc", x: 1450, y: 130, size: 13, bold: true),
            Piece(text: "Số: \(notation)", x: 220, y: 260, size: 13),
            Piece(text: "\(place), ngày \(date.0) tháng \(date.1) năm \(date.2)", x: 1300, y: 260, size: 13),
        ].filter { !$0.text.isEmpty }
        for (index, mark) in marks.enumerated() {
            pieces.append(Piece(text: mark, x: 260, y: 380 + index * 110, size: 18, bold: true, red: true))
        }
        if let type {
            pieces.append(Piece(text: type, x: 1050, y: 700, size: 14, bold: true))
            pieces.append(Piece(text: summary, x: 700, y: 800, size: 13, bold: true))
        } else {
            pieces.append(Piece(text: "V/v \(summary)", x: 180, y: 700, size: 12))
        }
        return pieces
    }
}
