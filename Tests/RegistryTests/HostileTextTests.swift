import Foundation
import Reports
import ReportsPDF
import Testing
@testable import Registry

/// Issue 15 items 5 and 9: text that would corrupt the register, forge rows or run in a
/// spreadsheet is refused or neutralised; one tampered entry never hides another.
@Suite struct HostileTextTests {
    @Test(arguments: ["a\u{0}b", "\u{1B}[2J\u{1B}]0;owned\u{07}", "x\u{202E}fdp.exe", "\u{7F}"])
    func controlCharactersAreRefusedAtTheDoorAndNothingIsNumbered(_ text: String) throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        var doc = try fixture.newDocument()
        doc.fields.sender = text
        #expect(throws: RegistryError.self) { try register.register(doc) }
        #expect(try register.list().isEmpty)
        _ = try register.register(fixture.newDocument())
        #expect(throws: RegistryError.self) {
            try register.edit(book: "DEN", year: 2026, number: 1, changes: RegisterFields(summary: text))
        }
        #expect(throws: RegistryError.self) { try register.void(book: "DEN", year: 2026, number: 1, reason: text) }
        #expect(try register.verifyAuditChain().isValid)
    }

    @Test func lineBreaksInASummaryAreKeptExactlyAsHashed() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        var doc = try fixture.newDocument()
        doc.fields.summary = "Quyết định\nvề việc thử"
        let registered = try register.register(doc)
        #expect(registered.fields.summary == "Quyết định\nvề việc thử")
        #expect(try register.verifyAuditChain().isValid)
    }

    @Test func everyTamperedEntryIsNamedNotOnlyTheFirst() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        for _ in 0..<5 { _ = try register.register(fixture.newDocument()) }
        try register.unsafeExecute("UPDATE audit SET detail = '{}' WHERE seq = 2")
        try register.unsafeExecute("UPDATE audit SET detail = '{\"x\":1}' WHERE seq = 4")
        let result = try register.verifyAuditChain()
        #expect(result.firstBadEntry == 2)
        #expect(result.problems.count == 2)
        #expect(result.problems.last?.contains("#4") == true)
    }

    @Test func csvCellsThatWouldRunAsFormulasAreNeutralised() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        var doc = try fixture.newDocument()
        doc.fields.sender = "=HYPERLINK(\"http://x\",\"bấm\")"
        doc.fields.summary = "@SUM(1+1)"
        _ = try register.register(doc)
        let path = fixture.root + "/so.csv"
        try RegisterExport.csv(try register.list(book: "DEN"), book: PrintedBook(organisation: "UBND", code: "DEN", classified: false), to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("'=HYPERLINK"))
        #expect(text.contains("'@SUM"))
        #expect(!text.contains(",=HYPERLINK") && !text.contains("\"=HYPERLINK"))
    }

    @Test func csvExportWritesIntoAFIFOAndFollowsASymlinkInsteadOfReplacingThem() async throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        _ = try register.register(fixture.newDocument())
        let fifo = fixture.root + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = Task.detached { () -> String in
            let handle = FileHandle(forReadingAtPath: fifo)
            return String(decoding: handle?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        }
        try RegisterExport.csv(try register.list(book: "DEN"), book: PrintedBook(organisation: "UBND", code: "DEN", classified: false), to: fifo)
        #expect(await reader.value.contains("Số đến"))
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "still a FIFO")

        let real = fixture.root + "/real.csv"
        let link = fixture.root + "/link.csv"
        #expect(FileManager.default.createFile(atPath: real, contents: Data("old".utf8)))
        #expect(symlink(real, link) == 0)
        try RegisterExport.csv(try register.list(book: "DEN"), book: PrintedBook(organisation: "UBND", code: "DEN", classified: false), to: link)
        #expect(lstat(link, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK, "still a symlink")
        #expect(try String(contentsOfFile: real, encoding: .utf8).contains("Số đến"))
    }
}
