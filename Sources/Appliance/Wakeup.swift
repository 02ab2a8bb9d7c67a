import Foundation

/// Wakes the outbox worker early (a new document was registered) without polling: the worker
/// sleeps until its next retry is due or until `signal()`, whichever comes first.
public final class Wakeup: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]

    public init() {}

    public func signal() {
        let woken: [CheckedContinuation<Void, Never>] = lock.withLock {
            if waiters.isEmpty { raised = true; return [] }
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
        for continuation in woken { continuation.resume() }
    }

    /// True once after `signal()` when nobody was waiting.
    public func consume() -> Bool {
        lock.withLock {
            defer { raised = false }
            return raised
        }
    }

    /// Returns after `duration`, or earlier on `signal()`, or when the task is cancelled.
    public func wait(for duration: Duration) async {
        if consume() { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: duration) }
            group.addTask { await self.nextSignal() }
            await group.next()
            group.cancelAll()
        }
    }

    private func nextSignal() async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                lock.withLock {
                    if raised || Task.isCancelled {
                        raised = false
                        continuation.resume()
                    } else {
                        waiters[id] = continuation
                    }
                }
            }
        } onCancel: {
            lock.withLock { waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
