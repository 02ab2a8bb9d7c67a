import Foundation
import IntakeCore


/// Everything the daemon's scanner thread, key readers, control handlers and tasks share:
/// one value, changed only under one lock (`LockedState`).
struct DaemonState: Sendable {
    var jobs: [ScanJob] = []
    var stopping = false
    var rescanRequested = true
    var activity: DaemonActivity = .starting
    var deviceName: String?
    var device: DeviceState = .notConnected
    var lastError: String?
    /// Why delivery targets could not be built at start (shown as the last error).
    var targetProblem: String?
    var offlineSince: Date?
    var lastDocument: DocumentSummary?
    /// When the scanner thread last went round (the watchdog's evidence that it lives).
    var heartbeat = ContinuousClock.now
    var screen = ScreenState()
    /// Made at start by `run()`.
    var worker: OutboxWorker?
    var control: ControlServer?
    var metrics: MetricsPublisher?
}

/// A scan waiting for the scanner thread; replies go to whoever asked (socket, trigger).
struct ScanJob: Sendable {
    var profile: String
    var overrides: ScanOverrides
    var origin: String
    var reply: @Sendable (ControlReply) -> Void
}

/// One value behind one lock, with a condition the scanner thread and key readers sleep on:
/// `update` wakes them, `wait` sleeps until a predicate holds or a deadline passes.
final class LockedState<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Reads or changes the value without waking anyone.
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        condition.lock()
        defer { condition.unlock() }
        return try body(&value)
    }

    /// Changes the value and wakes every sleeper so it looks again.
    func update<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return try body(&value)
    }

    /// Sleeps until `done(value)` holds or `timeout` passes (for threads only, never tasks).
    func wait(for timeout: Duration, until done: (Value) -> Bool) {
        let deadline = Date().addingTimeInterval(timeout.seconds)
        condition.lock()
        defer { condition.unlock() }
        while !done(value) {
            if !condition.wait(until: deadline) { return }
        }
    }
}
