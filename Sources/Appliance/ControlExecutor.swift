import Foundation

/// A task executor with one thread of its own for the control socket's request handlers: a
/// cooperative pool kept busy by uploads, checksums and register work (two threads on the box)
/// never delays an answer, and a handler that waits (a scan) holds no thread while it waits.
final class ControlExecutor: TaskExecutor, @unchecked Sendable {
    /// One for the process: every daemon's control server (the tests run several) shares it.
    static let shared = ControlExecutor(name: "intake-control")

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    private init(name: String) {
        let thread = Thread { [self] in runJobs() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func runJobs() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
