import Delivery
import Foundation
import Registry
import Testing
@testable import Appliance

@Suite struct OutboxWorkerTests {
    func worker(_ context: ApplianceContext, _ targets: [any DeliveryTarget], clock: any WallClock) -> OutboxWorker {
        OutboxWorker(register: context.register, organisationCode: "000.00.00.H49", targets: targets,
                     policy: RetryPolicy(base: .seconds(1), cap: .seconds(8)), clock: clock, logger: testLogger)
    }

    @Test func hoaTocGoesFirstThenByNumber() async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let context = try makeContext(dir, clock: clock)
        try registerDocument(context)                       // 1 normal
        try registerDocument(context, urgency: .khan)       // 2 khẩn
        try registerDocument(context)                       // 3 normal
        try registerDocument(context, urgency: .hoaToc)     // 4 hỏa tốc
        try registerDocument(context, urgency: .thuongKhan) // 5 thượng khẩn
        let target = FakeTarget()
        let report = try await worker(context, [target], clock: clock).drainDue()
        #expect(report.delivered == 5)
        #expect(target.receivedNumbers == [4, 5, 2, 1, 3])
        #expect(try context.register.queueCounts()[.delivered] == 5)
    }

    @Test func transientFailureIsRetriedLaterAndHonoursRetryAfter() async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let context = try makeContext(dir, clock: clock)
        try registerDocument(context)
        let target = FakeTarget(script: [.transient(status: 503, message: "HTTP 503", retryAfter: .seconds(120))])
        let w = worker(context, [target], clock: clock)
        let first = try await w.drainDue()
        #expect(first.retrying == 1)
        let entry = try #require(context.register.queue(states: [.pending]).first)
        #expect(entry.attempts == 1)
        #expect(entry.lastStatus == 503)
        #expect(entry.nextAttemptAt.timeIntervalSince(clock.now()) >= 119)
        // Not due yet: nothing is sent.
        clock.advance(60)
        #expect(try await w.drainDue().attempted == 0)
        clock.advance(61)
        #expect(try await w.drainDue().delivered == 1)
        #expect(target.receivedNumbers == [1, 1])
    }

    /// Issue 15 item 10: backoff belongs to the link. A normal document that failed first must
    /// not go before a hỏa tốc one that failed later when the centre answers again.
    @Test func whenTheLinkReturnsTheBacklogGoesInPriorityOrder() async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let context = try makeContext(dir, clock: clock)
        let down = DeliveryOutcome.transient(status: nil, message: "connection refused", retryAfter: nil)
        let target = FakeTarget(script: [down, down])
        let w = worker(context, [target], clock: clock)
        try registerDocument(context)                       // 1 thường, fails first
        #expect(try await w.drainDue().retrying == 1)
        clock.advance(100)
        try registerDocument(context, urgency: .hoaToc)     // 2 hỏa tốc, fails later
        #expect(try await w.drainDue().retrying == 1)
        // Document 1's own earlier timer does not let it go alone: the link waits as a whole.
        #expect(try await w.drainDue().attempted == 0)
        #expect(w.offlineTargets() == ["central"])
        clock.advance(100)
        let report = try await w.drainDue()
        #expect(report.delivered == 2)
        #expect(target.receivedNumbers == [1, 2, 2, 1])
        #expect(w.offlineTargets().isEmpty)
    }

    @Test func aDocumentRegisteredWhileTheLinkIsDownWaitsForTheLinksProbe() async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let context = try makeContext(dir, clock: clock)
        let target = FakeTarget(script: [.transient(status: 503, message: "HTTP 503", retryAfter: .seconds(60))])
        let w = worker(context, [target], clock: clock)
        try registerDocument(context)
        #expect(try await w.drainDue().retrying == 1)
        try registerDocument(context)
        #expect(try await w.drainDue().attempted == 0)
        clock.advance(61)
        #expect(try await w.drainDue().delivered == 2)
        #expect(target.receivedNumbers == [1, 1, 2])
    }

    /// Issue 15 item 9: "offline" ends when the centre answers at all (a refusal too), or when
    /// nothing is left to send it — not only when something is delivered.
    @Test func theLinkIsUpAgainWhenTheCentreAnswersEvenWithARefusal() async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let context = try makeContext(dir, clock: clock)
        let target = FakeTarget(script: [.transient(status: nil, message: "reset", retryAfter: nil),
                                         .permanent(status: 400, message: "bad metadata")])
        let w = worker(context, [target], clock: clock)
        let document = try registerDocument(context)
        _ = try await w.drainDue()
        #expect(w.offlineTargets() == ["central"])
        clock.advance(100)
        #expect(try await w.drainDue().needsAttention == 1)
        #expect(w.offlineTargets().isEmpty)
        // Down again, then the only waiting document is held: nothing to send, not offline.
        try context.register.retryNow(documentID: document.id)
        let down = FakeTarget(script: [.transient(status: nil, message: "reset", retryAfter: nil)])
        let w2 = worker(context, [down], clock: clock)
        _ = try await w2.drainDue()
        #expect(w2.offlineTargets() == ["central"])
        try context.register.hold(documentID: document.id, reason: "kiểm tra")
        _ = try await w2.drainDue()
        #expect(w2.offlineTargets().isEmpty)
    }

    @Test func permanentErrorParksTheDocumentWithTheServersMessage() async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let context = try makeContext(dir, clock: clock)
        try registerDocument(context)
        try registerDocument(context)
        let target = FakeTarget(script: [.permanent(status: 400, message: "metadata.sender missing")])
        let report = try await worker(context, [target], clock: clock).drainDue()
        #expect(report.needsAttention == 1)
        #expect(report.delivered == 1)
        let parked = try #require(context.register.queue(states: [.needsAttention]).first)
        #expect(parked.number == 1)
        #expect(parked.lastError?.contains("metadata.sender missing") == true)
    }

    @Test func classifiedDocumentNeverReachesANonSecureTarget() async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let context = try makeContext(dir, clock: clock, targets: ["central", "secure"])
        let secret = try registerDocument(context, secrecy: .mat, targets: ["central", "secure"])
        #expect(secret.book == "MAT")
        let open = FakeTarget(name: "central", secureNetwork: false)
        let secure = FakeTarget(name: "secure", secureNetwork: true)
        let report = try await worker(context, [open, secure], clock: clock).drainDue()
        #expect(open.received.isEmpty)
        #expect(secure.received.map(\.documentID) == [secret.id])
        #expect(report.held == 1)
        let held = try #require(context.register.queue(states: [.held]).first)
        #expect(held.target == "central")
        #expect(held.heldReason?.contains("secure_network") == true)
    }

    @Test func corruptedFileIsFlaggedNotSent() async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let context = try makeContext(dir, clock: clock)
        let document = try registerDocument(context)
        let handle = try #require(FileHandle(forWritingAtPath: document.path))
        try handle.seekToEnd()
        handle.write(Data("tampered".utf8))
        try handle.close()
        let target = FakeTarget()
        let report = try await worker(context, [target], clock: clock).drainDue()
        #expect(report.corrupt == 1)
        #expect(target.received.isEmpty)
        #expect(try context.register.queue(states: [.corrupt]).first?.lastError?.contains("checksum") == true)
    }

    @Test func fileNotYetInPlaceIsLookedForAgainNotMarkedCorrupt() async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let context = try makeContext(dir, clock: clock)
        let document = try registerDocument(context)
        let parked = document.path + ".away"
        #expect(rename(document.path, parked) == 0)
        let target = FakeTarget()
        let w = worker(context, [target], clock: clock)
        _ = try await w.drainDue()
        #expect(try context.register.queue(states: [.pending]).first?.lastError?.contains("not in place yet") == true)
        #expect(rename(parked, document.path) == 0)
        clock.advance(3)
        #expect(try await w.drainDue().delivered == 1)
        // A file that stays missing is reported after a few looks.
        let gone = try registerDocument(context)
        #expect(unlink(gone.path) == 0)
        for _ in 0..<6 { _ = try await w.drainDue(); clock.advance(3) }
        #expect(try context.register.queue(states: [.corrupt]).first?.documentID == gone.id)
    }

    @Test func offlineTargetStopsTheDrainInsteadOfHammering() async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let context = try makeContext(dir, clock: clock)
        for _ in 0..<5 { try registerDocument(context) }
        let target = FakeTarget(script: Array(repeating: .transient(status: nil, message: "could not connect", retryAfter: nil), count: 5))
        let report = try await worker(context, [target], clock: clock).drainDue()
        #expect(report.retrying == 1)
        #expect(target.received.count == 1)
    }

    @Test func backlogDrainsWhenTheCentreReturns() async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let context = try makeContext(dir, clock: clock)
        for _ in 0..<20 { try registerDocument(context) }
        let target = FakeTarget(script: [.transient(status: nil, message: "could not connect", retryAfter: nil)])
        let w = worker(context, [target], clock: clock)
        #expect(try await w.drainDue().retrying == 1)
        clock.advance(3600)
        let report = try await w.drainDue()
        #expect(report.delivered == 20)
        #expect(Set(target.receivedNumbers) == Set(1...20))
        #expect(try context.register.queueCounts()[.pending] ?? 0 == 0)
    }
}

@Suite struct WakeupTests {
    @Test func signalEndsTheWaitEarly() async {
        let wakeup = Wakeup()
        let started = ContinuousClock.now
        async let waited: Void = wakeup.wait(for: .seconds(30))
        try? await Task.sleep(for: .milliseconds(100))
        wakeup.signal()
        await waited
        #expect(ContinuousClock.now - started < .seconds(25), "woken well before the 30 s timeout")
    }

    @Test func signalBeforeTheWaitIsNotLost() async {
        let wakeup = Wakeup()
        wakeup.signal()
        let started = ContinuousClock.now
        await wakeup.wait(for: .seconds(30))
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func waitWithoutSignalLastsItsDuration() async {
        let wakeup = Wakeup()
        let started = ContinuousClock.now
        await wakeup.wait(for: .milliseconds(300))
        #expect(ContinuousClock.now - started >= .milliseconds(290))
    }
}
