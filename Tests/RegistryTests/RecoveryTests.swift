import Foundation
import Testing
@testable import Registry

@Suite struct RecoveryTests {
    @Test func orphanFileWithSidecarGetsRegistered() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        _ = try register.register(fixture.newDocument())
        // A crash after the file was moved into .pending but before the transaction.
        let doc = try fixture.newDocument(urgency: .khan, summary: "Giấy mời họp")
        let files = DocumentFiles(root: fixture.documents)
        let sidecar = Sidecar(uuid: UUID().uuidString.lowercased(), document: doc, sha256: try Hashing.file(doc.stagedFile), stagedAtMs: 0)
        try files.stage(sidecar)

        let report = try fixture.open().recover()
        #expect(report.registered.count == 1)
        let recovered = try #require(try register.document(book: "DEN", year: 2026, number: 2))
        #expect(recovered.fields.summary == "Giấy mời họp")
        #expect(recovered.urgency == .khan)
        #expect(FileManager.default.fileExists(atPath: recovered.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: files.pendingDirectory).isEmpty)
        #expect(try register.queue(states: nil).count == 2)
        #expect(try register.verifyAuditChain().isValid)
        #expect(try fixture.open().recover().isClean)
    }

    @Test func sidecarWhoseFileNeverMovedFinishesFromTheStagedFile() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let doc = try fixture.newDocument()
        let files = DocumentFiles(root: fixture.documents)
        let sidecar = Sidecar(uuid: "abc", document: doc, sha256: try Hashing.file(doc.stagedFile), stagedAtMs: 0)
        try files.writeDurably(Data(try JSONEncoder().encode(sidecar)), to: files.sidecar("abc"))
        let report = try register.recover()
        #expect(report.registered.count == 1)
        #expect(!FileManager.default.fileExists(atPath: doc.stagedFile))
    }

    @Test func committedRowWithFileStillPendingIsFinished() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let doc = try register.register(fixture.newDocument())
        // Simulate a crash after commit, before the move: put the file back into .pending.
        let files = DocumentFiles(root: fixture.documents)
        let uuid = try #require(try register.unsafeStrings("SELECT uuid FROM document").first)
        try DocumentFiles.rename(doc.path, files.pendingPDF(uuid))
        let report = try register.recover()
        #expect(report.finished == [doc.id])
        #expect(FileManager.default.fileExists(atPath: doc.path))
        #expect(report.voided.isEmpty)
    }

    @Test func rowWhoseFileVanishedIsVoidedWithAReason() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let doc = try register.register(fixture.newDocument())
        _ = try register.register(fixture.newDocument())
        try FileManager.default.removeItem(atPath: doc.path)
        let report = try register.recover()
        #expect(report.voided == [doc.id])
        let voided = try #require(try register.document(id: doc.id))
        #expect(voided.state == .voided)
        #expect(voided.voidReason?.contains("Mất tệp PDF") == true)
        #expect(try register.register(fixture.newDocument()).number == 3)
        #expect(try register.verifyAuditChain().isValid)
    }

    @Test func tempFilesAreRemovedAndStrayFilesReported() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        _ = try register.register(fixture.newDocument())
        let temp = fixture.documents + "/.pending/x.json.tmp"
        let stray = fixture.documents + "/2026/stranger.pdf"
        #expect(FileManager.default.createFile(atPath: temp, contents: Data("{".utf8)))
        #expect(FileManager.default.createFile(atPath: stray, contents: Data("%PDF".utf8)))
        let report = try register.recover()
        #expect(report.tempFilesRemoved == [temp])
        #expect(report.unknownFiles == [stray])
        #expect(!FileManager.default.fileExists(atPath: temp))
        #expect(FileManager.default.fileExists(atPath: stray))
    }

    @Test func missingNumberIsFilledWithAVoidNeverLeftSilent() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        for _ in 0..<3 { _ = try register.register(fixture.newDocument()) }
        let second = try #require(try register.document(book: "DEN", year: 2026, number: 2))
        try register.unsafeExecute("DELETE FROM outbox WHERE documentID = ?", arguments: [second.id])
        try register.unsafeExecute("DELETE FROM document WHERE id = ?", arguments: [second.id])
        try FileManager.default.removeItem(atPath: second.path)
        #expect(try register.verifyAuditChain().problem?.contains("deleted") == true)
        let report = try register.recover()
        #expect(report.gapsFilled.count == 1)
        let filler = try #require(try register.document(book: "DEN", year: 2026, number: 2))
        #expect(filler.state == .voided)
        #expect(filler.voidReason?.contains("bị thiếu") == true)
    }
}
