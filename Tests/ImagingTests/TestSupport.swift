import Foundation
@testable import Imaging

// MARK: - Synthetic pages

/// A drawable raster for tests. Bilevel: bit set = black; gray/RGB: 0 = black.
struct Canvas {
    var raster: Raster

    init(width: Int, height: Int, space: ColorSpace, dpi: Double = 300, padding: Int = 0) {
        let bits = space == .bilevel ? 1 : 8
        let spp = space == .rgb ? 3 : 1
        let stride = Raster.minimumBytesPerRow(width: width, bitsPerSample: bits, samplesPerPixel: spp) + padding
        raster = Raster(width: width, height: height, bitsPerSample: bits, samplesPerPixel: spp, bytesPerRow: stride,
                        xResolution: dpi, yResolution: dpi,
                        pixels: [UInt8](repeating: space == .bilevel ? 0 : 255, count: stride * height))
    }

    /// Fills a rectangle with ink (`level` for gray/RGB; any level < 128 sets bilevel bits).
    mutating func fill(x: Int, y: Int, width: Int, height: Int, level: UInt8 = 0) {
        let r = raster
        let xs = max(0, x)..<min(r.width, x + width)
        let ys = max(0, y)..<min(r.height, y + height)
        raster.pixels.withUnsafeMutableBufferPointer { p in
            for yy in ys {
                let row = yy * r.bytesPerRow
                switch r.samplesPerPixel == 3 ? 2 : r.bitsPerSample == 1 ? 0 : 1 {
                case 0:
                    for xx in xs {
                        let bit = UInt8(0x80) >> UInt8(xx % 8)
                        if level < 128 { p[row + xx / 8] |= bit } else { p[row + xx / 8] &= ~bit }
                    }
                case 1:
                    for xx in xs { p[row + xx] = level }
                default:
                    for xx in xs { p[row + xx * 3] = level; p[row + xx * 3 + 1] = level; p[row + xx * 3 + 2] = level }
                }
            }
        }
    }

    /// One line of text-like glyphs: stems, bars and bowls ~ 12 pt at the raster's dpi.
    mutating func textLine(y: Int, fromX: Int, toX: Int, seed: UInt64 = 1) {
        var rng = SeededGenerator(seed: seed)
        let scale = raster.xResolution / 300
        let cap = Int(35 * scale), stroke = max(1, Int(4 * scale)), advance = Int(26 * scale)
        var x = fromX
        while x + advance < toX {
            if Int.random(in: 0..<7, using: &rng) == 0 { x += advance; continue }  // word space
            let glyphWidth = Int(Double(advance) * 0.75)
            fill(x: x, y: y, width: stroke, height: cap)  // stem
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: fill(x: x, y: y + cap - stroke, width: glyphWidth, height: stroke)  // baseline bar
            case 1: fill(x: x, y: y + cap / 2, width: glyphWidth, height: stroke)  // middle bar
            default: fill(x: x + glyphWidth - stroke, y: y + cap / 3, width: stroke, height: cap * 2 / 3)  // second stem
            }
            x += advance
        }
    }

    /// Scattered isolated specks (1–2 px), like dust and scanner noise.
    mutating func specks(count: Int, seed: UInt64 = 7) {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<count {
            let size = Int.random(in: 1...2, using: &rng)
            fill(x: Int.random(in: 0..<raster.width, using: &rng), y: Int.random(in: 0..<raster.height, using: &rng),
                 width: size, height: size, level: UInt8.random(in: 0...120, using: &rng))
        }
    }

    /// A smooth colour (or gray) gradient over the whole page, like a photo or a coloured form.
    mutating func gradient() {
        let r = raster
        raster.pixels.withUnsafeMutableBufferPointer { p in
            for y in 0..<r.height {
                let row = y * r.bytesPerRow
                let gy = UInt8(truncatingIfNeeded: 64 + y * 160 / r.height)
                for x in 0..<r.width {
                    let gx = UInt8(truncatingIfNeeded: 64 + x * 160 / r.width)
                    if r.samplesPerPixel == 3 {
                        p[row + x * 3] = gx; p[row + x * 3 + 1] = gy; p[row + x * 3 + 2] = 200
                    } else {
                        p[row + x] = UInt8((Int(gx) + Int(gy)) / 2)
                    }
                }
            }
        }
    }
}

/// SplitMix64: deterministic pseudo-random input so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Whether two bilevel rasters have the same pixels (padding bits ignored).
func sameBilevelPixels(_ a: Raster, _ aStride: Int, _ b: [UInt8], _ bStride: Int) -> Bool {
    let full = a.width / 8, rest = a.width % 8
    let mask = UInt8(0xFF) << UInt8(8 - rest)
    for y in 0..<a.height {
        for i in 0..<full where a.pixels[y * aStride + i] != b[y * bStride + i] { return false }
        if rest > 0 && (a.pixels[y * aStride + full] & mask) != (b[y * bStride + full] & mask) { return false }
    }
    return true
}

// MARK: - Files and tools

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("imaging-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

struct ToolResult {
    var status: Int32
    var output: String
    var data: Data
}

/// Runs /usr/bin/<tool> and captures stdout+stderr.
func runTool(_ tool: String, _ arguments: [String]) throws -> ToolResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ToolResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self), data: data)
}

/// A binary PGM (P5, maxval 255) as written by `pdftoppm -gray`.
struct GrayMap {
    var width: Int, height: Int
    var pixels: [UInt8]

    init(path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var tokens: [String] = []
        var i = 0
        var current = ""
        while tokens.count < 4 && i < bytes.count {
            let c = bytes[i]
            i += 1
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\t") {
                if !current.isEmpty { tokens.append(current); current = "" }
            } else {
                current.append(Character(UnicodeScalar(c)))
            }
        }
        guard tokens.count == 4, tokens[0] == "P5", let w = Int(tokens[1]), let h = Int(tokens[2]) else {
            throw ImagingError(code: .invalidRaster, message: "bad PGM", detail: path)
        }
        width = w
        height = h
        pixels = Array(bytes[i..<min(bytes.count, i + w * h)])
    }

    subscript(x: Int, y: Int) -> UInt8 { pixels[y * width + x] }

    /// Mean gray of a rectangle.
    func mean(x: Int, y: Int, width w: Int, height h: Int) -> Double {
        var sum = 0
        for yy in y..<(y + h) { for xx in x..<(x + w) { sum += Int(self[xx, yy]) } }
        return Double(sum) / Double(w * h)
    }
}
