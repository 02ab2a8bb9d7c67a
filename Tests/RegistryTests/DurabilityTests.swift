import Foundation
import GRDB
@testable import Registry
import Testing

@Suite struct DurabilityTests {
    /// GRDB's WAL set-up leaves connections at synchronous=NORMAL, where a commit reaches the disk
    /// only at the next checkpoint: a power cut could take back a number already announced.
    @Test func theRegisterCommitsToTheDiskAtEveryCommit() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let level = try register.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(level == 2)  // FULL
    }

    /// The moment the caller is told is the moment the document is registered: its row readable
    /// by another process, its PDF in its final place, nothing of it left in flight.
    @Test func registeredIsToldOnceTheRowAndTheFileAreInPlace() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        var told: [String] = []
        let document = try register.register(fixture.newDocument()) { document in
            told.append(document.id)
            let other = try? DatabaseQueue(path: fixture.databasePath)
            let rows = try? other?.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document WHERE id = ?", arguments: [document.id])
            }
            #expect(rows == 1)
            #expect(FileManager.default.fileExists(atPath: document.path))
            let pending = (try? FileManager.default.contentsOfDirectory(atPath: fixture.documents + "/.pending")) ?? []
            #expect(pending.isEmpty)
        }
        #expect(told == [document.id])
        #expect(document.number == 1)
    }
}
