import IntakeCore
import Foundation
import Testing
@testable import Registry

/// Issue 15 item 2: a register that lost its database, or got an older one, never issues a
/// number a second time; a process notices its database deleted or replaced under it.
@Suite struct IdentityTests {
    func registerThree(_ fixture: Fixture) throws -> Register {
        let register = try fixture.open()
        for _ in 0..<3 { _ = try register.register(fixture.newDocument()) }
        return register
    }

    func removeDatabase(_ fixture: Fixture) {
        for suffix in ["", "-wal", "-shm"] { unlink(fixture.databasePath + suffix) }
    }

    @Test func aNewRegisterBesideNumberedDocumentsRefusesToNumber() throws {
        let fixture = try Fixture()
        _ = try registerThree(fixture)
        removeDatabase(fixture)
        let fresh = try fixture.open()
        let error = try #require(fresh.identityCheck())
        #expect(error.code == .identity)
        #expect(error.detail.contains("DEN/2026: register 0"))
        #expect(throws: RegistryError.self) { try fresh.register(fixture.newDocument()) }
        #expect(try fresh.list().isEmpty, "nothing was numbered")
    }

    @Test func aNewRegisterBesideTheIdentityFileAloneRefuses() throws {
        let fixture = try Fixture()
        _ = try registerThree(fixture)
        removeDatabase(fixture)
        // Even with the PDFs gone, the identity file remembers number 3.
        try FileManager.default.removeItem(atPath: fixture.documents + "/2026")
        let fresh = try fixture.open()
        #expect(fresh.identityCheck()?.detail.contains("identity file 3") == true)
    }

    @Test func anOlderCopyOfTheRegisterRefusesToNumber() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        _ = try register.register(fixture.newDocument())
        // A copy taken the wrong way (while open): the file alone, WAL checkpointed first.
        try register.checkpoint(truncate: true)
        let copy = fixture.root + "/old.sqlite"
        try FileManager.default.copyItem(atPath: fixture.databasePath, toPath: copy)
        for _ in 0..<2 { _ = try register.register(fixture.newDocument()) }
        removeDatabase(fixture)
        try FileManager.default.copyItem(atPath: copy, toPath: fixture.databasePath)
        let old = try fixture.open()
        #expect(old.identityCheck()?.code == .identity)
        #expect(throws: RegistryError.self) { try old.register(fixture.newDocument()) }
        #expect(try old.lastNumbers().first?.number == 1)
    }

    @Test func deletingTheDatabaseWhileOpenStopsNumbering() throws {
        let fixture = try Fixture()
        let register = try registerThree(fixture)
        #expect(register.identityCheck() == nil)
        unlink(fixture.databasePath)
        let error = try #require(register.identityCheck())
        #expect(error.detail.contains("deleted"))
        #expect(throws: RegistryError.self) { try register.register(fixture.newDocument()) }
    }

    @Test func replacingTheDatabaseWhileOpenStopsNumbering() throws {
        let fixture = try Fixture()
        let register = try registerThree(fixture)
        let other = fixture.root + "/other.sqlite"
        #expect(FileManager.default.createFile(atPath: other, contents: Data()))
        #expect(rename(other, fixture.databasePath) == 0)
        #expect(register.identityCheck()?.detail.contains("replaced") == true)
    }

    @Test func deletingTheWALWhileOpenStopsNumbering() throws {
        let fixture = try Fixture()
        let register = try registerThree(fixture)
        #expect(unlink(fixture.databasePath + "-wal") == 0)
        #expect(register.identityCheck()?.detail.contains("-wal") == true)
        #expect(throws: RegistryError.self) { try register.register(fixture.newDocument()) }
    }

    /// Copying register.sqlite alone (the mistake the issue describes) gives every registration:
    /// the WAL is checkpointed after each one.
    @Test func theDatabaseFileAloneHoldsEveryRegistration() throws {
        let fixture = try Fixture()
        let register = try registerThree(fixture)
        let copy = fixture.root + "/copy"
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.databasePath, toPath: copy + "/register.sqlite")
        let configuration = RegisterConfiguration(organisationCode: "000.00.00.H49", buildYear: 2025, documentsDirectory: copy + "/documents")
        let copied = try Register(path: copy + "/register.sqlite", configuration: configuration, clock: fixture.clock)
        #expect(try copied.list().count == 3)
        _ = register
    }

    @Test func theIdentityFileFollowsEveryNumberAndAReopenedRegisterNumbersOn() throws {
        let fixture = try Fixture()
        _ = try registerThree(fixture)
        let data = try #require(FileManager.default.contents(atPath: fixture.documents + "/.identity.json"))
        let identity = try JSONDecoder().decode(RegisterIdentity.self, from: data)
        #expect(identity.lastNumbers["DEN/2026"] == 3)
        let reopened = try fixture.open()
        #expect(reopened.identityCheck() == nil)
        #expect(try reopened.register(fixture.newDocument()).number == 4)
    }
}
