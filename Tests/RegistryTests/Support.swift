import Foundation
@testable import Registry

/// A clock tests move by hand; each reading advances it by `step` so registrations stay ordered.
final class TestClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private let step: TimeInterval

    init(_ start: Date, step: TimeInterval = 1) {
        current = start
        self.step = step
    }

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        let value = current
        current = current.addingTimeInterval(step)
        return value
    }

    func set(_ date: Date) {
        lock.lock()
        current = date
        lock.unlock()
    }
}

/// 2026-mm-dd hh:00 in Vietnam (UTC+7).
func vn(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 9, _ minute: Int = 0) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .gmt
    return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)) ?? Date()
}

/// A scratch directory with a register in it; removed when the fixture goes away.
final class Fixture: @unchecked Sendable {
    let root: String
    let clock: TestClock
    var staged = 0

    init(start: Date = vn(2026, 3, 10)) throws {
        root = NSTemporaryDirectory() + "registry-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/staging", withIntermediateDirectories: true)
        clock = TestClock(start)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    var databasePath: String { root + "/register.sqlite" }
    var documents: String { root + "/documents" }

    var configuration: RegisterConfiguration {
        RegisterConfiguration(organisationCode: "000.00.00.H49", buildYear: 2025, documentsDirectory: documents)
    }

    func open() throws -> Register {
        try Register(path: databasePath, configuration: configuration, clock: clock)
    }

    /// Writes a small fake PDF the way the pipeline would, and returns its path.
    func stage(_ text: String = "page") throws -> String {
        let path = root + "/staging/" + UUID().uuidString + ".pdf"
        let body = Data("%PDF-1.4\n% \(text) \(UUID().uuidString)\n%%EOF\n".utf8)
        guard FileManager.default.createFile(atPath: path, contents: body) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return path
    }

    func newDocument(
        urgency: Urgency = .normal, secrecy: Secrecy = .none, summary: String = "Công văn về việc thử",
        targets: [String] = ["central"]
    ) throws -> NewDocument {
        NewDocument(
            profile: "default", urgency: urgency, secrecy: secrecy, pages: 2, stagedFile: try stage(summary),
            fields: RegisterFields(sender: "UBND tỉnh Hà Giang", notation: "12/UBND-VP", summary: summary),
            targets: targets)
    }
}
