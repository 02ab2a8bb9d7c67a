import IntakeCore
import Foundation
import GRDB
public import IntakeDigest

/// The incoming register (Sổ đăng ký văn bản đến): one SQLite file plus the documents directory.
///
/// Like GRDB's demo `AppDatabase`: a `Sendable` value holding the database writer, migrating in
/// `init`, exposing domain methods. Every unit of meaning is one write transaction.
public struct Register: Sendable {
    let writer: any DatabaseWriter
    public let configuration: RegisterConfiguration
    let clock: any WallClock
    let files: DocumentFiles
    /// Draws the ĐẾN stamp on each PDF as it is numbered; nil registers the PDF as scanned.
    public var stamper: (any DocumentStamper)?
    /// The database file as opened (nil in memory), to notice it deleted or replaced.
    let openedFiles: OpenedFiles?
    /// Why numbering is refused since the register was opened (an older or foreign register).
    private(set) var openProblem: RegistryError?

    /// Opens (creating if needed) the register at `path`: WAL, synchronous=FULL, migrated.
    /// Several processes may open the same file; writers wait up to 30 s for each other.
    public init(path: String, configuration: RegisterConfiguration, clock: any WallClock) throws {
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let pool: DatabasePool
        do {
            try FileManager.default.createDirectory(
                atPath: DocumentFiles.directory(of: path), withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: config)
            // After GRDB's WAL set-up, which sets NORMAL ("many applications choose NORMAL in WAL
            // mode"): a commit must reach the disk before a number is given, not at the next
            // checkpoint, or a power cut could take back a number already stamped and announced.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw RegistryError.storage(
                "Không mở được sổ đăng ký.", detail: "open \(path): \(error)")
        }
        try self.init(writer: pool, configuration: configuration, clock: clock, openedFiles: OpenedFiles(path: path))
        openProblem = try establishIdentity()
    }

    /// A register in memory (documents still go to `configuration.documentsDirectory`). For tests.
    public static func inMemory(configuration: RegisterConfiguration, clock: any WallClock) throws -> Register {
        do {
            return try Register(writer: DatabaseQueue(), configuration: configuration, clock: clock, openedFiles: nil)
        } catch {
            throw RegistryError.database(error)
        }
    }

    private init(writer: any DatabaseWriter, configuration: RegisterConfiguration, clock: any WallClock, openedFiles: OpenedFiles?) throws {
        self.writer = writer
        self.openedFiles = openedFiles
        self.configuration = configuration
        self.clock = clock
        self.files = DocumentFiles(root: configuration.documentsDirectory)
        self.stamper = nil
        try Self.refuseNewerSchema(writer)
        do {
            try Schema.migrator.migrate(writer)
        } catch {
            throw RegistryError.database(error)
        }
        try files.prepareDirectories()
    }

    // MARK: - database access

    func write<T>(_ updates: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(updates)
        } catch {
            throw RegistryError.database(error)
        }
    }

    /// Copies the WAL's committed pages into the database file, so `register.sqlite` alone holds
    /// every registration (a copy of the file alone is then not an empty register). `truncate`
    /// also empties the WAL; the passive kind never waits for readers.
    public func checkpoint(truncate: Bool = false) throws {
        do {
            try writer.writeWithoutTransaction { db in
                _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(\(truncate ? "TRUNCATE" : "PASSIVE"))")
            }
        } catch {
            throw RegistryError.database(error)
        }
    }

    func read<T>(_ value: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(value)
        } catch {
            throw RegistryError.database(error)
        }
    }

    // MARK: - registration

    /// Numbers a scanned document: moves its PDF durably into the documents directory, then in
    /// one transaction checks the clock, takes the next number in its book for this year, and
    /// writes the row, one outbox row per target and a chained audit entry.
    ///
    /// If the transaction fails the staged file is put back and nothing is numbered. If the final
    /// move fails after the commit, the number stands and the error says so; `recover()` finishes it.
    ///
    /// `stagedDigest`: the SHA-256 of the staged file as its writer produced it (`RunningDigest`);
    /// the file is then not read back to be hashed, nor read again after the ĐẾN stamp.
    ///
    /// `registered` is called the moment the document is registered — its row committed to the
    /// disk and its PDF durably in its place — before the register's upkeep (the identity file's
    /// copy of the last number, the WAL checkpoint), which may lag a crash by one registration.
    public func register(_ doc: NewDocument, stagedDigest: RunningDigest? = nil,
                         registered: (RegisteredDocument) -> Void = { _ in }) throws -> RegisteredDocument {
        let document = try RegisterLock(documentsDirectory: configuration.documentsDirectory).shared {
            try registerLocked(doc, stagedDigest: stagedDigest, registered: registered)
        }
        try? checkpoint()
        return document
    }

    private func registerLocked(_ doc: NewDocument, stagedDigest: RunningDigest?,
                                registered: (RegisteredDocument) -> Void) throws -> RegisteredDocument {
        if let problem = identityCheck() { throw problem }
        let doc = try validated(doc)
        let status = try clockCheck()
        guard status.isOK else { throw RegistryError.clockWrong(status.message, detail: "\(status.verdict)") }
        if doc.storage == .none {
            // Numbered without pages: nothing to move, nothing in flight to recover.
            let sidecar = Sidecar(uuid: UUID().uuidString.lowercased(), document: doc, sha256: "", stagedAtMs: Millis.of(clock.now()))
            let record = try write { db in try insert(db, sidecar: sidecar, action: "register") }
            let document = record.document(in: files.root)
            openedFiles?.noteWAL()
            registered(document)
            noteGiven(book: record.book, year: record.year, number: record.number)
            return document
        }

        let bytes = try DocumentFiles.size(doc.stagedFile)
        // A digest counts only for the file it was fed: same size (the writer wrote nothing else).
        let written = stagedDigest.flatMap { $0.byteCount == bytes ? $0 : nil }
        let sha256 = try files.seal(staged: doc.stagedFile, digest: written)
        let sidecar = Sidecar(
            uuid: UUID().uuidString.lowercased(), document: doc, sha256: sha256,
            stagedAtMs: Millis.of(clock.now()), bytes: bytes)
        try files.stage(sidecar)

        let record: DocumentRecord
        do {
            record = try write { db in try insert(db, sidecar: sidecar, action: "register", digest: written) }
        } catch {
            // A stamp drawn for a number that was not committed comes off again.
            try? files.restoreUnstamped(sidecar)
            try? files.unstage(sidecar)
            throw error
        }
        openedFiles?.noteWAL()
        do {
            try files.finish(uuid: record.uuid, relativePath: record.path)
        } catch let error as RegistryError {
            noteGiven(book: record.book, year: record.year, number: record.number)
            throw RegistryError(
                .storage, "Đã cấp số \(record.number) (sổ \(record.book)) nhưng chưa chuyển được tệp; khởi động lại để hoàn tất.",
                detail: "\(record.id): \(error.detail)")
        }
        let document = record.document(in: files.root)
        registered(document)
        noteGiven(book: record.book, year: record.year, number: record.number)
        return document
    }

    func validated(_ doc: NewDocument) throws -> NewDocument {
        var doc = doc
        doc.profile = Text.nfc(doc.profile)
        doc.fields = try doc.fields.normalised.checked()
        doc.targets = doc.targets.map(Text.nfc)
        guard doc.pages >= 0 else {
            throw RegistryError.invalidField("Số trang không hợp lệ.", detail: "pages \(doc.pages) < 0")
        }
        guard doc.storage != .none || doc.targets.isEmpty else {
            throw RegistryError.invalidField(
                "Văn bản không lưu bản quét thì không có gì để gửi.", detail: "storage none with targets \(doc.targets)")
        }
        guard !doc.targets.contains(where: \.isEmpty), Set(doc.targets).count == doc.targets.count else {
            throw RegistryError.invalidField(
                "Danh sách nơi gửi không hợp lệ.", detail: "targets empty or repeated: \(doc.targets)")
        }
        return doc
    }

    /// The heart of numbering; runs inside a write transaction.
    func insert(_ db: Database, sidecar: Sidecar, action: String, digest: RunningDigest? = nil) throws -> DocumentRecord {
        let now = clock.now()
        let status = try clockStatus(db, now: now)
        guard status.isOK else { throw RegistryError.clockWrong(status.message, detail: "\(status.verdict)") }

        let doc = sidecar.document
        let book = configuration.book(for: doc.secrecy)
        let year = configuration.year(of: now)
        let number = try doc.reservation.map { try claimReservation(db, id: $0, book: book, year: year) }
            ?? nextNumber(db, book: book, year: year)
        let id = documentID(book: book, year: year, number: number, uuid: sidecar.uuid)
        let kept = doc.storage != .none
        // The ĐẾN stamp goes on the plaintext PDF before it is sealed (only kept, plain pages here).
        let stamped = kept && doc.storage == .plain ? try stampPending(sidecar, entry: StampEntry(
            book: book, year: year, number: number, arrivedAt: now, timeZone: configuration.timeZone,
            secrecy: doc.secrecy, urgency: doc.urgency, fields: doc.fields), digest: digest) : nil
        var record = DocumentRecord(
            id: id, uuid: sidecar.uuid, book: book, year: year, number: number,
            arrivedAtMs: Millis.of(now), pages: kept ? doc.pages : 0, sha256: kept ? (stamped ?? sidecar.sha256) : "",
            path: kept ? DocumentFiles.relativePath(year: year, id: id) + (doc.storage == .sealed ? ".enc" : "") : "",
            profile: doc.profile,
            urgency: doc.urgency.stored, secrecy: doc.secrecy.stored, state: "registered",
            storage: doc.storage.stored, marksCheck: doc.marksCheck.stored)
        record.fields = doc.fields
        try record.insert(db)
        if let reservation = doc.reservation { try markReservationUsed(db, id: reservation, documentID: id) }
        let held = number < 0 ? Self.provisionalHold(number) : nil
        if number < 0 { try recordProvisional(db, record: record) }
        for target in doc.targets {
            var outbox = OutboxRecord(
                documentID: id, target: target, state: (held == nil ? OutboxState.pending : .held).stored, attempts: 0,
                nextAttemptAtMs: Millis.of(now), heldReason: held)
            try outbox.insert(db)
        }
        var detail = [
            "book": book, "year": String(year), "number": StampEntry.text(of: number), "sha256": record.sha256,
            "targets": doc.targets.joined(separator: ","),
        ]
        if number < 0 { detail["provisional"] = "true" }
        if stamped != nil, let bytes = sidecar.bytes {
            detail["scan_sha256"] = sidecar.sha256
            detail["scan_bytes"] = String(bytes)
        }
        try appendAudit(db, action: action, record: record, now: now, detail: detail)
        return record
    }

    /// Stamps the PDF in `.pending/` with the number just taken, makes it durable and returns
    /// the SHA-256 of the stamped file; nil when the register has no stamper.
    /// With the digest of the unstamped file, only the appended update is read to hash it.
    func stampPending(_ sidecar: Sidecar, entry: StampEntry, digest: RunningDigest? = nil) throws -> String? {
        guard let stamper else { return nil }
        let pdf = files.pendingPDF(sidecar.uuid)
        do {
            try stamper.stamp(pdfAt: pdf, entry: entry)
            try DocumentFiles.fsync(pdf)
            if let digest { return try Hashing.file(pdf, continuing: digest) }
            return try Hashing.file(pdf)
        } catch {
            try? files.restoreUnstamped(sidecar)
            if let error = error as? RegistryError { throw error }
            throw RegistryError(
                .stamp, "Không đóng được dấu ĐẾN lên văn bản — gọi kỹ thuật viên.",
                detail: "stamp \(pdf): \(error)")
        }
    }

    /// The next số đến; negative (`-seq`, shown "T-seq") for a provisional number when a leased
    /// book has no number left in its blocks (`Register+Leases`).
    func nextNumber(_ db: Database, book: String, year: Int) throws -> Int {
        if configuration.isLeased(book) { return try nextLeasedNumber(db, book: book, year: year) }
        let last = try Int.fetchOne(
            db, sql: "SELECT MAX(number) FROM document WHERE book = ? AND year = ? AND number > 0", arguments: [book, year])
        return max(last ?? 0, try Self.highestReserved(db, book: book, year: year) ?? 0) + 1
    }

    func documentID(book: String, year: Int, number: Int, uuid: String) -> String {
        let digits = String(abs(number))
        let padded = (number < 0 ? "T" : "") + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        let short = String(uuid.filter { $0 != "-" }.prefix(8))
        return "\(configuration.organisationCode)-\(book)-\(year)-\(padded)-\(short)"
    }
}
