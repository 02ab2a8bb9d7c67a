import IntakeCore
import Foundation
import GRDB

extension Register {
    /// Replaces a registered, plainly stored document's PDF by an updated copy, the way a restamp
    /// does: the file is copied to .pending/, `update` changes the copy (an appended incremental
    /// update), the copy is fsynced and hashed, the new sha256 is recorded with audit entry
    /// `action` (`detail` plus old and new sha256 and byte counts), and the copy is swapped in
    /// after the commit. Refused, file untouched, when the document is not registered with a plain
    /// file, when `update` throws, or when the register's sha256 changed meanwhile.
    @discardableResult
    public func updateFile(documentID: String, action: String, detail: [String: String],
                           update: (String) throws -> Void) throws -> RegisteredDocument {
        try RegisterLock(documentsDirectory: configuration.documentsDirectory).shared {
            try updateFileLocked(documentID: documentID, action: action, detail: detail, update: update)
        }
    }

    private func updateFileLocked(documentID: String, action: String, detail: [String: String],
                                  update: (String) throws -> Void) throws -> RegisteredDocument {
        if let problem = identityCheck() { throw problem }
        guard let current = try read({ db in try DocumentRecord.fetchOne(db, key: documentID) }) else {
            throw RegistryError.notFound(documentID)
        }
        guard current.state == RegisteredDocument.State.registered.rawValue, current.storage == DocumentStorage.plain.stored,
              !current.path.isEmpty
        else {
            throw RegistryError(.invalidState, "Văn bản không có tệp thường để cập nhật.",
                                detail: "\(documentID): state \(current.state), storage \(current.storage)")
        }
        let path = files.absolute(current.path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RegistryError.storage("Không đọc được tệp văn bản.", detail: "read \(current.path)")
        }
        let pending = files.pendingPDF(current.uuid)
        try files.writeDurably(data, to: pending)
        let newSHA: String
        let newBytes: Int
        do {
            try update(pending)
            try DocumentFiles.fsync(pending)
            newSHA = try Hashing.file(pending)
            newBytes = try DocumentFiles.size(pending)
        } catch {
            try? files.remove(pending)
            throw error
        }
        let record: DocumentRecord = try commit(removingOnFailure: pending) { db in
            guard var record = try DocumentRecord.fetchOne(db, key: documentID), record.sha256 == current.sha256 else {
                throw RegistryError(.invalidState, "Tệp văn bản đã thay đổi trong khi cập nhật.",
                                    detail: "\(documentID): sha256 changed during \(action)")
            }
            record.sha256 = newSHA
            try record.update(db)
            var audit = detail
            audit["sha256"] = newSHA
            audit["previous_sha256"] = current.sha256
            audit["bytes"] = String(newBytes)
            audit["previous_bytes"] = String(data.count)
            try appendAudit(db, action: action, record: record, now: clock.now(), detail: audit)
            return record
        }
        do {
            try DocumentFiles.rename(pending, path)
            try DocumentFiles.fsync(DocumentFiles.directory(of: path))
        } catch let error as RegistryError {
            throw RegistryError(.storage, "Đã ghi sổ nhưng chưa thay được tệp; gọi kỹ thuật viên.",
                                detail: "\(documentID) \(action): \(error.detail)")
        }
        return record.document(in: files.root)
    }

    /// Commits `body` for a file waiting at `pending`: the file goes if the transaction fails;
    /// once it holds, the WAL is noted and checkpointed as after every registration.
    func commit<T>(removingOnFailure pending: String, _ body: (Database) throws -> T) throws -> T {
        let result: T
        do {
            result = try write(body)
        } catch {
            try? files.remove(pending)
            throw error
        }
        openedFiles?.noteWAL()
        try? checkpoint()
        return result
    }
}
