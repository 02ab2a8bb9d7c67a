import IntakeCore
import Foundation
import GRDB

/// What a register file says about its schema, for `doctor`, `backup` and upgrades.
public struct SchemaInfo: Sendable, Equatable, Codable {
    /// The schema version the file is at (0 for an empty file).
    public var version: Int
    /// The version this code writes.
    public var current: Int
    /// Migrations recorded in the file, in the order applied.
    public var applied: [String]
}

extension Register {
    /// Refuses a register written by a newer Intake: it has migrations this code does not know,
    /// and writing to it with older code could break invariants the newer code relies on.
    static func refuseNewerSchema(_ writer: any DatabaseWriter) throws {
        let applied: [String]
        do {
            applied = try writer.read { db in
                guard try db.tableExists("grdb_migrations") else { return [] }
                return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            }
        } catch {
            throw RegistryError.database(error)
        }
        let known = Set(Schema.knownMigrations)
        let unknown = applied.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw RegistryError(
                .newerSchema,
                "Sổ đăng ký do phiên bản Intake mới hơn ghi; không mở bằng phiên bản này.",
                detail: "the register has schema migrations this version (schema \(Schema.current)) does not know: "
                    + "\(unknown.joined(separator: ", ")); it was written by a newer Intake. Install that version "
                    + "again (downgrading is not supported) or restore a backup taken with this version")
        }
    }

    /// The schema version of this register file.
    public func schemaInfo() throws -> SchemaInfo {
        try read { db in
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
            return SchemaInfo(version: Schema.version(of: Set(applied)), current: Schema.current, applied: applied)
        }
    }
}
