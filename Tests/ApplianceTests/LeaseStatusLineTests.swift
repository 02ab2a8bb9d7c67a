import Foundation
import Registry
import Testing
@testable import Appliance
@testable import IntakeCLI

/// The clerk's screen and `intake status` show what is left of the leased blocks and how many
/// provisional numbers wait for the centre.
@Suite struct LeaseStatusLineTests {
    @Test func screenAndStatusShowNumbersLeftAndUnconfirmedProvisionalNumbers() throws {
        let dir = TemporaryDirectory()
        let context = try LeaseKeeperTests().leasedContext(dir, clock: ManualClock())
        _ = try context.register.recordLease(book: "DEN", year: 2026, first: 1, last: 3, source: "central")
        try registerDocument(context)
        var report = try StatusReport.collect(context)
        #expect(report.leases == StatusReport.Leases(book: "DEN", year: 2026, remaining: 2, unconfirmed: 0))
        #expect(ScreenLeases.current(context) == ScreenLeases(remaining: 2, unconfirmed: 0))

        for _ in 0..<3 { try registerDocument(context) }  // 2 from the block, then T-1
        report = try StatusReport.collect(context)
        #expect(report.leases == StatusReport.Leases(book: "DEN", year: 2026, remaining: 0, unconfirmed: 1))
        let leases = try #require(ScreenLeases.current(context))
        #expect(leases == ScreenLeases(remaining: 0, unconfirmed: 1))
        var state = ScreenState()
        state.leases = leases
        #expect(StatusScreen.render(state).contains("Khối số đến được cấp còn 0 số; 1 số tạm chờ trung tâm xác nhận"))
        let text = Intake.Status.render(report)
        #expect(text.contains("leases      DEN 2026: 0 number(s) left in the leased blocks (khối số), 1 provisional (số tạm)"), "\(text)")
    }

    @Test func aLocallyNumberedBoxHasNoLeaseLine() throws {
        let dir = TemporaryDirectory()
        var configuration = Configuration()
        configuration.paths.stateDirectory = dir.path + "/state"
        configuration.disk.minimumFreeMB = 1
        let context = try ApplianceContext(configuration: configuration, clock: ManualClock(), buildYear: 2026)
        #expect(try StatusReport.collect(context).leases == nil)
        #expect(ScreenLeases.current(context) == nil)
        #expect(!Intake.Status.render(try StatusReport.collect(context)).contains("leases"))
    }
}
