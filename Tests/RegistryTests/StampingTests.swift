import IntakeCore
import IntakeDigest
import Foundation
import Testing
@testable import Registry

/// A stamper that appends one line naming the number, the way the PDF stamper appends an
/// incremental update; it can be told to fail, or to fail after writing half its bytes.
final class LineStamper: DocumentStamper, @unchecked Sendable {
    enum Mode { case ok, failBefore, failAfterWriting }
    private let lock = NSLock()
    var mode: Mode = .ok
    private(set) var calls: [StampEntry] = []

    func stamp(pdfAt path: String, entry: StampEntry) throws {
        let mode = lock.withLock { calls.append(entry); return self.mode }
        if mode == .failBefore { throw CocoaError(.fileWriteUnknown) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(Self.line(entry.number).utf8))
        if mode == .failAfterWriting { throw CocoaError(.fileWriteOutOfSpace) }
    }

    static func line(_ number: Int) -> String { "% ĐẾN Số: \(number)\n" }
}

@Suite struct StampingTests {
    func open(_ fixture: Fixture, _ stamper: LineStamper) throws -> Register {
        var register = try fixture.open()
        register.stamper = stamper
        return register
    }

    @Test func theNumberIsStampedInsideTheRegistrationAndTheRecordedHashCoversTheStampedFile() throws {
        let fixture = try Fixture()
        let stamper = LineStamper()
        let register = try open(fixture, stamper)
        let doc = try fixture.newDocument()
        let scanned = try Data(contentsOf: URL(fileURLWithPath: doc.stagedFile))
        let scanSHA = try Hashing.file(doc.stagedFile)
        let registered = try register.register(doc)

        let file = try Data(contentsOf: URL(fileURLWithPath: registered.path))
        #expect(file == scanned + Data(LineStamper.line(1).utf8))
        #expect(registered.sha256 == (try Hashing.file(registered.path)))
        #expect(stamper.calls.map(\.number) == [1])
        #expect(stamper.calls.first?.arrivedAt == registered.arrivedAt)
        #expect(stamper.calls.first?.timeZone == TimeZone(identifier: "Asia/Ho_Chi_Minh"))
        // The audit entry keeps the scan's own hash beside the stamped one.
        let detail = try #require(try register.unsafeStrings("SELECT detail FROM audit WHERE action = 'register'").first)
        #expect(detail.contains("\"scan_sha256\":\"\(scanSHA)\""), "\(detail)")
        #expect(try register.verifyAuditChain().isValid)
    }

    /// The writer's digest of the staged scan (DigestingFile) spares reading it back: the recorded
    /// hashes must still be the ones of the files, before and after the stamp.
    @Test func aDigestFromTheWriterGivesTheSameHashesAsReadingTheFiles() throws {
        let fixture = try Fixture()
        let stamper = LineStamper()
        let register = try open(fixture, stamper)
        let doc = try fixture.newDocument()
        var digest = RunningDigest()
        let scanned = try Data(contentsOf: URL(fileURLWithPath: doc.stagedFile))
        // Fed in two unequal pieces, as a writer's buffer would.
        scanned.withUnsafeBytes { bytes in
            digest.update(UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count / 3)]))
            digest.update(UnsafeRawBufferPointer(rebasing: bytes[(bytes.count / 3)...]))
        }
        let scanSHA = try Hashing.file(doc.stagedFile)
        #expect(digest.hex == scanSHA)
        #expect(digest.hex == scanSHA, "reading the hex does not end the digest")

        let registered = try register.register(doc, stagedDigest: digest)
        #expect(registered.sha256 == (try Hashing.file(registered.path)), "the stamped file's hash, continued over the stamp only")
        let detail = try #require(try register.unsafeStrings("SELECT detail FROM audit WHERE action = 'register'").first)
        #expect(detail.contains("\"scan_sha256\":\"\(scanSHA)\""), "\(detail)")
        #expect(try register.verifyAuditChain().isValid)
    }

    @Test func aDigestOfOtherBytesThanTheStagedFileIsNotTrusted() throws {
        let fixture = try Fixture()
        let register = try open(fixture, LineStamper())
        let doc = try fixture.newDocument()
        var digest = RunningDigest()
        let other = Array("not the scan".utf8)
        other.withUnsafeBytes { digest.update($0) }
        let registered = try register.register(doc, stagedDigest: digest)
        #expect(registered.sha256 == (try Hashing.file(registered.path)))
    }

    @Test(arguments: [LineStamper.Mode.failBefore, .failAfterWriting])
    func aFailedStampNumbersNothingAndGivesTheScanBackUnchanged(mode: LineStamper.Mode) throws {
        let fixture = try Fixture()
        let stamper = LineStamper()
        stamper.mode = mode
        let register = try open(fixture, stamper)
        let doc = try fixture.newDocument()
        let scanned = try Data(contentsOf: URL(fileURLWithPath: doc.stagedFile))
        #expect { try register.register(doc) } throws: { ($0 as? RegistryError)?.code == .stamp }
        #expect(try register.list().isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: doc.stagedFile)) == scanned)

        stamper.mode = .ok
        let next = try register.register(doc)
        #expect(next.number == 1, "the number was not used up")
        #expect(try Data(contentsOf: URL(fileURLWithPath: next.path)) == scanned + Data(LineStamper.line(1).utf8))
    }

    @Test func recoveryRemovesAStampLeftByACrashBeforeCommitAndStampsTheNumberItGives() throws {
        let fixture = try Fixture()
        let stamper = LineStamper()
        let register = try open(fixture, stamper)
        _ = try register.register(fixture.newDocument())
        // A crash after the stamp for number 2 was appended (half of it), before the commit.
        let doc = try fixture.newDocument(summary: "Giấy mời họp")
        let scanned = try Data(contentsOf: URL(fileURLWithPath: doc.stagedFile))
        let files = DocumentFiles(root: fixture.documents)
        let sidecar = Sidecar(uuid: UUID().uuidString.lowercased(), document: doc, sha256: try Hashing.file(doc.stagedFile),
                              stagedAtMs: 0, bytes: scanned.count)
        try files.stage(sidecar)
        let handle = try #require(FileHandle(forWritingAtPath: files.pendingPDF(sidecar.uuid)))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("% ĐẾN Số: 2 (half".utf8))
        try handle.close()

        let report = try open(fixture, stamper).recover()
        #expect(report.registered.count == 1)
        let recovered = try #require(try register.document(book: "DEN", year: 2026, number: 2))
        let file = try Data(contentsOf: URL(fileURLWithPath: recovered.path))
        #expect(file == scanned + Data(LineStamper.line(2).utf8))
        #expect(recovered.sha256 == (try Hashing.file(recovered.path)))
    }
}

@Suite struct CatchUpTests {
    /// The box numbered 1 and 2, went down at 10:00; the desk numbered 3 and 4 on paper.
    func boxThatWentDown(_ fixture: Fixture) throws -> Register {
        let register = try fixture.open()
        fixture.clock.set(vn(2026, 3, 10, 8))
        _ = try register.register(fixture.newDocument())
        _ = try register.register(fixture.newDocument())
        fixture.clock.set(vn(2026, 3, 11, 9))  // the next morning: the box is back
        return register
    }

    @Test func paperEntriesGoInWithTheirRealArrivalTimesInOrderAndAudited() throws {
        let fixture = try Fixture()
        let register = try boxThatWentDown(fixture)
        let third = try register.addPaperEntry(PaperEntry(
            number: 3, arrivedAt: vn(2026, 3, 10, 10, 15),
            fields: RegisterFields(sender: "Sở Tài chính", summary: "Công văn nhận khi máy hỏng")))
        let fourth = try register.addPaperEntry(PaperEntry(number: 4, arrivedAt: vn(2026, 3, 10, 14, 40), urgency: .khan))
        #expect(third.arrivedAt == vn(2026, 3, 10, 10, 15))
        #expect(third.path.isEmpty && third.sha256.isEmpty)
        #expect(third.profile == Register.paperProfile)
        #expect(fourth.urgency == .khan)
        #expect(try register.list().map(\.number) == [1, 2, 3, 4])
        #expect(try register.queue(states: nil).count == 2, "nothing to deliver before a scan is attached")
        let audit = try register.unsafeStrings("SELECT detail FROM audit WHERE action = 'paper-register' ORDER BY seq")
        #expect(audit.count == 2)
        #expect(audit[0].contains("\"arrived\":\"10/03/2026 10:15\""), "\(audit[0])")
        #expect(audit[0].contains("\"entered\":\"11/03/2026 09:00\""), "\(audit[0])")
        #expect(try register.verifyAuditChain().isValid)
        // The next scan continues the one sequence, and recovery leaves paper entries alone.
        #expect(try register.register(fixture.newDocument()).number == 5)
        #expect(try register.recover().isClean)
    }

    @Test func aDuplicateAGapOrABackwardsTimeIsRefusedWithNothingWritten() throws {
        let fixture = try Fixture()
        let register = try boxThatWentDown(fixture)
        let cases: [(PaperEntry, RegistryError.Code, String)] = [
            (PaperEntry(number: 2, arrivedAt: vn(2026, 3, 10, 10)), .duplicate, "đã có trong sổ"),
            (PaperEntry(number: 4, arrivedAt: vn(2026, 3, 10, 10)), .outOfOrder, "Số tiếp theo của sổ DEN năm 2026 là 3"),
            (PaperEntry(number: 3, arrivedAt: vn(2026, 3, 10, 7)), .outOfOrder, "sớm hơn văn bản trước"),
            (PaperEntry(number: 3, arrivedAt: vn(2026, 3, 12, 7)), .invalidField, "ở tương lai"),
        ]
        for (entry, code, words) in cases {
            #expect { try register.addPaperEntry(entry) } throws: { error in
                let error = error as? RegistryError
                return error?.code == code && error?.message.contains(words) == true
            }
        }
        #expect(try register.list().map(\.number) == [1, 2])
        #expect(try register.unsafeStrings("SELECT action FROM audit WHERE action = 'paper-register'").isEmpty)
    }

    @Test func aClassifiedPaperEntryGoesToTheClassifiedBookFromOne() throws {
        let fixture = try Fixture()
        let register = try boxThatWentDown(fixture)
        let entry = try register.addPaperEntry(PaperEntry(number: 1, arrivedAt: vn(2026, 3, 10, 11), secrecy: .mat))
        #expect(entry.book == "MAT" && entry.number == 1)
    }

    @Test func aScanAttachedLaterIsStampedHashedAndQueued() throws {
        let fixture = try Fixture()
        var register = try boxThatWentDown(fixture)
        let stamper = LineStamper()
        register.stamper = stamper
        _ = try register.addPaperEntry(PaperEntry(number: 3, arrivedAt: vn(2026, 3, 10, 10, 15)))
        let scan = try fixture.stage("paper number 3")
        let scanned = try Data(contentsOf: URL(fileURLWithPath: scan))

        let attached = try register.attach(book: "DEN", year: 2026, number: 3, source: scan, pages: 2, targets: ["central"])
        let file = try Data(contentsOf: URL(fileURLWithPath: attached.path))
        #expect(file == scanned + Data(LineStamper.line(3).utf8))
        #expect(attached.sha256 == (try Hashing.file(attached.path)))
        #expect(attached.pages == 2)
        #expect(stamper.calls.last?.arrivedAt == vn(2026, 3, 10, 10, 15), "the stamp shows the real arrival time")
        #expect(FileManager.default.fileExists(atPath: scan), "the technician's file is left where it was")
        let queued = try register.queue(states: nil).filter { $0.documentID == attached.id }
        #expect(queued.map(\.target) == ["central"])
        #expect(try register.verifyAuditChain().isValid)
        #expect(try register.recover().isClean)

        // A second attach, to a scanned entry or to a voided one, is refused.
        #expect { try register.attach(book: "DEN", year: 2026, number: 3, source: scan, targets: []) } throws: {
            ($0 as? RegistryError)?.code == .invalidState
        }
        #expect { try register.attach(book: "DEN", year: 2026, number: 1, source: scan, targets: []) } throws: {
            ($0 as? RegistryError)?.code == .invalidState
        }
        _ = try register.addPaperEntry(PaperEntry(number: 4, arrivedAt: vn(2026, 3, 10, 11)))
        try register.void(book: "DEN", year: 2026, number: 4, reason: "Nhập nhầm")
        #expect { try register.attach(book: "DEN", year: 2026, number: 4, source: scan, targets: []) } throws: {
            ($0 as? RegistryError)?.code == .alreadyVoided
        }
    }

    @Test func attachingSomethingThatIsNotAPDFIsRefused() throws {
        let fixture = try Fixture()
        let register = try boxThatWentDown(fixture)
        _ = try register.addPaperEntry(PaperEntry(number: 3, arrivedAt: vn(2026, 3, 10, 10)))
        let text = fixture.root + "/note.txt"
        try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
        #expect { try register.attach(book: "DEN", year: 2026, number: 3, source: text, targets: []) } throws: {
            ($0 as? RegistryError)?.code == .invalidField
        }
        #expect(try register.document(book: "DEN", year: 2026, number: 3)?.path == "")
    }
}

@Suite struct RestampTests {
    @Test func entriesMovedAfterAFutureClockCarryOnlyTheirNewNumbersStamp() throws {
        let fixture = try Fixture(start: vn(2031, 1, 5))
        var register = try fixture.open()
        let stamper = LineStamper()
        register.stamper = stamper
        let doc = try fixture.newDocument()
        let scanned = try Data(contentsOf: URL(fileURLWithPath: doc.stagedFile))
        let wrong = try register.register(doc)
        #expect(try Data(contentsOf: URL(fileURLWithPath: wrong.path)) == scanned + Data(LineStamper.line(1).utf8))
        _ = try register.register(fixture.newDocument())  // number 2 of 2031, to tell the new number from the old

        fixture.clock.set(vn(2026, 12, 1))
        let moved = try register.moveEntriesFromTheFuture(reason: "BIOS clock reset", targets: { _ in ["central"] },
                                                          stagingDirectory: fixture.root + "/staging")
        let new = try #require(moved.first { $0.old.id == wrong.id }?.new)
        #expect(new.year == 2026)
        // The scan as it was, then one stamp: the new number's. The old stamp came off.
        let file = try Data(contentsOf: URL(fileURLWithPath: new.path))
        #expect(file == scanned + Data(LineStamper.line(new.number).utf8))
        #expect(new.sha256 == (try Hashing.file(new.path)))
        #expect(try register.verifyAuditChain().isValid)
    }

    @Test func aStampedFileWhoseScanNoLongerMatchesIsNotRegisteredAgain() throws {
        let fixture = try Fixture()
        var register = try fixture.open()
        register.stamper = LineStamper()
        let registered = try register.register(fixture.newDocument())
        let copy = fixture.root + "/copy.pdf"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: registered.path))
        bytes[3] ^= 0xFF  // a scan byte changed behind the register's back
        try bytes.write(to: URL(fileURLWithPath: copy))
        #expect { try register.restoreScannedCopy(at: copy, documentID: registered.id) } throws: {
            ($0 as? RegistryError)?.code == .integrity
        }
    }
}
