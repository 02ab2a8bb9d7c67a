import IntakeCore
import Scanning

/// Encodes the pages of one batch on several threads when the device outruns one core, straight
/// into the batch's document (`PageAssembler` keeps the page order in the file), and reports the
/// pages back in page order. Memory stays bounded: one page waits for a free worker (its reader
/// keeps filling that page's strip queue meanwhile), every other page is being encoded.
final class PageEncoderPool: @unchecked Sendable {
    let workers: Int
    private let encoder: PageStreamEncoder
    private let document: PageAssembler
    private let condition = ConditionLock()
    private var pending: PageStrips?
    private var encoding = 0
    private var done: [Int: PageStreamEncoder.Written] = [:]
    private var nextIndex: Int?
    private var submitted = 0
    private var delivered = 0
    private var failure: (any Error)?
    private var stopping = false
    private var alive = 0
    /// The most raw pages ever held at once: being encoded plus the one waiting (tests check ≤ workers + 1).
    private(set) var mostRawPages = 0
    /// The most encoded pages ever held back behind an earlier page still encoding (≤ workers).
    private(set) var mostHeldResults = 0

    init(workers: Int, encoder: PageStreamEncoder, document: PageAssembler) {
        self.workers = max(workers, 1)
        self.encoder = encoder
        self.document = document
        alive = self.workers
        for n in 0..<self.workers {
            DetachedThread.start(name: "intake-encoder-\(n)") { [self] in work() }
        }
    }

    /// Hands a page to the next free worker; waits while every worker is busy and a page already waits.
    func submit(_ strips: PageStrips) throws {
        condition.lock()
        while pending != nil && failure == nil { condition.wait() }
        if let failure {
            condition.unlock()
            strips.cancel()
            throw failure
        }
        if nextIndex == nil { nextIndex = strips.format.index }
        pending = strips
        submitted += 1
        mostRawPages = max(mostRawPages, encoding + 1)
        condition.broadcast()
        condition.unlock()
    }

    /// The pages finished so far that are next in order (none when an earlier page is still encoding).
    func ready() throws -> [PageStreamEncoder.Written] {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
        return takeInOrder()
    }

    /// Waits for every submitted page and returns the rest in order; the workers end.
    func finish() throws -> [PageStreamEncoder.Written] {
        condition.lock()
        while failure == nil && (pending != nil || encoding > 0) { condition.wait() }
        let results = takeInOrder()
        stopping = true
        condition.broadcast()
        while alive > 0 { condition.wait() }
        let error = failure
        condition.unlock()
        if let error { throw error }
        return results
    }

    /// After a failure: drops the waiting page, lets the pages in hand end, stops the workers.
    func shutdown() {
        condition.lock()
        stopping = true
        let waiting = pending
        pending = nil
        condition.broadcast()
        condition.unlock()
        waiting?.cancel()
        condition.lock()
        while alive > 0 { condition.wait() }
        condition.unlock()
    }

    /// Call with the lock held.
    private func takeInOrder() -> [PageStreamEncoder.Written] {
        var results: [PageStreamEncoder.Written] = []
        while let index = nextIndex, let result = done.removeValue(forKey: index) {
            results.append(result)
            nextIndex = index + 1
            delivered += 1
        }
        return results
    }

    /// Call with the lock held: finished pages that cannot be handed back yet (an earlier one is encoding).
    private var heldBack: Int {
        var deliverable = 0
        if var index = nextIndex {
            while done[index] != nil { deliverable += 1; index += 1 }
        }
        return done.count - deliverable
    }

    private func work() {
        condition.lock()
        while true {
            // A worker takes no new page while `workers` finished pages wait behind one still encoding.
            while (pending == nil || heldBack >= workers) && !stopping { condition.wait() }
            guard let strips = pending else { break }
            pending = nil
            encoding += 1
            condition.broadcast()
            condition.unlock()
            let outcome = Result { try encoder.encode(strips, into: document) }
            if case .failure = outcome { strips.cancel() }
            condition.lock()
            encoding -= 1
            switch outcome {
            case .success(let result):
                done[result.index] = result
                mostHeldResults = max(mostHeldResults, heldBack)
            case .failure(let error): if failure == nil { failure = error }
            }
            condition.broadcast()
            if stopping && pending == nil { break }
        }
        alive -= 1
        condition.broadcast()
        condition.unlock()
    }
}
