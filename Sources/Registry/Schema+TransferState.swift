import GRDB

extension Schema {
    /// Adds `outbox.transferState`: what a resumable target needs to carry on after a crash (a tus
    /// upload URL, a paperless task id), stored before the transfer it describes goes on.
    static func registerTransferState(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8-outbox-transfer-state") { db in
            try db.execute(sql: "ALTER TABLE outbox ADD COLUMN transferState TEXT")
        }
    }
}
