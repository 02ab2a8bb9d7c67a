import IntakeCore
import Foundation
import Testing
@testable import Registry

@Suite struct SecrecyStorageTests {
    @Test func aSensitiveDocumentIsNumberedInTheClassifiedBook() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let complaint = try register.register(fixture.newDocument(secrecy: .sensitive, targets: []))
        #expect(complaint.book == "MAT" && complaint.secrecy == .sensitive)
        #expect(try register.document(id: complaint.id)?.secrecy == .sensitive)
    }

    @Test func aDocumentWithoutPagesIsNumberedWithNoFileAndRecoveryKeepsIt() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let secret = try register.register(NewDocument(profile: "default", secrecy: .mat, pages: 3, stagedFile: "",
                                                       fields: RegisterFields(notes: "không lưu"), storage: .none))
        #expect(secret.book == "MAT" && secret.number == 1)
        #expect(secret.storage == .none && secret.path.isEmpty && secret.sha256.isEmpty && secret.pages == 0)
        let report = try register.recover()
        #expect(report.voided.isEmpty, "a row that never had a file is not a lost file")
        #expect(try register.document(id: secret.id)?.state == .registered)
        #expect(try register.verifyAuditChain().isValid)
        #expect(throws: RegistryError.self) {
            try register.register(NewDocument(profile: "default", secrecy: .mat, pages: 0, stagedFile: "", targets: ["central"], storage: .none))
        }
    }

    @Test func reclassifyVoidsTheOrdinaryEntryHoldsItsDeliveriesAndNumbersItInTheClassifiedBook() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let ordinary = try register.register(fixture.newDocument())
        let replacement = NewDocument(profile: "default", secrecy: .mat, pages: 0, stagedFile: "", storage: .none)
        let classified = try register.reclassify(book: "DEN", year: 2026, number: 1, to: .mat, reason: "Dấu MẬT ở trang 2",
                                                 replacement: replacement, deadline: fixture.clock.now().addingTimeInterval(60))
        #expect(classified.book == "MAT" && classified.number == 1 && classified.secrecy == .mat)
        let voided = try #require(try register.document(id: ordinary.id) as RegisteredDocument?)
        #expect(voided.state == .voided && voided.storage == .none)
        #expect(voided.voidReason == "Đổi độ mật thành MẬT: Dấu MẬT ở trang 2")
        #expect(!FileManager.default.fileExists(atPath: ordinary.path))
        #expect(try register.queue().map(\.state) == [.held])
        #expect(try register.dueDeliveries(now: fixture.clock.now().addingTimeInterval(3600), limit: 10).isEmpty)
        #expect(try register.verifyAuditChain().isValid)
        #expect(try fixture.open().recover().voided.isEmpty)
    }

    @Test func reclassifyIsRefusedAfterTheDeadlineOrOnceDelivered() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let first = try register.register(fixture.newDocument())
        let replacement = NewDocument(profile: "default", secrecy: .mat, pages: 0, stagedFile: "", storage: .none)
        #expect(throws: RegistryError.self) {
            try register.reclassify(book: "DEN", year: 2026, number: 1, to: .mat, reason: "muộn",
                                    replacement: replacement, deadline: fixture.clock.now().addingTimeInterval(-1))
        }
        let item = try #require(register.dueDeliveries(now: fixture.clock.now(), limit: 1).first)
        try register.recordAttempt(DeliveryAttempt(outboxID: item.id, at: fixture.clock.now(), outcome: .delivered(status: 201, receipt: "r")))
        #expect(throws: RegistryError.self) {
            try register.reclassify(book: "DEN", year: 2026, number: 1, to: .mat, reason: "đã gửi",
                                    replacement: replacement, deadline: fixture.clock.now().addingTimeInterval(600))
        }
        #expect(try register.document(id: first.id)?.state == .registered)
        #expect(FileManager.default.fileExists(atPath: first.path))
        #expect(try register.list(book: "MAT").isEmpty)
    }

    @Test func postponeMovesTheNextAttemptWithoutCountingOne() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        _ = try register.register(fixture.newDocument())
        let now = fixture.clock.now()
        let item = try #require(register.dueDeliveries(now: now, limit: 1).first)
        try register.postpone(outboxID: item.id, until: now.addingTimeInterval(100))
        #expect(try register.dueDeliveries(now: now.addingTimeInterval(99), limit: 1).isEmpty)
        #expect(try register.dueDeliveries(now: now.addingTimeInterval(100), limit: 1).first?.attempts == 0)
        #expect(try register.isStillDeliverable(outboxID: item.id))
        try register.void(book: "DEN", year: 2026, number: 1, reason: "hủy")
        #expect(try !register.isStillDeliverable(outboxID: item.id))
    }

    /// A register created by the first release (v1 schema, no storage column) opens, keeps its
    /// rows and their deliveries, and takes the new classes afterwards.
    @Test func aVersionOneRegisterIsMigratedWithItsRowsIntact() throws {
        let fixture = try Fixture()
        try FileManager.default.createDirectory(atPath: fixture.documents + "/2026", withIntermediateDirectories: true)
        let pdf = Data("%PDF-1.4\n%%EOF\n".utf8)
        try pdf.write(to: URL(fileURLWithPath: fixture.documents + "/2026/old.pdf"))
        let sha = String(repeating: "0", count: 64)
        let sql = """
            CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
            INSERT INTO grdb_migrations VALUES ('v1-documents'), ('v1-outbox'), ('v1-audit');
            CREATE TABLE document (
                id TEXT PRIMARY KEY NOT NULL, uuid TEXT NOT NULL UNIQUE,
                book TEXT NOT NULL CHECK (length(book) > 0), year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
                number INTEGER NOT NULL CHECK (number >= 1), arrivedAtMs INTEGER NOT NULL,
                pages INTEGER NOT NULL CHECK (pages >= 0), sha256 TEXT NOT NULL, path TEXT NOT NULL, profile TEXT NOT NULL,
                urgency TEXT NOT NULL CHECK (urgency IN ('normal', 'khan', 'thuongKhan', 'hoaToc')),
                secrecy TEXT NOT NULL CHECK (secrecy IN ('none', 'mat', 'toiMat', 'tuyetMat')),
                sender TEXT, notation TEXT, documentDate TEXT, summary TEXT, recipient TEXT, forwardedDate TEXT, notes TEXT,
                state TEXT NOT NULL CHECK (state IN ('registered', 'voided')), voidReason TEXT,
                UNIQUE (book, year, number),
                CHECK (state = 'registered' OR length(trim(coalesce(voidReason, ''))) > 0),
                CHECK (state = 'voided' OR (length(sha256) = 64 AND length(path) > 0))
            );
            CREATE INDEX document_arrived ON document(arrivedAtMs);
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                documentID TEXT NOT NULL REFERENCES document(id) ON DELETE RESTRICT,
                target TEXT NOT NULL CHECK (length(target) > 0),
                state TEXT NOT NULL CHECK (state IN ('pending', 'held', 'needsAttention', 'delivered', 'corrupt')),
                attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0), nextAttemptAtMs INTEGER NOT NULL,
                lastError TEXT, lastStatus INTEGER, heldReason TEXT, deliveredAtMs INTEGER, receipt TEXT,
                UNIQUE (documentID, target), CHECK (state != 'held' OR heldReason IS NOT NULL)
            );
            CREATE INDEX outbox_due ON outbox(state, nextAttemptAtMs);
            CREATE TABLE attempt (id INTEGER PRIMARY KEY AUTOINCREMENT, outboxID INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
                atMs INTEGER NOT NULL, outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'retry', 'needsAttention', 'corrupt')),
                status INTEGER, error TEXT, receipt TEXT);
            CREATE TABLE audit (seq INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1), atMs INTEGER NOT NULL, action TEXT NOT NULL,
                documentID TEXT NOT NULL, detail TEXT NOT NULL, rowHash TEXT NOT NULL CHECK (length(rowHash) = 64),
                prevHash TEXT NOT NULL CHECK (length(prevHash) = 64), hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64));
            INSERT INTO document VALUES ('000.00.00.H49-DEN-2026-000001-aaaaaaaa', 'u1', 'DEN', 2026, 1, \(Int64(vn(2026, 3, 9).timeIntervalSince1970 * 1000)),
                1, '\(sha)', '2026/old.pdf', 'default', 'normal', 'mat', NULL, NULL, NULL, 'Cũ', NULL, NULL, NULL, 'registered', NULL);
            INSERT INTO outbox (documentID, target, state, attempts, nextAttemptAtMs, heldReason)
                VALUES ('000.00.00.H49-DEN-2026-000001-aaaaaaaa', 'central', 'held', 0, 0, 'classified');
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [fixture.databasePath, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let register = try fixture.open()
        let old = try #require(try register.document(id: "000.00.00.H49-DEN-2026-000001-aaaaaaaa") as RegisteredDocument?)
        #expect(old.storage == .plain && old.marksCheck == .notRequired && old.fields.summary == "Cũ" && old.secrecy == .mat)
        #expect(try register.queue().first?.heldReason == "classified")
        let complaint = try register.register(fixture.newDocument(secrecy: .sensitive, targets: []))
        #expect(complaint.secrecy == .sensitive)
        let unstored = try register.register(NewDocument(profile: "default", secrecy: .tuyetMat, pages: 0, stagedFile: "", storage: .none))
        #expect(unstored.storage == .none)
        #expect(try register.unsafeStrings("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'document' AND sql IS NOT NULL") == ["document_arrived"])
        #expect(try register.unsafeStrings("PRAGMA foreign_key_check").isEmpty)
        #expect(try register.unsafeStrings("SELECT identifier FROM grdb_migrations ORDER BY identifier").contains("v5-secrecy-storage"))
    }
}

extension SecrecyStorageTests {
    /// The first step alone stops delivery; if the rest never happens (crash, full disk), the
    /// document stays on the box, held with a reason, never on its way out.
    @Test func holdingForAReclassificationStopsDeliveryOnItsOwn() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let ordinary = try register.register(fixture.newDocument(targets: ["central", "usb"]))
        try register.holdForReclassification(book: "DEN", year: 2026, number: 1, to: .mat, reason: "Dấu MẬT",
                                             deadline: fixture.clock.now().addingTimeInterval(60))
        #expect(try register.dueDeliveries(now: fixture.clock.now().addingTimeInterval(3600), limit: 10).isEmpty)
        #expect(try register.queue().allSatisfy { $0.state == .held && $0.heldReason == "Đang đổi độ mật thành MẬT: Dấu MẬT" })
        #expect(try register.document(id: ordinary.id)?.state == .registered)
        let again = try register.reclassify(book: "DEN", year: 2026, number: 1, to: .mat, reason: "Dấu MẬT",
                                            replacement: NewDocument(profile: "default", secrecy: .mat, pages: 0, stagedFile: "", storage: .none),
                                            deadline: .distantFuture)
        #expect(again.book == "MAT")
        #expect(try register.queue().allSatisfy { $0.heldReason == "Đổi độ mật thành MẬT: Dấu MẬT" })
    }
}

extension SecrecyStorageTests {
    /// A registered file is owner-and-group only, whatever mode the scan was written with.
    @Test func registeredFilesAreNeverWorldReadable() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        var document = try fixture.newDocument()
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: document.stagedFile)
        document.targets = []
        let registered = try register.register(document)
        let mode = try FileManager.default.attributesOfItem(atPath: registered.path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }
}

extension SecrecyStorageTests {
    /// Numbers given without pages (so with no PDF on disk to betray them) are noted in the
    /// register's identity file like any other: a register deleted and started afresh beside
    /// it refuses to give MẬT number 1 a second time.
    @Test func numbersGivenWithoutPagesCountForTheRegistersIdentity() throws {
        let fixture = try Fixture()
        do {
            let register = try fixture.open()
            let first = try register.register(NewDocument(profile: "default", secrecy: .mat, pages: 0, stagedFile: "", storage: .none))
            #expect(first.book == "MAT" && first.number == 1)
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: fixture.databasePath + suffix) }
        let fresh = try fixture.open()
        #expect(fresh.identityCheck() != nil)
        #expect(throws: RegistryError.self) {
            try fresh.register(NewDocument(profile: "default", secrecy: .mat, pages: 0, stagedFile: "", storage: .none))
        }
    }

    @Test func aCorrectionsNumberCountsForTheRegistersIdentity() throws {
        let fixture = try Fixture()
        do {
            let register = try fixture.open()
            _ = try register.register(fixture.newDocument(targets: []))
            _ = try register.reclassify(book: "DEN", year: 2026, number: 1, to: .mat, reason: "MẬT",
                                        replacement: NewDocument(profile: "default", secrecy: .mat, pages: 0, stagedFile: "", storage: .none),
                                        deadline: .distantFuture)
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: fixture.databasePath + suffix) }
        let message = try fixture.open().identityCheck()?.detail ?? ""
        #expect(message.contains("MAT/2026"), "\(message)")
    }
}
