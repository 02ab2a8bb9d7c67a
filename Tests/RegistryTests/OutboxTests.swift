import IntakeCore
import Foundation
import Registry
import Testing

@Suite struct OutboxTests {
    @Test func dueDeliveriesComeHoaTocFirstThenByNumber() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let order: [Urgency] = [.normal, .khan, .hoaToc, .normal, .thuongKhan, .hoaToc, .khan]
        for urgency in order { _ = try register.register(fixture.newDocument(urgency: urgency)) }
        let due = try register.dueDeliveries(now: vn(2026, 3, 11), limit: 100)
        #expect(due.map(\.document.number) == [3, 6, 5, 2, 7, 1, 4])
        #expect(due.map(\.document.urgency) == [.hoaToc, .hoaToc, .thuongKhan, .khan, .khan, .normal, .normal])
        #expect(try register.dueDeliveries(now: vn(2026, 3, 11), limit: 2).map(\.document.number) == [3, 6])
    }

    @Test func deliveryNotYetDueIsNotHandedOut() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let doc = try register.register(fixture.newDocument())
        #expect(try register.dueDeliveries(now: vn(2026, 3, 1), limit: 10).isEmpty)
        #expect(try register.nextDueDate() == doc.arrivedAt)
    }

    @Test func oneOutboxRowPerTarget() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        _ = try register.register(fixture.newDocument(targets: ["central", "usb-spool"]))
        #expect(try register.queue(states: nil).map(\.target).sorted() == ["central", "usb-spool"])
        #expect(try register.queueCounts() == [.pending: 2])
    }

    @Test func recordAttemptMovesTheRowThroughItsStates() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let doc = try register.register(fixture.newDocument())
        let item = try #require(try register.dueDeliveries(now: vn(2026, 3, 11), limit: 1).first)

        try register.recordAttempt(DeliveryAttempt(
            outboxID: item.id, at: vn(2026, 3, 11),
            outcome: .retry(status: 503, error: "Service Unavailable", nextAttemptAt: vn(2026, 3, 11, 10))))
        var entry = try #require(try register.queue(states: nil).first)
        #expect(entry.state == .pending)
        #expect(entry.attempts == 1)
        #expect(entry.lastStatus == 503)
        #expect(entry.lastError == "Service Unavailable")
        #expect(entry.nextAttemptAt == vn(2026, 3, 11, 10))
        #expect(try register.dueDeliveries(now: vn(2026, 3, 11, 9, 30), limit: 5).isEmpty)
        #expect(try register.nextDueDate() == vn(2026, 3, 11, 10))

        try register.recordAttempt(DeliveryAttempt(
            outboxID: item.id, at: vn(2026, 3, 11, 10), outcome: .needsAttention(status: 400, message: "Bad Request")))
        entry = try #require(try register.queue(states: nil).first)
        #expect(entry.state == .needsAttention)
        #expect(try register.dueDeliveries(now: vn(2026, 3, 12), limit: 5).isEmpty)
        #expect(try register.oldestUndelivered() == doc.arrivedAt)

        try register.retryAll()
        #expect(try register.queue(states: [.pending]).count == 1)

        try register.recordAttempt(DeliveryAttempt(
            outboxID: item.id, at: vn(2026, 3, 11, 11), outcome: .delivered(status: 201, receipt: "R-42")))
        entry = try #require(try register.queue(states: nil).first)
        #expect(entry.state == .delivered)
        #expect(entry.attempts == 3)
        #expect(entry.receipt == "R-42")
        #expect(entry.deliveredAt == vn(2026, 3, 11, 11))
        #expect(try register.oldestUndelivered() == nil)
        #expect(try register.queueCounts() == [.delivered: 1])
    }

    @Test func corruptFileStopsDeliveryUntilRetried() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let doc = try register.register(fixture.newDocument())
        let item = try #require(try register.dueDeliveries(now: vn(2026, 3, 11), limit: 1).first)
        try register.recordAttempt(DeliveryAttempt(outboxID: item.id, at: vn(2026, 3, 11), outcome: .corrupt(message: "sha256 mismatch")))
        #expect(try register.queueCounts() == [.corrupt: 1])
        try register.retryAll()
        #expect(try register.queueCounts() == [.corrupt: 1])
        try register.retryNow(documentID: doc.id)
        #expect(try register.queueCounts() == [.pending: 1])
    }

    @Test func retryAllWithATargetMakesOnlyThatTargetsEntriesDue() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        _ = try register.register(fixture.newDocument(targets: ["central", "usb-spool"]))
        let later = vn(2026, 3, 11)
        for item in try register.dueDeliveries(now: later, limit: 10) {
            try register.recordAttempt(DeliveryAttempt(
                outboxID: item.id, at: later, outcome: .needsAttention(status: 400, message: "refused")))
        }
        #expect(try register.queueCounts() == [.needsAttention: 2])
        try register.retryAll(target: "usb-spool")
        let states = Dictionary(uniqueKeysWithValues: try register.queue(states: nil).map { ($0.target, $0.state) })
        #expect(states == ["central": .needsAttention, "usb-spool": .pending])
    }

    @Test func heldDeliveryIsNotDueUntilReleased() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let doc = try register.register(fixture.newDocument(urgency: .hoaToc))
        try register.hold(book: "DEN", year: 2026, number: doc.number, reason: "Chờ lãnh đạo duyệt")
        #expect(try register.dueDeliveries(now: vn(2026, 3, 12), limit: 5).isEmpty)
        #expect(try register.queue(states: [.held]).first?.heldReason == "Chờ lãnh đạo duyệt")
        try register.release(documentID: doc.id)
        #expect(try register.dueDeliveries(now: vn(2026, 3, 12), limit: 5).map(\.document.id) == [doc.id])
    }

    @Test func unknownOutboxRowIsNotFound() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let error = #expect(throws: RegistryError.self) {
            try register.recordAttempt(DeliveryAttempt(outboxID: 99, at: vn(2026, 3, 11), outcome: .corrupt(message: "x")))
        }
        #expect(error?.code == .notFound)
    }
}
