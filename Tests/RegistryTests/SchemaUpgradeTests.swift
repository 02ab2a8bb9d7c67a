import IntakeCore
import Foundation
import Testing
@testable import Registry

/// Upgrades keep the book: a register written by each released schema version (kept in
/// Tests/Fixtures, made by scripts/make-schema-fixture.sh) opens with the current code.
@Suite struct SchemaUpgradeTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    func copy(version: Int, into fixture: Fixture) throws {
        let source = Self.fixtures.appendingPathComponent("register-schema-\(version).sqlite").path
        try FileManager.default.copyItem(atPath: source, toPath: fixture.databasePath)
    }

    /// Versions with a fixture (every released one; `scripts/make-schema-fixture.sh N` adds one).
    static var fixtureVersions: [Int] {
        Schema.versions.map(\.version).filter {
            FileManager.default.fileExists(atPath: fixtures.appendingPathComponent("register-schema-\($0).sqlite").path)
        }
    }

    @Test(arguments: fixtureVersions)
    func registerWrittenByAReleasedVersionOpensVerifiesAndNumberingContinues(version: Int) throws {
        let fixture = try Fixture(start: vn(2026, 12, 31, 12))
        try copy(version: version, into: fixture)
        let register = try fixture.open()

        let info = try register.schemaInfo()
        #expect(info.version == Schema.current)
        #expect(info.applied == Schema.knownMigrations)
        #expect(try register.verifyAuditChain().isValid)

        let before = try register.list()
        #expect(before.count >= 4)
        #expect(before.contains { $0.state == .voided && $0.voidReason?.isEmpty == false })
        #expect(before.contains { $0.secrecy.isClassified })
        let last = try #require(try register.lastNumbers().first { $0.book == "DEN" })
        let next = try register.register(fixture.newDocument())
        #expect(next.book == "DEN" && next.number == last.number + 1 && next.year == last.year)
        #expect(try register.verifyAuditChain().isValid)
    }

    @Test func registerFromANewerSchemaIsRefusedWithAClearMessage() throws {
        let fixture = try Fixture()
        do {
            let register = try fixture.open()
            try register.unsafeExecute("INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
        }
        let error = #expect(throws: RegistryError.self) { try fixture.open() }
        #expect(error?.code == .newerSchema)
        #expect(error?.detail.contains("v9-from-the-future") == true)
        #expect(error?.detail.contains("newer Intake") == true)
    }

    @Test func everyMigrationBelongsToADeclaredVersionInOrder() {
        #expect(Schema.versions.flatMap(\.migrations) == Schema.knownMigrations)
        #expect(Schema.version(of: Set(Schema.knownMigrations)) == Schema.current)
        #expect(Schema.version(of: ["v1-documents"]) == 0)
        #expect(Schema.version(of: ["v1-documents", "v1-outbox", "v1-audit"]) == 1)
        #expect(Self.fixtureVersions.contains(1))
    }
}
