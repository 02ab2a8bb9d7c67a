import Foundation
import Testing
@testable import Registry

/// Issue 17: fields read from the page fill only what the clerk left empty, audited as OCR.
@Suite struct ReadFieldsTests {
    @Test func readFieldsFillEmptyColumnsOnlyAndAreAuditedWithTheirConfidence() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        var doc = try fixture.newDocument()
        doc.fields = RegisterFields(sender: "Văn phòng UBND (clerk)")
        let registered = try register.register(doc)
        let written = try register.fillFromPage(documentID: registered.id, [
            ReadField(column: "sender", value: "SỞ TÀI CHÍNH", confidence: 92),
            ReadField(column: "notation", value: "1234/STC-NS", confidence: 93),
            ReadField(column: "documentDate", value: "2026-11-14", confidence: 95),
            ReadField(column: "summary", value: "a\u{0}b", confidence: 90),
        ])
        #expect(written.map(\.column) == ["notation", "documentDate"])
        let now = try #require(try register.document(id: registered.id))
        #expect(now.fields.sender == "Văn phòng UBND (clerk)", "never over what the clerk typed")
        #expect(now.fields.notation == "1234/STC-NS")
        #expect(try register.fieldsReadFromPage(documentID: registered.id).map(\.column) == ["documentDate", "notation"])
        #expect(try register.verifyAuditChain().isValid)
        // A person's later edit makes the column theirs.
        try register.edit(book: "DEN", year: 2026, number: 1, changes: RegisterFields(notation: "1234/STC-NS (sửa)"))
        #expect(try register.fieldsReadFromPage(documentID: registered.id).map(\.column) == ["documentDate"])
    }

    @Test func aMarkRaisesUrgencyButNeverLowersIt() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let document = try register.register(fixture.newDocument(urgency: .khan))
        #expect(try register.raiseUrgency(documentID: document.id, to: .hoaToc, reason: "dấu HỎA TỐC (OCR 88 %)"))
        #expect(try register.document(id: document.id)?.urgency == .hoaToc)
        #expect(try !register.raiseUrgency(documentID: document.id, to: .normal, reason: "never"))
        #expect(try register.document(id: document.id)?.urgency == .hoaToc)
        #expect(try register.verifyAuditChain().isValid)
    }

    @Test func pendingMarksChecksAreListedUntilFinishedAndAPassMakesThePostponedDeliveryDue() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        var first = try fixture.newDocument()
        first.marksCheck = .pending
        var second = try fixture.newDocument()
        second.marksCheck = .pending
        let a = try register.register(first), b = try register.register(second)
        _ = try register.register(fixture.newDocument())   // notRequired: never listed
        #expect(try register.pendingMarksChecks().map(\.id) == [a.id, b.id])
        // The release gate postponed the delivery while the check was pending.
        let row = try #require(try register.queue().first { $0.documentID == a.id })
        try register.postpone(outboxID: row.id, until: Date().addingTimeInterval(3600))
        try register.finishMarksCheck(documentID: a.id, .passed, detail: "no secrecy mark above none")
        let due = try #require(try register.queue().first { $0.documentID == a.id })
        #expect(due.nextAttemptAt <= Date(), "a passed check makes the delivery due at once")
        try register.finishMarksCheck(documentID: b.id, .flagged, detail: "secrecy mark mat read")
        #expect(try register.pendingMarksChecks().isEmpty)
        #expect(try register.document(id: b.id)?.marksCheck == .flagged)
        #expect(try register.verifyAuditChain().isValid)
    }
}
