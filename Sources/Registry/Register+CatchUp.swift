import IntakeCore
public import Foundation
import GRDB

/// An arrival registered on paper while the box was down (dead scanner, full disk), entered
/// into the book afterwards with its real arrival time and the number written on it.
public struct PaperEntry: Sendable, Equatable {
    /// The number given by hand; it must be the next one in its book for that year.
    public var number: Int
    /// When the paper really arrived (Ngày đến), not when it is typed in.
    public var arrivedAt: Date
    public var urgency: Urgency
    /// Decides the book, as for a scan.
    public var secrecy: Secrecy
    public var fields: RegisterFields
    /// Pages of the paper document, if counted.
    public var pages: Int

    public init(number: Int, arrivedAt: Date, urgency: Urgency = .normal, secrecy: Secrecy = .none,
                fields: RegisterFields = RegisterFields(), pages: Int = 0) {
        self.number = number
        self.arrivedAt = arrivedAt
        self.urgency = urgency
        self.secrecy = secrecy
        self.fields = fields
        self.pages = pages
    }
}

extension Register {
    /// The profile name that marks an entry made from paper (no scan, no file yet).
    public static let paperProfile = "paper"

    // MARK: - catch-up after a paper fallback

    /// Enters a paper-registered arrival. Refused, with nothing written, when the number is
    /// not the next one in its book for that year (a duplicate, or a gap), when the arrival
    /// time is earlier than the book's last entry or later than now. Audited as "paper-register".
    /// The entry has no file and nothing to deliver until a scan is attached (`attach`).
    public func addPaperEntry(_ entry: PaperEntry) throws -> RegisteredDocument {
        try RegisterLock(documentsDirectory: configuration.documentsDirectory).shared { try addPaperEntryLocked(entry) }
    }

    private func addPaperEntryLocked(_ entry: PaperEntry) throws -> RegisteredDocument {
        if let problem = identityCheck() { throw problem }
        let fields = entry.fields.normalised
        guard entry.number >= 1 else {
            throw RegistryError.invalidField("Số đến phải từ 1 trở lên.", detail: "paper entry number \(entry.number)")
        }
        guard entry.pages >= 0 else {
            throw RegistryError.invalidField("Số trang không hợp lệ.", detail: "pages \(entry.pages) < 0")
        }
        let record: DocumentRecord = try write { db in
            let now = clock.now()
            let book = configuration.book(for: entry.secrecy)
            let year = configuration.year(of: entry.arrivedAt)
            let formatter = Self.vietnamTimestamp(configuration.timeZone)
            guard entry.arrivedAt <= now else {
                throw RegistryError.invalidField(
                    "Ngày đến \(formatter.string(from: entry.arrivedAt)) ở tương lai; kiểm tra lại ngày giờ trên sổ giấy.",
                    detail: "paper entry arrived \(entry.arrivedAt) after now \(now)")
            }
            if try DocumentRecord.numbered(book: book, year: year, number: entry.number)
                .fetchOne(db) != nil
            {
                throw RegistryError(
                    .duplicate, "Số \(entry.number) sổ \(book) năm \(year) đã có trong sổ; không nhập trùng.",
                    detail: "paper entry would duplicate \(book)/\(year)/\(entry.number)")
            }
            let next = try nextNumber(db, book: book, year: year)
            guard entry.number == next else {
                throw RegistryError(
                    .outOfOrder, "Số tiếp theo của sổ \(book) năm \(year) là \(next); nhập các văn bản theo đúng thứ tự số.",
                    detail: "paper entry number \(entry.number), next in \(book)/\(year) is \(next)")
            }
            if let lastMs = try Int64.fetchOne(
                db, sql: "SELECT MAX(arrivedAtMs) FROM document WHERE book = ? AND year = ?", arguments: [book, year]),
                Millis.of(entry.arrivedAt) / 60_000 < lastMs / 60_000
            {
                // Paper times are written to the minute: the same minute as the last entry is in order.
                throw RegistryError(
                    .outOfOrder,
                    "Ngày đến \(formatter.string(from: entry.arrivedAt)) sớm hơn văn bản trước trong sổ (\(formatter.string(from: Millis.date(lastMs)))); số và thời gian phải cùng thứ tự.",
                    detail: "paper entry arrived before the last entry of \(book)/\(year)")
            }
            let uuid = UUID().uuidString.lowercased()
            var record = DocumentRecord(
                id: documentID(book: book, year: year, number: entry.number, uuid: uuid), uuid: uuid,
                book: book, year: year, number: entry.number, arrivedAtMs: Millis.of(entry.arrivedAt),
                pages: entry.pages, sha256: "", path: "", profile: Self.paperProfile,
                urgency: entry.urgency.stored, secrecy: entry.secrecy.stored, state: "registered")
            record.fields = fields
            try record.insert(db)
            try appendAudit(db, action: "paper-register", record: record, now: now, detail: [
                "book": book, "year": String(year), "number": String(entry.number),
                "arrived": formatter.string(from: entry.arrivedAt), "entered": formatter.string(from: now),
            ])
            return record
        }
        openedFiles?.noteWAL()
        noteGiven(book: record.book, year: record.year, number: record.number)
        try? checkpoint()
        return record.document(in: files.root)
    }

    /// Attaches a scan to an entry that has no file yet (one entered from paper): the PDF is
    /// copied durably into the documents directory, stamped when `stamp` is true and the
    /// register has a stamper, hashed, and queued for delivery to `targets`, all recorded in
    /// one transaction with an "attach" audit entry. The file at `source` is left as it is.
    public func attach(
        book: String, year: Int, number: Int, source: String, pages: Int? = nil, targets: [String], stamp: Bool = true
    ) throws -> RegisteredDocument {
        try RegisterLock(documentsDirectory: configuration.documentsDirectory).shared {
            try attachLocked(book: book, year: year, number: number, source: source, pages: pages, targets: targets, stamp: stamp)
        }
    }

    private func attachLocked(
        book: String, year: Int, number: Int, source: String, pages: Int?, targets: [String], stamp: Bool
    ) throws -> RegisteredDocument {
        if let problem = identityCheck() { throw problem }
        let targets = targets.map(Text.nfc)
        guard !targets.contains(where: \.isEmpty), Set(targets).count == targets.count else {
            throw RegistryError.invalidField("Danh sách nơi gửi không hợp lệ.", detail: "targets empty or repeated: \(targets)")
        }
        guard let found = try read({ db in
            try DocumentRecord.numbered(book: book, year: year, number: number).fetchOne(db)
        }) else { throw RegistryError.notFound("số \(number) sổ \(book) năm \(year)") }
        try Self.checkAttachable(found)
        guard let data = FileManager.default.contents(atPath: source) else {
            throw RegistryError.invalidField("Không đọc được tệp \(source).", detail: "read \(source) failed")
        }
        guard data.starts(with: Array("%PDF-".utf8)) else {
            throw RegistryError.invalidField("Tệp \(source) không phải PDF.", detail: "\(source) has no %PDF- header")
        }

        // The pending name is the entry's own uuid: recovery then never mistakes it for a new
        // scan; if we crash before the commit, it is left in .pending/ and the attach is redone.
        let pending = files.pendingPDF(found.uuid)
        try files.writeDurably(data, to: pending)
        let sidecar = Sidecar(
            uuid: found.uuid, document: NewDocument(profile: found.profile, pages: pages ?? 0, stagedFile: source),
            sha256: "", stagedAtMs: Millis.of(clock.now()), bytes: data.count)
        let record: DocumentRecord = try commit(removingOnFailure: pending) { db in
            var record = try existing(db, book: book, year: year, number: number)
            try Self.checkAttachable(record)
            let now = clock.now()
            var sha256 = try Hashing.file(pending)
            let scanSHA = sha256
            if stamp, let stamped = try stampPending(sidecar, entry: StampEntry(
                book: book, year: year, number: number, arrivedAt: Millis.date(record.arrivedAtMs),
                timeZone: configuration.timeZone, secrecy: Secrecy(stored: record.secrecy),
                urgency: Urgency.fromStored(record.urgency) ?? .normal, fields: record.fields))
            {
                sha256 = stamped
            }
            record.sha256 = sha256
            record.path = DocumentFiles.relativePath(year: year, id: record.id)
            if let pages { record.pages = pages }
            try record.update(db)
            for target in targets {
                var outbox = OutboxRecord(
                    documentID: record.id, target: target, state: OutboxState.pending.stored, attempts: 0,
                    nextAttemptAtMs: Millis.of(now))
                try outbox.insert(db)
            }
            var detail = ["sha256": sha256, "pages": String(record.pages), "targets": targets.joined(separator: ",")]
            if sha256 != scanSHA {
                detail["scan_sha256"] = scanSHA
                detail["scan_bytes"] = String(data.count)
            }
            try appendAudit(db, action: "attach", record: record, now: now, detail: detail)
            return record
        }
        do {
            try files.finish(uuid: record.uuid, relativePath: record.path)
        } catch let error as RegistryError {
            throw RegistryError(
                .storage, "Đã gắn tệp vào số \(record.number) (sổ \(record.book)) nhưng chưa chuyển được tệp; khởi động lại để hoàn tất.",
                detail: "\(record.id): \(error.detail)")
        }
        return record.document(in: files.root)
    }

    private static func checkAttachable(_ record: DocumentRecord) throws {
        guard record.state == "registered" else {
            throw RegistryError(
                .alreadyVoided, "Số \(record.number) sổ \(record.book) năm \(record.year) đã bị hủy, không gắn tệp được.",
                detail: "attach to voided \(record.id)")
        }
        guard record.path.isEmpty else {
            throw RegistryError(
                .invalidState, "Số \(record.number) sổ \(record.book) năm \(record.year) đã có tệp văn bản.",
                detail: "attach to \(record.id), which has \(record.path)")
        }
    }

    static func vietnamTimestamp(_ zone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = zone
        formatter.dateFormat = "dd/MM/yyyy HH:mm"
        return formatter
    }
}
