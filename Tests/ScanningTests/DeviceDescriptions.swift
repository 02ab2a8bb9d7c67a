import Foundation
@testable import Scanning

/// The shipped descriptions of real scanners (Tests/ScanningTests/Devices, written from sane-backends source).
enum DeviceDescriptions {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Devices")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
    }

    static func load(_ file: String) throws -> DeviceDescription {
        try JSONDecoder().decode(DeviceDescription.self, from: Data(contentsOf: directory.appendingPathComponent(file)))
    }

    /// The scanner and the device under it (to press buttons, load sheets, read what was written).
    static func open(_ file: String, withoutFailures: Bool = false, buttons: ButtonMap = ButtonMap()) throws -> (DeviceScanner, ReplayDevice) {
        var description = try load(file)
        if withoutFailures { description.read.failures = [] }
        let device = ReplayDevice(description)
        return (DeviceScanner(device: device, buttonMap: buttons), device)
    }

    /// The device's allowed resolution closest to `dpi`.
    static func resolution(near dpi: Int, in description: DeviceDescription) -> Int {
        guard let option = description.options.first(where: { $0.option.name == "resolution" })?.option else { return dpi }
        switch option.constraint {
        case .wordList(let values): return Int(values.min { abs($0 - Double(dpi)) < abs($1 - Double(dpi)) } ?? Double(dpi))
        case .range(let lo, let hi, _): return Int(min(max(Double(dpi), lo), hi))
        default: return dpi
        }
    }

    static func hasFeeder(_ description: DeviceDescription) -> Bool {
        FeederDetection.hasFeeder(description.options.map(\.option), info: description.device)
            && description.read.sheets > 0
    }
}

/// Scans a whole batch, collecting pages.
func scanAll(_ scanner: any Scanning.Scanner) throws -> [Page] {
    var pages: [Page] = []
    _ = try scanner.scan(shouldStop: { false }) { pages.append($0) }
    return pages
}

/// Pixels for `mm` at `dpi`, one either way.
func pixels(_ mm: Double, _ dpi: Int) -> ClosedRange<Int> {
    let exact = Int(mm / 25.4 * Double(dpi))
    return (exact - 1)...(exact + 1)
}
