// intake-ocr: reads the header band of page 1 with Tesseract (Vietnamese) and prints the lines
// and the fields as JSON. Its own small executable, started on demand with OMP_THREAD_LIMIT=1,
// so neither the daemon nor the scan path ever maps Tesseract, OpenMP or the model.
//
//   intake-ocr [--band 0.4] [--tessdata DIR] FILE.pdf|FILE.pnm|FILE.ppm|FILE.pgm
import CTesseract
import Foundation
import HeaderReading
import Imaging

struct Failure: Error, CustomStringConvertible { var description: String }

struct Output: Encodable {
    var width: Int
    var height: Int
    var bandHeight: Int
    var seconds: Double
    var lines: [OCRLine]
    /// Every word of the gray pass with its box in pixels of page 1 (origin top left, `width` ×
    /// `height`): what an invisible text layer is built from.
    var words: [OCRLine]
    var fields: HeaderFields
}

/// Gray (luma) and red-ink planes of the top band: stamps are red, and a red mark over black
/// text reads best on its own.
struct Band {
    var width: Int
    var height: Int
    var gray: [UInt8]
    var red: [UInt8]
    var hasRed: Bool

    init(_ raster: Raster, fraction: Double) throws {
        guard raster.bitsPerSample == 8 else { throw Failure(description: "page 1 is lineart; header OCR reads gray or colour pages") }
        width = raster.width
        height = max(1, min(raster.height, Int(Double(raster.height) * fraction)))
        gray = [UInt8](repeating: 255, count: width * height)
        red = [UInt8](repeating: 255, count: width * height)
        var redPixels = 0
        for y in 0..<height {
            let row = y * raster.bytesPerRow
            for x in 0..<width {
                if raster.samplesPerPixel == 3 {
                    let r = Int(raster.pixels[row + 3 * x]), g = Int(raster.pixels[row + 3 * x + 1]), b = Int(raster.pixels[row + 3 * x + 2])
                    gray[y * width + x] = UInt8((299 * r + 587 * g + 114 * b) / 1000)
                    if r > 120 && r - max(g, b) > 60 {
                        red[y * width + x] = 0
                        redPixels += 1
                    }
                } else {
                    gray[y * width + x] = raster.pixels[row + x]
                }
            }
        }
        hasRed = redPixels > width * height / 2000
    }
}

func readImage(_ path: String) throws -> Raster {
    guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "cannot read \(path)") }
    let bytes = [UInt8](data)
    if bytes.starts(with: Array("%PDF".utf8)) { return try firstJPEG(in: bytes) }
    if bytes.starts(with: Array("P5".utf8)) || bytes.starts(with: Array("P6".utf8)) { return try pnm(bytes) }
    throw Failure(description: "\(path): not a PDF or binary PNM (P5/P6)")
}

/// The first JPEG image of a PDF (page 1 of an Intake PDF).
func firstJPEG(in bytes: [UInt8]) throws -> Raster {
    let filter = Array("/DCTDecode".utf8), end = Array("endstream".utf8)
    guard let at = bytes.firstRange(of: filter)?.upperBound,
          let start = bytes[at...].firstRange(of: [0xFF, 0xD8, 0xFF])?.lowerBound,
          let stop = bytes[start...].firstRange(of: end)?.lowerBound
    else { throw Failure(description: "page 1 holds no JPEG image (lineart pages are not read)") }
    return try JPEGDecoding.decode(Array(bytes[start..<stop]))
}

func pnm(_ bytes: [UInt8]) throws -> Raster {
    var fields: [Int] = []
    var index = 2
    while fields.count < 3 && index < bytes.count {
        while index < bytes.count, bytes[index] == 0x23 { while index < bytes.count, bytes[index] != 0x0A { index += 1 } }
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        var value = 0, digits = 0
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) { value = value * 10 + Int(bytes[index] - 0x30); index += 1; digits += 1 }
        guard digits > 0 else { throw Failure(description: "malformed PNM header") }
        fields.append(value)
    }
    index += 1
    let samples = bytes[1] == UInt8(ascii: "6") ? 3 : 1
    let (width, height) = (fields[0], fields[1])
    guard fields[2] == 255, bytes.count - index >= width * height * samples else { throw Failure(description: "PNM must be 8-bit and complete") }
    return Raster(width: width, height: height, bitsPerSample: 8, samplesPerPixel: samples, xResolution: 300, yResolution: 300,
                  pixels: Array(bytes[index..<(index + width * height * samples)]))
}

/// The lines (for the fields) and, when `withWords`, the words with their boxes (for a text layer).
func recognise(_ pixels: [UInt8], width: Int, height: Int, tessdata: String?, ink: OCRLine.Ink,
               withWords: Bool = false) throws -> (lines: [OCRLine], words: [OCRLine]) {
    var buffer = [intake_ocr_line](repeating: intake_ocr_line(), count: 256)
    var wordBuffer = [intake_ocr_line](repeating: intake_ocr_line(), count: withWords ? 4096 : 0)
    var wordCount: Int32 = 0
    let count = pixels.withUnsafeBufferPointer { image in
        buffer.withUnsafeMutableBufferPointer { lines in
            wordBuffer.withUnsafeMutableBufferPointer { words in
                intake_ocr_lines(tessdata, "vie", image.baseAddress, Int32(width), Int32(height), Int32(width), lines.baseAddress, 256,
                                 withWords ? words.baseAddress : nil, Int32(words.count), &wordCount)
            }
        }
    }
    guard count >= 0 else { throw Failure(description: "the Vietnamese model could not be loaded (apt-get install tesseract-ocr-vie)") }
    func boxes(_ slice: ArraySlice<intake_ocr_line>) -> [OCRLine] {
        slice.compactMap { line in
            guard let text = line.text else { return nil }
            defer { intake_ocr_free_text(text) }
            return OCRLine(text: String(cString: text), confidence: Double(line.confidence),
                           left: Int(line.left), top: Int(line.top), right: Int(line.right), bottom: Int(line.bottom), ink: ink)
        }
    }
    return (boxes(buffer[0..<Int(count)]), boxes(wordBuffer[0..<Int(max(0, wordCount))]))
}

var arguments = Array(CommandLine.arguments.dropFirst())
var fraction = 0.4
var tessdata: String?
var file: String?
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "--band": fraction = Double(arguments.isEmpty ? "" : arguments.removeFirst()) ?? -1
    case "--tessdata": tessdata = arguments.isEmpty ? nil : arguments.removeFirst()
    default: file = argument
    }
}
do {
    guard let file, (0.05...1).contains(fraction) else {
        throw Failure(description: "usage: intake-ocr [--band 0.05…1] [--tessdata DIR] FILE.pdf|FILE.pnm")
    }
    let started = ContinuousClock.now
    let raster = try readImage(file)
    let band = try Band(raster, fraction: fraction)
    let gray = try recognise(band.gray, width: band.width, height: band.height, tessdata: tessdata, ink: .any, withWords: true)
    var lines = gray.lines
    if band.hasRed {
        lines += try recognise(band.red, width: band.width, height: band.height, tessdata: tessdata, ink: .red).lines
    }
    let elapsed = ContinuousClock.now - started
    let output = Output(width: raster.width, height: raster.height, bandHeight: band.height,
                        seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                        lines: lines, words: gray.words, fields: HeaderParser.parse(lines, width: band.width))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    FileHandle.standardOutput.write(try encoder.encode(output))
    FileHandle.standardOutput.write(Data("\n".utf8))
} catch {
    FileHandle.standardError.write(Data("intake-ocr: \(error)\n".utf8))
    exit(1)
}
