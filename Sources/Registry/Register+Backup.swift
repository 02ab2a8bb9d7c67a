import Foundation
import GRDB

extension Register {
    // MARK: - online backup

    /// Copies the register into a new SQLite file at `path` with SQLite's online backup API,
    /// from one read snapshot: consistent even while the daemon registers documents.
    /// Returns what the copy holds.
    public func backupDatabase(to path: String) throws -> BackupSnapshot {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw RegistryError.storage("Tệp sao lưu đã có.", detail: "backup destination exists: \(path)")
        }
        do {
            let destination = try DatabaseQueue(path: path)
            try writer.backup(to: destination)
            // A single file, not WAL: the copy must be complete on its own.
            try destination.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            let snapshot = try destination.read { db in try Self.snapshot(db) }
            try destination.close()
            return snapshot
        } catch {
            throw RegistryError.storage(
                "Không sao lưu được sổ đăng ký.", detail: "backup to \(path): \(error)")
        }
    }

    static func snapshot(_ db: Database) throws -> BackupSnapshot {
        let last = try Row.fetchAll(
            db, sql: "SELECT book, year, MAX(number) AS number FROM document GROUP BY book, year ORDER BY book, year"
        ).map { LastNumber(book: $0["book"], year: $0["year"], number: $0["number"]) }
        let documents = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document") ?? 0
        let classified = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document WHERE secrecy != 'none'") ?? 0
        let audit = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit") ?? 0
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        return BackupSnapshot(
            lastNumbers: last, documents: documents, classifiedDocuments: classified, auditEntries: audit,
            schemaVersion: Schema.version(of: Set(applied)))
    }

    /// What the register holds now (the same figures a backup records).
    public func snapshot() throws -> BackupSnapshot {
        try read { db in try Self.snapshot(db) }
    }

    /// Whether any classified (mật, tối mật, tuyệt mật) document is in the register.
    public func hasClassifiedDocuments() throws -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM document WHERE secrecy != 'none')") ?? false }
    }
}

/// What a register (or a backup of it) holds: the last numbers and a few counts.
public struct BackupSnapshot: Sendable, Equatable, Codable {
    public var lastNumbers: [LastNumber]
    public var documents: Int
    public var classifiedDocuments: Int
    public var auditEntries: Int
    public var schemaVersion: Int
}

extension Register {
    /// The files a register copy at `path` expects in its documents directory: for each registered
    /// document whose copy retention did not remove, its final path and its `.pending/` path.
    public static func expectedFiles(ofDatabase path: String) throws -> [(final: String, pending: String)] {
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT path, uuid FROM document d
                    WHERE state = 'registered' AND path != ''
                      AND NOT EXISTS (SELECT 1 FROM audit a WHERE a.documentID = d.id AND a.action = ?)
                    """, arguments: [retentionAction])
                    .map { (final: $0["path"], pending: ".pending/\($0["uuid"] as String).pdf") }
            }
        } catch {
            throw RegistryError.storage("Không đọc được bản sao sổ.", detail: "read \(path): \(error)")
        }
    }
}

extension Register {
    /// The last number of every book and year in a register file, read without changing it.
    public static func lastNumbers(ofDatabase path: String) throws -> [LastNumber] {
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in try snapshot(db).lastNumbers }
        } catch {
            throw RegistryError.storage("Không đọc được sổ cũ.", detail: "read \(path): \(error)")
        }
    }
}
