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
}
