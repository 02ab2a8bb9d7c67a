import IntakeCore
import Foundation
import Testing
@testable import Registry

/// Appends one line per stamp, and one per re-stamp, like the PDF stamper's incremental updates.
final class LineRestamper: DocumentRestamper, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var restamps: [StampEntry] = []

    func stamp(pdfAt path: String, entry: StampEntry) throws {
        try append("% ĐẾN Số: \(entry.numberText)\n", to: path)
    }

    func restamp(pdfAt path: String, entry: StampEntry) throws {
        lock.withLock { restamps.append(entry) }
        try append("% ĐẾN lại Số: \(entry.numberText)\n", to: path)
    }

    private func append(_ line: String, to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line.utf8))
    }
}

@Suite struct LeaseTests {
    func leased(_ fixture: Fixture, stamper: LineRestamper? = LineRestamper()) throws -> Register {
        var configuration = fixture.configuration
        configuration.numbering = .leased
        var register = try Register(path: fixture.databasePath, configuration: configuration, clock: fixture.clock)
        register.stamper = stamper
        return register
    }

    @Test func leasedNumbersComeFromTheBlocksInOrderThenProvisionalTNumbersHeldFromDelivery() throws {
        let fixture = try Fixture()
        let register = try leased(fixture)
        _ = try register.recordLease(book: "DEN", year: 2026, first: 100, last: 102, source: "central")
        _ = try register.recordLease(book: "DEN", year: 2026, first: 200, last: 201, source: "central")
        var numbers: [String] = []
        for _ in 0..<7 { numbers.append(try register.register(fixture.newDocument()).numberText) }
        #expect(numbers == ["100", "101", "102", "200", "201", "T-1", "T-2"])

        let status = try register.leaseStatus(book: "DEN", year: 2026)
        #expect(status.remaining == 0)
        #expect(status.unconfirmed == 2)
        let provisional = try register.list().filter(\.isProvisional)
        #expect(provisional.map(\.numberText).sorted() == ["T-1", "T-2"])
        let held = try register.queue().filter { $0.number < 0 }
        #expect(held.count == 2)
        #expect(held.allSatisfy { $0.state == .held && $0.heldReason?.contains("Số tạm T-") == true })
        #expect(try register.queue().filter { $0.number > 0 }.allSatisfy { $0.state == .pending })
        // The classified book stays local.
        #expect(try register.register(fixture.newDocument(secrecy: .mat)).number == 1)
    }

    @Test func confirmationGoesInArrivalOrderRestampsKeepingTheBytesAndReleasesDelivery() throws {
        let fixture = try Fixture()
        let stamper = LineRestamper()
        let register = try leased(fixture, stamper: stamper)
        let first = try register.register(fixture.newDocument())
        let second = try register.register(fixture.newDocument())
        #expect([first.numberText, second.numberText] == ["T-1", "T-2"])
        let provisionalBytes = try Data(contentsOf: URL(fileURLWithPath: first.path))

        #expect { try register.confirmProvisional(book: "DEN", year: 2026, seq: 2, finalNumber: 7) } throws: {
            ($0 as? RegistryError)?.code == .outOfOrder
        }
        let confirmed = try register.confirmProvisional(book: "DEN", year: 2026, seq: 1, finalNumber: 7)
        #expect(confirmed.number == 7 && !confirmed.isProvisional)
        #expect(confirmed.path == first.path)
        let file = try Data(contentsOf: URL(fileURLWithPath: confirmed.path))
        #expect(file.starts(with: provisionalBytes), "the provisional file's bytes are kept")
        #expect(String(decoding: file.suffix(from: provisionalBytes.count), as: UTF8.self) == "% ĐẾN lại Số: 7\n")
        #expect(confirmed.sha256 == (try Hashing.file(confirmed.path)))
        #expect(confirmed.sha256 != first.sha256)
        #expect(try register.queue().first { $0.documentID == first.id }?.state == .pending)
        #expect(try register.queue().first { $0.documentID == second.id }?.state == .held)
        let detail = try #require(try register.unsafeStrings("SELECT detail FROM audit WHERE action = 'confirm'").first)
        #expect(detail.contains("\"provisional\":\"T-1\"") && detail.contains("\"provisional_sha256\":\"\(first.sha256)\""), "\(detail)")
        #expect(try register.verifyAuditChain().isValid)

        // Same answer again (the centre replied twice): nothing changes; another number is refused.
        #expect(try register.confirmProvisional(book: "DEN", year: 2026, seq: 1, finalNumber: 7).sha256 == confirmed.sha256)
        #expect(stamper.restamps.count == 1)
        #expect { try register.confirmProvisional(book: "DEN", year: 2026, seq: 1, finalNumber: 8) } throws: {
            ($0 as? RegistryError)?.code == .duplicate
        }
        // A number already in the book, or inside the box's own block, is refused.
        #expect { try register.confirmProvisional(book: "DEN", year: 2026, seq: 2, finalNumber: 7) } throws: {
            ($0 as? RegistryError)?.code == .duplicate
        }
        _ = try register.recordLease(book: "DEN", year: 2026, first: 20, last: 29, source: "central")
        #expect { try register.confirmProvisional(book: "DEN", year: 2026, seq: 2, finalNumber: 25) } throws: {
            ($0 as? RegistryError)?.code == .duplicate
        }
        #expect(try register.confirmProvisional(book: "DEN", year: 2026, seq: 2, finalNumber: 9).number == 9)
        #expect(try register.unconfirmedProvisional(book: "DEN", year: 2026).isEmpty)
        // T-numbers are never given twice, even after confirmation; the new block is used first.
        #expect(try register.register(fixture.newDocument()).number == 20)
    }

    @Test func aProvisionalSeriesContinuesAfterConfirmationWithoutReuse() throws {
        let fixture = try Fixture()
        let register = try leased(fixture)
        _ = try register.register(fixture.newDocument())
        _ = try register.confirmProvisional(book: "DEN", year: 2026, seq: 1, finalNumber: 3)
        #expect(try register.register(fixture.newDocument()).numberText == "T-2")
    }

    @Test func leaseBlocksThatOverlapHeldBlocksOrRegisteredNumbersAreRefused() throws {
        let fixture = try Fixture()
        let register = try leased(fixture)
        _ = try register.recordLease(book: "DEN", year: 2026, first: 10, last: 19, source: "central")
        #expect { try register.recordLease(book: "DEN", year: 2026, first: 15, last: 30, source: "central") } throws: {
            ($0 as? RegistryError)?.code == .duplicate
        }
        // The block used up, then a provisional number confirmed as 40.
        for _ in 10...19 { _ = try register.register(fixture.newDocument()) }
        #expect(try register.register(fixture.newDocument()).numberText == "T-1")
        _ = try register.confirmProvisional(book: "DEN", year: 2026, seq: 1, finalNumber: 40)
        #expect { try register.recordLease(book: "DEN", year: 2026, first: 35, last: 45, source: "central") } throws: {
            ($0 as? RegistryError)?.code == .duplicate
        }
        #expect { try register.recordLease(book: "DEN", year: 2026, first: 5, last: 4, source: "central") } throws: {
            ($0 as? RegistryError)?.code == .invalidField
        }
    }

    @Test func recoveryFillsAGapInsideABlockButNotTheCentresNumbersOutsideIt() throws {
        let fixture = try Fixture()
        let register = try leased(fixture)
        _ = try register.recordLease(book: "DEN", year: 2026, first: 100, last: 104, source: "central")
        let registered = try (0..<3).map { _ in try register.register(fixture.newDocument()) }
        #expect(registered.map(\.number) == [100, 101, 102])
        // Rows deleted behind the register's back.
        try register.unsafeExecute("DELETE FROM outbox WHERE documentID = ?", arguments: [registered[1].id])
        try register.unsafeExecute("DELETE FROM document WHERE id = ?", arguments: [registered[1].id])
        try FileManager.default.removeItem(atPath: registered[1].path)
        let report = try register.recover()
        #expect(report.gapsFilled.count == 1)
        let voided = try register.list().filter { $0.state == .voided }
        #expect(voided.map(\.number) == [101])
        #expect(try register.list().map(\.number) == [100, 101, 102], "1…99 belong to the centre: no gap")
        #expect(try register.leaseStatus(book: "DEN", year: 2026).remaining == 2)
    }
}
