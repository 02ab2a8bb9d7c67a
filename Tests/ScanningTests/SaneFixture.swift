import Foundation
@testable import Scanning

/// One SANE configuration for the whole test process: a temp SANE_CONFIG_DIR whose dll.conf lists
/// only `test` and `pnm` (and whose test.conf asks for four test devices), set before the first call into SaneRuntime (which runs sane_init lazily).
enum SaneFixture {
    static let directory: URL = {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("intake-scanning-tests-\(getpid())", isDirectory: true)
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try? Data("test\npnm\n".utf8).write(to: dir.appendingPathComponent("dll.conf"))
        // Four test devices: test:0 for the serialized suites, test:1 for ProfileIsolationTests,
        // test:2 and test:3 for ConcurrentDevicesTests. Everything else at the backend's defaults.
        try? Data("number_of_devices 4\n".utf8).write(to: dir.appendingPathComponent("test.conf"))
        setenv("SANE_CONFIG_DIR", dir.path, 1)
        return dir
    }()

    static var runtime: SaneRuntime {
        _ = directory
        return SaneRuntime.shared
    }

    /// Opens test:0 with every option the tests touch back at its default: the test backend keeps
    /// option values across sane_close/sane_open within one process.
    static func openTestDevice() throws -> any Scanning.Scanner {
        let s = try runtime.open("test:0")
        try s.setOption("mode", to: .string("Color"))
        try s.setOption("three-pass", to: .bool(false))
        try s.setOption("mode", to: .string("Gray"))
        try s.setOption("hand-scanner", to: .bool(false))
        try s.setOption("depth", to: .int(8))
        try s.setOption("source", to: .string("Flatbed"))
        try s.setOption("resolution", to: .int(50))
        try s.setOption("tl-x", to: .fixed(0))
        try s.setOption("tl-y", to: .fixed(0))
        try s.setOption("br-x", to: .fixed(80))
        try s.setOption("br-y", to: .fixed(100))
        try s.setOption("test-picture", to: .string("Solid black"))
        try s.setOption("read-return-value", to: .string("Default"))
        try s.setOption("enable-test-options", to: .bool(false))
        try s.setOption("ppl-loss", to: .int(0))
        return s
    }

    static func open(_ name: String) throws -> any Scanning.Scanner {
        try runtime.open(name)
    }
}

/// Document-like page images written as binary PNM files for the pnm backend.
struct DocumentImage {
    var width: Int
    var height: Int
    var channels: Int
    var pixels: [UInt8]

    /// White page with rows of "words": black strokes of varying length, like printed text; a
    /// red round stamp in colour. Deterministic for a seed.
    static func letter(width: Int, height: Int, channels: Int, seed: UInt64) -> DocumentImage {
        var rng = seed
        func next() -> Int {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: rng >> 33)
        }
        var px = [UInt8](repeating: 255, count: width * height * channels)
        func ink(_ x: Int, _ y: Int, _ rgb: (UInt8, UInt8, UInt8)) {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            let i = (y * width + x) * channels
            if channels == 1 {
                let r = Int(rgb.0) * 30
                let g = Int(rgb.1) * 59
                let b = Int(rgb.2) * 11
                px[i] = UInt8((r + g + b) / 100)
            } else {
                px[i] = rgb.0; px[i + 1] = rgb.1; px[i + 2] = rgb.2
            }
        }
        let margin = width / 10
        var y = height / 12
        while y + 8 < height - height / 10 {
            var x = margin
            while x < width - margin {
                let word = 4 + next() % 24
                for dx in 0..<min(word, width - margin - x) {
                    let strokeTop = next() % 3
                    for dy in strokeTop..<(6 + next() % 3) { ink(x + dx, y + dy, (20, 20, 30)) }
                }
                x += word + 3 + next() % 4
            }
            y += 12 + next() % 3
        }
        if channels == 3 {
            let cx = width * 3 / 4, cy = height * 4 / 5, r = width / 10
            let outer = r * r
            let inner = (r - 3) * (r - 3)
            for yy in (cy - r)...(cy + r) {
                for xx in (cx - r)...(cx + r) {
                    let dx = xx - cx
                    let dy = yy - cy
                    let d2 = dx * dx + dy * dy
                    if d2 <= outer, d2 >= inner { ink(xx, yy, (200, 30, 40)) }
                }
            }
        }
        return DocumentImage(width: width, height: height, channels: channels, pixels: px)
    }

    static func blank(width: Int, height: Int) -> DocumentImage {
        DocumentImage(width: width, height: height, channels: 1, pixels: [UInt8](repeating: 255, count: width * height))
    }

    /// Writes P5 (gray) or P6 (RGB) into the fixture directory; returns the path.
    func write(named name: String) throws -> String {
        let url = SaneFixture.directory.appendingPathComponent(name)
        var data = Data("\(channels == 3 ? "P6" : "P5")\n\(width) \(height)\n255\n".utf8)
        data.append(contentsOf: pixels)
        try data.write(to: url)
        return url.path
    }
}

/// Current option values by name.
func currentValues(_ scanner: any Scanning.Scanner) throws -> [String: OptionValue] {
    var result: [String: OptionValue] = [:]
    for option in try scanner.options() {
        if let value = option.value { result[option.name] = value }
    }
    return result
}
