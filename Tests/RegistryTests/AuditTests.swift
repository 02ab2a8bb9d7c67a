import IntakeCore
import Foundation
@testable import Registry
import Testing

@Suite struct AuditTests {
    @Test func tamperingWithARowBehindTheRegisterIsNamed() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        _ = try register.register(fixture.newDocument())
        let target = try register.register(fixture.newDocument())
        _ = try register.register(fixture.newDocument())
        #expect(try register.verifyAuditChain().isValid)

        try register.unsafeExecute("UPDATE document SET summary = 'sửa lén' WHERE id = ?", arguments: [target.id])
        let result = try register.verifyAuditChain()
        #expect(!result.isValid)
        #expect(result.documentID == target.id)
        #expect(result.firstBadEntry == 2)
        #expect(result.problem?.contains("changed outside the register") == true)
    }

    @Test func tamperingWithAnAuditEntryIsNamed() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        for _ in 0..<4 { _ = try register.register(fixture.newDocument()) }
        try register.unsafeExecute("UPDATE audit SET detail = '{}' WHERE seq = 3")
        let result = try register.verifyAuditChain()
        #expect(result.firstBadEntry == 3)
        #expect(result.problem?.contains("#3") == true)
    }

    @Test func editRecordsOneAuditEntryPerChangeAndStoresNFC() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let doc = try register.register(fixture.newDocument())
        let decomposed = "Công văn về việc Hỏa tốc".decomposedStringWithCanonicalMapping
        let recipient = "Phòng Tổng hợp".decomposedStringWithCanonicalMapping
        #expect(decomposed.unicodeScalars.count > "Công văn về việc Hỏa tốc".unicodeScalars.count)

        try register.edit(
            book: "DEN", year: 2026, number: doc.number,
            changes: RegisterFields(summary: decomposed, recipient: recipient))

        let edited = try #require(try register.document(id: doc.id))
        let stored = try #require(edited.fields.summary)
        #expect(Array(stored.unicodeScalars) == Array("Công văn về việc Hỏa tốc".precomposedStringWithCanonicalMapping.unicodeScalars))
        #expect(edited.fields.sender == "UBND tỉnh Hà Giang")  // untouched
        #expect(edited.fields.recipient.map { Array($0.unicodeScalars) } == Array("Phòng Tổng hợp".precomposedStringWithCanonicalMapping.unicodeScalars))

        let edits = try register.unsafeStrings("SELECT detail FROM audit WHERE action = 'edit' ORDER BY seq")
        #expect(edits.count == 2)
        #expect(edits[0].contains("\"field\":\"summary\""))
        #expect(edits[1].contains("\"field\":\"recipient\""))
        #expect(try register.verifyAuditChain().isValid)
    }

    @Test func editOfAVoidedEntryIsRefused() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let doc = try register.register(fixture.newDocument())
        try register.void(book: doc.book, year: doc.year, number: doc.number, reason: "hỏng")
        let error = #expect(throws: RegistryError.self) {
            try register.edit(book: doc.book, year: doc.year, number: doc.number, changes: RegisterFields(notes: "x"))
        }
        #expect(error?.code == .alreadyVoided)
    }

    @Test func sqlRefusesADuplicateNumber() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        _ = try register.register(fixture.newDocument())
        #expect(throws: RegistryError.self) {
            try register.unsafeExecute("""
                INSERT INTO document (id, uuid, book, year, number, arrivedAtMs, pages, sha256, path, profile,
                    urgency, secrecy, state)
                SELECT id || 'x', uuid || 'x', book, year, number, arrivedAtMs, pages, sha256, path, profile,
                    urgency, secrecy, state FROM document
                """)
        }
        #expect(throws: RegistryError.self) {
            try register.unsafeExecute("UPDATE document SET state = 'voided', voidReason = NULL")
        }
    }
}
