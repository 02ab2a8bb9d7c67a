public import IntakeCore
import Foundation
import GRDB

/// Who a register is, kept twice: in the database (one row) and outside it, durably, in the
/// documents directory (`.identity.json`: the register's UUID and the last number of every
/// book and year). A register that is empty, older or foreign beside newer documents refuses to
/// number — so deleting or replacing `register.sqlite` can never make "Số đến 1" come again —
/// and a running process notices its database file deleted or replaced under it.
struct RegisterIdentity: Codable, Equatable, Sendable {
    var uuid: String
    /// "BOOK/YEAR" → last number given.
    var lastNumbers: [String: Int]

    static let fileName = ".identity.json"

    static func key(book: String, year: Int) -> String { "\(book)/\(year)" }
}

/// The file identity of the open database, to notice it deleted or replaced under us.
struct DatabaseFileIdentity: Sendable, Equatable {
    var device: UInt64
    var inode: UInt64

    static func of(_ path: String) -> DatabaseFileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return DatabaseFileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}

extension Register {
    var identityPath: String { files.root + "/" + RegisterIdentity.fileName }

    /// Checks the register against its documents at open, creating the identity of a new one.
    /// Returns the problem that stops numbering, if any (reading still works, for diagnosis).
    func establishIdentity() throws -> RegistryError? {
        // What lies outside the database is read first: every number there was committed before
        // it got there, so the database read afterwards holds it even while others register.
        let outside = readIdentityFile()
        let onDisk = documentNumbersOnDisk()
        let stored = try read { db in try String.fetchOne(db, sql: "SELECT uuid FROM register_identity") }
        let inDatabase = try lastNumberMap()
        if let outside, let stored, outside.uuid != stored {
            return .identity(
                "Sổ đăng ký không khớp với thư mục văn bản — không cấp số.",
                detail: "register.sqlite is register \(stored) but the documents directory belongs to register \(outside.uuid); "
                    + "put the right register back (`intake restore --from BACKUP`) or move \(files.root) away")
        }
        if let problem = Self.older(database: inDatabase, than: outside?.lastNumbers ?? [:], source: "its identity file")
            ?? Self.older(database: inDatabase, than: onDisk, source: "the PDFs in \(files.root)") {
            return problem
        }
        let uuid = stored ?? outside?.uuid ?? UUID().uuidString.lowercased()
        if stored == nil {
            try write { db in
                try db.execute(sql: "INSERT INTO register_identity (uuid, createdAtMs) VALUES (?, ?)",
                               arguments: [uuid, Millis.of(clock.now())])
            }
        }
        var identity = outside ?? RegisterIdentity(uuid: uuid, lastNumbers: [:])
        identity.lastNumbers.merge(inDatabase) { max($0, $1) }
        // Best effort: another process may be writing it too; the next registration writes it again.
        if identity != outside { try? writeIdentityFile(identity) }
        return nil
    }

    /// The database holds fewer numbers than `other` knows were given: numbering from it would
    /// issue numbers a second time.
    static func older(database: [String: Int], than other: [String: Int], source: String) -> RegistryError? {
        let behind = other.filter { key, number in (database[key] ?? 0) < number }.sorted { $0.key < $1.key }
        guard !behind.isEmpty else { return nil }
        let list = behind.map { "\($0.key): register \(database[$0.key] ?? 0), \(source) \($0.value)" }.joined(separator: "; ")
        return .identity(
            "Sổ đăng ký cũ hơn các văn bản đã lưu — dừng cấp số để không trùng số.",
            detail: "the register is older than \(source) (\(list)); restore the last backup with `intake restore --from BACKUP` "
                + "(it voids the numbers given after the backup), never start a new register beside these documents")
    }

    /// Records a number just given in the identity file (after the commit: the file may lag the
    /// database by one registration after a crash, never lead it).
    func noteGiven(book: String, year: Int, number: Int) {
        var identity = readIdentityFile() ?? RegisterIdentity(uuid: "", lastNumbers: [:])
        let key = RegisterIdentity.key(book: book, year: year)
        guard identity.lastNumbers[key] ?? 0 < number else { return }
        identity.lastNumbers[key] = number
        if identity.uuid.isEmpty, let uuid = try? read({ db in try String.fetchOne(db, sql: "SELECT uuid FROM register_identity") }) {
            identity.uuid = uuid
        }
        try? writeIdentityFile(identity)
    }

    /// Whether numbering may go on now: the database file is still the one opened (not deleted,
    /// not replaced, its WAL not removed) and not older than its documents' identity file.
    public func identityCheck() -> RegistryError? {
        if let problem = openProblem { return problem }
        guard let opened = openedFiles else { return nil }
        let now = DatabaseFileIdentity.of(opened.path)
        if now != opened.database {
            return .identity(
                "Tệp sổ đăng ký đã bị xóa hoặc thay thế — dừng cấp số.",
                detail: "\(opened.path) was \(now == nil ? "deleted" : "replaced") while this process had it open; "
                    + "stop the service, put the register back (`intake restore --from BACKUP`) and start it again")
        }
        if let wal = opened.wal(), DatabaseFileIdentity.of(opened.path + "-wal") != wal {
            return .identity(
                "Tệp nhật ký của sổ đăng ký (-wal) đã bị xóa — dừng cấp số.",
                detail: "\(opened.path)-wal was removed or replaced while open: registrations in it would be lost; "
                    + "stop the service (do not kill it), then run `intake register verify`")
        }
        if let outside = readIdentityFile(), let inDatabase = try? lastNumberMap(),
           let problem = Self.older(database: inDatabase, than: outside.lastNumbers, source: "its identity file") {
            return problem
        }
        return nil
    }

    func lastNumberMap() throws -> [String: Int] {
        Dictionary(try lastNumbers().map { (RegisterIdentity.key(book: $0.book, year: $0.year), $0.number) }) { max($0, $1) }
    }

    /// The highest number in every book and year among the PDFs in the documents directory
    /// (their names carry it: ORG-BOOK-YEAR-NNNNNN-xxxxxxxx.pdf).
    func documentNumbersOnDisk() -> [String: Int] {
        var found: [String: Int] = [:]
        let manager = FileManager.default
        guard let years = try? manager.contentsOfDirectory(atPath: files.root) else { return [:] }
        for year in years where year.wholeMatch(of: #/[0-9]{4}/#) != nil {
            for name in (try? manager.contentsOfDirectory(atPath: files.root + "/" + year)) ?? [] where name.hasSuffix(".pdf") || name.hasSuffix(".pdf.enc") {
                let parts = name.split(separator: "-")
                guard parts.count >= 4, let number = Int(parts[parts.count - 2]), let y = Int(parts[parts.count - 3]) else { continue }
                let book = String(parts[parts.count - 4])
                let key = RegisterIdentity.key(book: book, year: y)
                found[key] = max(found[key] ?? 0, number)
            }
        }
        return found
    }

    func readIdentityFile() -> RegisterIdentity? {
        guard let data = FileManager.default.contents(atPath: identityPath) else { return nil }
        return try? JSONDecoder().decode(RegisterIdentity.self, from: data)
    }

    func writeIdentityFile(_ identity: RegisterIdentity) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data: Data
        do { data = try encoder.encode(identity) } catch {
            throw RegistryError.storage("Không ghi được tệp nhận dạng sổ.", detail: "encode identity: \(error)")
        }
        // A temporary name of its own: several processes may write the identity at once.
        try files.writeDurably(data, to: identityPath, temporary: identityPath + ".\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp")
    }
}

/// The database files as opened, to notice them deleted or replaced.
final class OpenedFiles: @unchecked Sendable {
    let path: String
    let database: DatabaseFileIdentity?
    private let lock = NSLock()
    private var walIdentity: DatabaseFileIdentity?

    init(path: String) {
        self.path = path
        self.database = DatabaseFileIdentity.of(path)
    }

    /// The WAL's identity, first seen after a write (SQLite creates it lazily).
    func wal() -> DatabaseFileIdentity? { lock.withLock { walIdentity } }

    func noteWAL() {
        lock.withLock {
            if walIdentity == nil { walIdentity = DatabaseFileIdentity.of(path + "-wal") }
        }
    }
}

extension RegistryError {
    static func identity(_ message: String, detail: String) -> RegistryError {
        RegistryError(.identity, message, detail: detail)
    }
}
