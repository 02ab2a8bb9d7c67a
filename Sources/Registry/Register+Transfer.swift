import GRDB

extension Register {
    // MARK: - outbox: resumable transfers

    /// Stores (or clears, with nil) the transfer state of one outbox row, durably: a tus upload
    /// URL is written here before the first byte is sent to it.
    public func setTransferState(outboxID: Int64, _ state: String?) throws {
        try write { db in
            try db.execute(sql: "UPDATE outbox SET transferState = ? WHERE id = ?", arguments: [state, outboxID])
            guard db.changesCount == 1 else {
                throw RegistryError.notFound("mục gửi #\(outboxID)")
            }
        }
    }

    /// The transfer state of one outbox row.
    public func transferState(outboxID: Int64) throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT transferState FROM outbox WHERE id = ?", arguments: [outboxID])
        }
    }
}
