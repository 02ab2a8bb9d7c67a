import IntakeCore
import Foundation

/// Faults the receiver plays on `POST /documents`, set by flags or `POST /admin/faults`.
struct FaultSettings: Codable, Sendable {
    /// Fail the next N document requests with `failStatus`.
    var failNext: Int?
    var failStatus: Int?
    /// Sent as Retry-After with injected failures.
    var retryAfter: String?
    /// Body (error message) of injected failures.
    var failMessage: String?
    /// Delay every answer by this many milliseconds (the document is stored first).
    var delayMs: Int?
    /// Close the connection after reading part of the next N bodies.
    var resetNext: Int?
    /// Store, then answer 200 with junk that is not JSON, for the next N.
    var garbageNext: Int?
    /// Store, then answer with an oversized body, for the next N.
    var oversizedNext: Int?
    var oversizedBytes: Int?
    /// Fail this fraction of document requests with 503 at random.
    var failureRate: Double?
    var seed: UInt64?

    mutating func merge(_ other: FaultSettings) {
        failNext = other.failNext ?? failNext
        failStatus = other.failStatus ?? failStatus
        retryAfter = other.retryAfter ?? retryAfter
        failMessage = other.failMessage ?? failMessage
        delayMs = other.delayMs ?? delayMs
        resetNext = other.resetNext ?? resetNext
        garbageNext = other.garbageNext ?? garbageNext
        oversizedNext = other.oversizedNext ?? oversizedNext
        oversizedBytes = other.oversizedBytes ?? oversizedBytes
        failureRate = other.failureRate ?? failureRate
        seed = other.seed ?? seed
    }
}

/// What to do with one document request.
struct FaultPlan: Sendable {
    var reset = false
    var fail: (status: Int, retryAfter: String?, message: String)? = nil
    var delayMs = 0
    var garbage = false
    var oversizedBytes: Int? = nil
}

actor FaultInjector {
    private var settings: FaultSettings
    private var rng: SplitMix64

    init(_ settings: FaultSettings) {
        self.settings = settings
        self.rng = SplitMix64(seed: settings.seed ?? 1)
    }

    func apply(_ update: FaultSettings) {
        settings.merge(update)
        if let seed = update.seed { rng = SplitMix64(seed: seed) }
    }

    func clear() {
        settings = FaultSettings()
    }

    func current() -> FaultSettings { settings }

    /// Takes one request's worth of faults (counters count down).
    func plan() -> FaultPlan {
        var plan = FaultPlan()
        plan.delayMs = settings.delayMs ?? 0
        if take(&settings.resetNext) {
            plan.reset = true
            return plan
        }
        if take(&settings.failNext) {
            plan.fail = (settings.failStatus ?? 503, settings.retryAfter, settings.failMessage ?? "injected failure")
            return plan
        }
        if let rate = settings.failureRate, rate > 0, Double(rng.next() >> 11) / Double(1 << 53) < rate {
            plan.fail = (503, settings.retryAfter ?? "1", "injected random failure")
            return plan
        }
        if take(&settings.garbageNext) { plan.garbage = true }
        if take(&settings.oversizedNext) { plan.oversizedBytes = settings.oversizedBytes ?? 4 << 20 }
        return plan
    }

    private func take(_ counter: inout Int?) -> Bool {
        guard let n = counter, n > 0 else { return false }
        counter = n - 1
        return true
    }
}
