import IntakeCore
import Foundation
import Testing
@testable import Registry

/// `Register.updateFile`: an appended update (the text layer) recorded with its new sha256 and
/// an audit entry, or refused with the file as it was.
@Suite struct FileUpdateTests {
    func append(_ text: String) -> (String) throws -> Void {
        { path in
            let handle = try #require(FileHandle(forWritingAtPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        }
    }

    @Test func theUpdatedFileIsSwappedInHashedAndAudited() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let registered = try register.register(try fixture.newDocument())
        let before = try Data(contentsOf: URL(fileURLWithPath: registered.path))

        let updated = try register.updateFile(documentID: registered.id, action: "text-layer", detail: ["page": "1"],
                                              update: append("% layer\n"))
        let after = try Data(contentsOf: URL(fileURLWithPath: registered.path))
        #expect(after == before + Data("% layer\n".utf8))
        #expect(updated.sha256 == (try Hashing.file(registered.path)) && updated.sha256 != registered.sha256)
        #expect(try register.document(id: registered.id)?.sha256 == updated.sha256)
        let detail = try #require(try register.unsafeStrings("SELECT detail FROM audit WHERE action = 'text-layer'").first)
        #expect(detail.contains("\"sha256\":\"\(updated.sha256)\"") && detail.contains("\"previous_sha256\":\"\(registered.sha256)\""), "\(detail)")
        #expect(detail.contains("\"page\":\"1\"") && detail.contains("\"bytes\":\"\(after.count)\""), "\(detail)")
        #expect(try register.verifyAuditChain().isValid)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.documents + "/.pending").filter { $0.hasSuffix(".pdf") }.isEmpty)
    }

    @Test func aFailedUpdateLeavesFileHashAndAuditAsTheyWere() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let registered = try register.register(try fixture.newDocument())
        let before = try Data(contentsOf: URL(fileURLWithPath: registered.path))
        let audits = try register.unsafeStrings("SELECT action FROM audit").count

        #expect(throws: CocoaError.self) {
            try register.updateFile(documentID: registered.id, action: "text-layer", detail: [:]) { path in
                try self.append("half")(path)
                throw CocoaError(.fileWriteOutOfSpace)
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: registered.path)) == before)
        #expect(try register.document(id: registered.id)?.sha256 == registered.sha256)
        #expect(try register.unsafeStrings("SELECT action FROM audit").count == audits)
        #expect(throws: RegistryError.self) {
            try register.updateFile(documentID: "no-such-document", action: "text-layer", detail: [:], update: append("x"))
        }
    }
}
