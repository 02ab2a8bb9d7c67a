import Foundation
import IntakeCore
import Registry
import Testing
@testable import Appliance

/// A document held by a flagged marks check is told to the clerk at start-up and again while it
/// waits — a screen redrawn since (the scanner found at start-up) must not hide it — rung once.
@Suite struct HeaderStageReminderTests {
    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var all: [HeaderStage.Outcome] = []
        func add(_ outcome: HeaderStage.Outcome) { lock.withLock { all.append(outcome) } }
        var list: [HeaderStage.Outcome] { lock.withLock { all } }
    }

    @Test func aHeldDocumentIsToldAtStartAndAgainWhileItWaitsButRungOnce() async throws {
        let dir = TemporaryDirectory()
        var configuration = Configuration()
        configuration.organisationCode = "000.00.00.H49"
        configuration.paths.stateDirectory = dir.path + "/state"
        configuration.paths.socket = dir.path + "/intake.sock"
        configuration.disk.minimumFreeMB = 1
        configuration.ocr.enabled = true
        configuration.stamp.enabled = false  // registerDocument's bytes are not a PDF this program wrote
        let context = try ApplianceContext(configuration: configuration, clock: ManualClock(), buildYear: 2026)
        let held = try registerDocument(context, targets: [])
        try context.register.setMarksCheck(documentID: held.id, .flagged, detail: "test: marks not read")

        let outcomes = Outcomes()
        let stage = HeaderStage(context: { context }, logger: testLogger) { outcomes.add($0) }
        let task = Task { await stage.run(poll: .milliseconds(20), remindEvery: .milliseconds(200)) }
        defer { task.cancel() }
        let deadline = ContinuousClock.now + .seconds(10)
        while outcomes.list.count < 3 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let told = outcomes.list
        #expect(told.count >= 3, "start-up and at least two reminders: \(told)")
        #expect(told.allSatisfy { $0.documentID == held.id && $0.marksCheck == .flagged && $0.clerkMessage != nil })
        #expect(told.first?.isReminder == false, "the start-up notice rings")
        #expect(told.dropFirst().allSatisfy { $0.isReminder }, "the repeats are shown, not rung")

        // Once the clerk has settled it, nothing more is told.
        try context.register.setMarksCheck(documentID: held.id, .passed, detail: "test: confirmed")
        try await Task.sleep(for: .milliseconds(300))
        let settled = outcomes.list.count
        try await Task.sleep(for: .milliseconds(600))
        #expect(outcomes.list.count == settled)
    }
}
