import Foundation
import GRDB

extension Schema {
    /// Number leases (issue 11, "one sequence with the centre"): blocks of số đến granted by the
    /// centre, and the box's own provisional series ("T-1", "T-2", …) used only when a block runs
    /// out offline. A provisional entry is stored with `number = -seq` until the centre confirms
    /// it with a final number; the document table is rebuilt to allow those negative numbers.
    static func registerLeases(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7-number-leases") { db in
            try DocumentTable.rebuild(db, migration: "v7-number-leases", replacing: [(
                "number INTEGER NOT NULL CHECK (number >= 1)", "number INTEGER NOT NULL CHECK (number >= 1 OR number <= -1)"
            )])
            try db.execute(sql: """
                CREATE TABLE lease (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    book TEXT NOT NULL CHECK (length(book) > 0),
                    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
                    first INTEGER NOT NULL CHECK (first >= 1),
                    last INTEGER NOT NULL CHECK (last >= first),
                    grantedAtMs INTEGER NOT NULL,
                    source TEXT NOT NULL CHECK (length(source) > 0)
                )
                """)
            try db.execute(sql: "CREATE INDEX lease_book ON lease(book, year, first)")
            try db.execute(sql: """
                CREATE TABLE provisional (
                    documentID TEXT PRIMARY KEY NOT NULL REFERENCES document(id) ON DELETE RESTRICT,
                    book TEXT NOT NULL,
                    year INTEGER NOT NULL,
                    seq INTEGER NOT NULL CHECK (seq >= 1),
                    arrivedAtMs INTEGER NOT NULL,
                    finalNumber INTEGER CHECK (finalNumber IS NULL OR finalNumber >= 1),
                    confirmedAtMs INTEGER,
                    UNIQUE (book, year, seq)
                )
                """)
        }
    }
}
