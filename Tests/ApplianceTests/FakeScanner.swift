import Foundation
import Scanning

/// A scanner in memory: gray A6-ish pages with a stroke of "ink", faults on request, buttons the
/// test presses.
final class FakeScanner: Scanning.Scanner, @unchecked Sendable {
    let info = DeviceInfo(name: "fake:0", vendor: "Fake", model: "Desk 1", type: "sheetfed scanner")
    private let lock = NSLock()
    var pagesPerBatch = 3
    var failAtPage: (page: Int, error: ScanError)?
    var pageDelay: TimeInterval = 0
    private var buttons: Set<String> = []
    private(set) var closed = false
    private(set) var batches = 0

    func options() throws -> [ScanOption] { [] }
    func setOption(_ name: String, to value: OptionValue) throws {}
    func apply(_ settings: ScanSettings) throws {}
    func validate(_ settings: ScanSettings) -> [ScanError] { [] }

    func scan(shouldStop: () -> Bool, onPage: (Page) throws -> Void) throws -> Int {
        let (count, failure, delay) = lock.withLock { (pagesPerBatch, failAtPage, pageDelay) }
        lock.withLock { batches += 1 }
        var delivered = 0
        for index in 1...count {
            if let failure, failure.page == index { throw failure.error }
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            let width = 200, height = 280
            var pixels = [UInt8](repeating: 250, count: width * height)
            for y in 100..<110 { for x in 20..<180 { pixels[y * width + x] = 10 } }
            try onPage(Page(index: index, width: width, height: height, depth: 8, channels: 1, bytesPerLine: width,
                            resolution: 100, pixels: pixels))
            delivered += 1
            if shouldStop() { break }
        }
        return delivered
    }

    func press(_ button: String) { lock.withLock { _ = buttons.insert(button) } }
    func release(_ button: String) { lock.withLock { _ = buttons.remove(button) } }
    func pressedButtons() throws -> Set<String> { lock.withLock { buttons } }
    func close() { lock.withLock { closed = true } }
}

/// Plugs and unplugs the fake scanner for the daemon's locator.
final class FakeUSB: @unchecked Sendable {
    private let lock = NSLock()
    private var plugged: Bool
    let scanner = FakeScanner()
    private(set) var opens = 0

    init(plugged: Bool = true) { self.plugged = plugged }

    func set(plugged: Bool) { lock.withLock { self.plugged = plugged } }

    func locate() throws -> any Scanning.Scanner {
        try lock.withLock {
            guard plugged else { throw ScanError(code: .noDevice, message: "The scanner is not connected.", detail: "fake unplugged") }
            opens += 1
            return scanner
        }
    }
}
