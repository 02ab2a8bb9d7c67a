import IntakeCore
import Foundation
import Testing
@testable import Registry

/// Issue 15 item 3: a clock that jumped ahead is caught against a trusted time, and what was
/// numbered under it moves into the right book and year without stalling numbering.
@Suite struct ClockTests {
    @Test func aClockMoreThanADayAheadOfTheTrustedTimeRefusesToNumber() throws {
        let fixture = try Fixture(start: vn(2031, 1, 5))
        var configuration = fixture.configuration
        configuration.trustedTime = { vn(2026, 12, 1) }
        let register = try Register(path: fixture.databasePath, configuration: configuration, clock: fixture.clock)
        let status = try register.clockCheck()
        #expect(status.verdict == .aheadOfTrustedTime)
        let error = #expect(throws: RegistryError.self) { try register.register(fixture.newDocument()) }
        #expect(error?.code == .clockWrong)
        #expect(try register.list().isEmpty)
        // Within a day of the trusted time is fine (time zones, a slow centre clock).
        fixture.clock.set(vn(2026, 12, 1).addingTimeInterval(3600 * 20))
        #expect(try register.register(fixture.newDocument()).number == 1)
    }

    @Test func entriesNumberedUnderAFutureClockMoveToTheRightYearAndNumberingGoesOn() throws {
        let fixture = try Fixture(start: vn(2031, 1, 5))
        let register = try fixture.open()
        _ = try register.register(fixture.newDocument())
        _ = try register.register(fixture.newDocument(secrecy: .mat))
        _ = try register.register(fixture.newDocument())
        // The clock is corrected: numbering refuses (earlier than the last registration) …
        fixture.clock.set(vn(2026, 12, 1))
        #expect(try register.clockCheck().verdict == .beforeLastRegistration)
        #expect(try register.entriesFromTheFuture(now: vn(2026, 12, 1)).count == 3)
        // … until the technician moves them.
        let moved = try register.moveEntriesFromTheFuture(reason: "BIOS clock reset", targets: { _ in ["central"] },
                                                          stagingDirectory: fixture.root + "/staging")
        #expect(moved.map { "\($0.new.book) \($0.new.number)/\($0.new.year)" } == ["DEN 1/2026", "MAT 1/2026", "DEN 2/2026"])
        #expect(moved.allSatisfy { $0.old.year == 2031 })
        #expect(try register.clockCheck().isOK)
        #expect(try register.register(fixture.newDocument()).number == 3)
        let old = try #require(try register.document(book: "DEN", year: 2031, number: 1))
        #expect(old.state == .voided)
        #expect(old.voidReason?.contains("BIOS clock reset") == true)
        #expect(try register.document(book: "DEN", year: 2026, number: 1)?.sha256 == old.sha256, "the same document, re-registered")
        #expect(try register.verifyAuditChain().isValid)
        #expect(try register.entriesFromTheFuture(now: vn(2026, 12, 1)).isEmpty)
        #expect(register.identityCheck() == nil)
    }
}
