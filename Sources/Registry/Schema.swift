import IntakeCore
import Foundation
import GRDB

/// The register's schema. Released migrations are never edited: add a new one.
///
/// Schema version 1 (released with Intake 0.1) is the three migrations `v1-documents`,
/// `v1-outbox`, `v1-audit`; each later version adds one migration (v2-identity … v8-outbox-transfer-state). A new
/// migration gets a new entry in `versions` (a test checks none is missing), and a release writes
/// a fixture register with `scripts/make-schema-fixture.sh N` into `Tests/Fixtures/`.
enum Schema {
    /// Every schema version and the migrations that make it, oldest first.
    static let versions: [(version: Int, migrations: [String])] = [
        (1, ["v1-documents", "v1-outbox", "v1-audit"]),
        (2, ["v2-identity"]),
        (3, ["v3-wrong-clock"]),
        (4, ["v4-paper-entries"]),
        (5, ["v5-secrecy-storage"]),
        (6, ["v6-reservations"]),
        (7, ["v7-number-leases"]),
        (8, ["v8-outbox-transfer-state"]),
    ]

    /// The version this code writes.
    static var current: Int { versions.last?.version ?? 0 }

    /// Every migration this code knows, in the order it applies them (the migrator's own list,
    /// so a register is never refused for a migration this code has).
    static var knownMigrations: [String] { migrator.migrations }

    /// The version a set of applied migrations amounts to (the last version fully applied).
    static func version(of applied: Set<String>) -> Int {
        var reached = 0
        for entry in versions where Set(entry.migrations).isSubset(of: applied) { reached = entry.version }
        return reached
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1-documents") { db in
            try db.execute(sql: """
                CREATE TABLE document (
                    id TEXT PRIMARY KEY NOT NULL,
                    uuid TEXT NOT NULL UNIQUE,
                    book TEXT NOT NULL CHECK (length(book) > 0),
                    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
                    number INTEGER NOT NULL CHECK (number >= 1),
                    arrivedAtMs INTEGER NOT NULL,
                    pages INTEGER NOT NULL CHECK (pages >= 0),
                    sha256 TEXT NOT NULL,
                    path TEXT NOT NULL,
                    profile TEXT NOT NULL,
                    urgency TEXT NOT NULL CHECK (urgency IN ('normal', 'khan', 'thuongKhan', 'hoaToc')),
                    secrecy TEXT NOT NULL CHECK (secrecy IN ('none', 'mat', 'toiMat', 'tuyetMat')),
                    sender TEXT,
                    notation TEXT,
                    documentDate TEXT,
                    summary TEXT,
                    recipient TEXT,
                    forwardedDate TEXT,
                    notes TEXT,
                    state TEXT NOT NULL CHECK (state IN ('registered', 'voided')),
                    voidReason TEXT,
                    UNIQUE (book, year, number),
                    CHECK (state = 'registered' OR length(trim(coalesce(voidReason, ''))) > 0),
                    CHECK (state = 'voided' OR (length(sha256) = 64 AND length(path) > 0))
                )
                """)
            try db.execute(sql: "CREATE INDEX document_arrived ON document(arrivedAtMs)")
        }

        migrator.registerMigration("v1-outbox") { db in
            try db.execute(sql: """
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    documentID TEXT NOT NULL REFERENCES document(id) ON DELETE RESTRICT,
                    target TEXT NOT NULL CHECK (length(target) > 0),
                    state TEXT NOT NULL CHECK (state IN ('pending', 'held', 'needsAttention', 'delivered', 'corrupt')),
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    nextAttemptAtMs INTEGER NOT NULL,
                    lastError TEXT,
                    lastStatus INTEGER,
                    heldReason TEXT,
                    deliveredAtMs INTEGER,
                    receipt TEXT,
                    UNIQUE (documentID, target),
                    CHECK (state != 'held' OR heldReason IS NOT NULL)
                )
                """)
            try db.execute(sql: "CREATE INDEX outbox_due ON outbox(state, nextAttemptAtMs)")
            try db.execute(sql: """
                CREATE TABLE attempt (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    outboxID INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
                    atMs INTEGER NOT NULL,
                    outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'retry', 'needsAttention', 'corrupt')),
                    status INTEGER,
                    error TEXT,
                    receipt TEXT
                )
                """)
            try db.execute(sql: "CREATE INDEX attempt_outbox ON attempt(outboxID)")
        }

        migrator.registerMigration("v1-audit") { db in
            try db.execute(sql: """
                CREATE TABLE audit (
                    seq INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1),
                    atMs INTEGER NOT NULL,
                    action TEXT NOT NULL,
                    documentID TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    rowHash TEXT NOT NULL CHECK (length(rowHash) = 64),
                    prevHash TEXT NOT NULL CHECK (length(prevHash) = 64),
                    hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
                )
                """)
            try db.execute(sql: "CREATE INDEX audit_document ON audit(documentID, seq)")
        }
        migrator.registerMigration("v2-identity") { db in
            try db.execute(sql: """
                CREATE TABLE register_identity (
                    uuid TEXT NOT NULL CHECK (length(uuid) > 0),
                    createdAtMs INTEGER NOT NULL
                )
                """)
        }
        migrator.registerMigration("v3-wrong-clock") { db in
            // 1 on an entry voided because it was numbered under a clock set in the future.
            try db.execute(sql: "ALTER TABLE document ADD COLUMN wrongClock INTEGER NOT NULL DEFAULT 0 CHECK (wrongClock IN (0, 1))")
        }

        // Paper registered by hand while the box was down is entered afterwards without a file
        // (`Register.addPaperEntry`); its scan may be attached later.
        migrator.registerMigration("v4-paper-entries") { db in
            try DocumentTable.rebuild(db, migration: "v4-paper-entries", replacing: [(
                "CHECK (state = 'voided' OR (length(sha256) = 64 AND length(path) > 0))",
                "CHECK (state = 'voided' OR (length(sha256) = 64 AND length(path) > 0)\n"
                    + "       OR (profile = 'paper' AND sha256 = '' AND path = ''))"
            )])
        }

        migrator.registerMigration("v5-secrecy-storage") { db in
            try SecrecyMigration.run(db)
        }

        registerReservationMigration(&migrator)
        registerLeases(&migrator)
        registerTransferState(&migrator)
        return migrator
    }
}

/// Adds the "sensitive" class to the secrecy CHECK, lets a registered row have no file when its
/// pages are not kept (`storage = 'none'`), and adds the `storage` and `marksCheck` columns.
///
/// SQLite cannot change a CHECK in place, so the table is rebuilt once (SQLite's documented
/// twelve steps) from its own current definition: columns other migrations add survive.
enum SecrecyMigration {
    static let oldSecrecy = "CHECK (secrecy IN ('none', 'mat', 'toiMat', 'tuyetMat'))"
    static let newSecrecy = "CHECK (secrecy IN ('none', 'mat', 'toiMat', 'tuyetMat', 'sensitive'))"
    /// The start of the file CHECK (v4-paper-entries extends it with an OR after this part).
    static let oldFile = "CHECK (state = 'voided' OR (length(sha256) = 64 AND length(path) > 0)"
    static let newFile = "CHECK (state = 'voided' OR storage = 'none' OR (length(sha256) = 64 AND length(path) > 0)"

    static func run(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE document ADD COLUMN storage TEXT NOT NULL DEFAULT 'plain'
                CHECK (storage IN ('plain', 'sealed', 'none'))
            """)
        try db.execute(sql: """
            ALTER TABLE document ADD COLUMN marksCheck TEXT NOT NULL DEFAULT 'notRequired'
                CHECK (marksCheck IN ('notRequired', 'pending', 'passed', 'flagged'))
            """)
        try DocumentTable.rebuild(db, migration: "v5-secrecy-storage",
                                  replacing: [(oldSecrecy, newSecrecy), (oldFile, newFile)])
    }
}

/// The document table's CHECKs, changed: SQLite cannot alter a CHECK in place, so the table is
/// rebuilt (SQLite's documented twelve steps; GRDB runs migrations with foreign keys off and
/// checks them before commit) from its own stored definition with `replacements` applied —
/// columns other migrations added survive — and its indexes are made again.
enum DocumentTable {
    static func rebuild(_ db: Database, migration: String, replacing replacements: [(old: String, new: String)]) throws {
        let definition = try String.fetchOne(
            db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'document'") ?? ""
        // A table renamed into place by an earlier rebuild is stored as CREATE TABLE "document".
        let header = ["CREATE TABLE document (", "CREATE TABLE \"document\" ("].first { definition.hasPrefix($0) }
        guard let header, replacements.allSatisfy({ definition.contains($0.old) }) else {
            throw RegistryError(.integrity, "Sổ đăng ký có cấu trúc lạ, không nâng cấp được.",
                                detail: "migration \(migration): unexpected document table: \(definition)")
        }
        var rebuilt = "CREATE TABLE document_rebuilt (" + definition.dropFirst(header.count)
        for replacement in replacements {
            rebuilt = rebuilt.replacingOccurrences(of: replacement.old, with: replacement.new)
        }
        let indexes = try String.fetchAll(
            db, sql: "SELECT sql FROM sqlite_master WHERE tbl_name = 'document' AND type IN ('index', 'trigger') AND sql IS NOT NULL")
        try db.execute(sql: rebuilt)
        try db.execute(sql: "INSERT INTO document_rebuilt SELECT * FROM document")
        try db.execute(sql: "DROP TABLE document")
        try db.execute(sql: "ALTER TABLE document_rebuilt RENAME TO document")
        for statement in indexes { try db.execute(sql: statement) }
    }
}
