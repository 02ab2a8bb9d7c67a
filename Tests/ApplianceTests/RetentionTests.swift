import Delivery
import Foundation
import Registry
import Testing
@testable import Appliance

@Suite struct RetentionTests {
    func delivered(_ context: ApplianceContext, secrecy: Secrecy = .none) async throws -> RegisteredDocument {
        let document = try registerDocument(context, secrecy: secrecy, targets: ["central"])
        if secrecy.isClassified {
            // The release gate lets nothing classified leave a test box; confirm it as a classified
            // centre would have (retention only asks whether every target confirmed it).
            for entry in try context.register.queue() where entry.documentID == document.id {
                try context.register.recordAttempt(DeliveryAttempt(outboxID: entry.id, at: context.clock.now(),
                                                                   outcome: .delivered(status: 201, receipt: "r-secret")))
            }
            return document
        }
        let target = FakeTarget(secureNetwork: true)
        let worker = OutboxWorker(register: context.register, organisationCode: "000.00.00.H49", targets: [target],
                                  policy: .init(), clock: context.clock, logger: testLogger)
        _ = try await worker.drainDue()
        return document
    }

    @Test func deliveredCopiesOlderThanTheLimitAreRemovedWithAnAuditEntryAndSurviveRecovery() async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let context = try makeContext(dir, clock: clock)
        let old = try await delivered(context)
        let secret = try await delivered(context, secrecy: .mat)
        let deliveredLate = try registerDocument(context)
        clock.advance(91 * 86_400)
        let recent = try await delivered(context)

        var retention = Configuration.Retention()
        retention.deliveredDays = 90
        let sweeper = RetentionSweeper(register: context.register, retention: retention, clock: clock)
        let dry = try sweeper.sweep(dryRun: true)
        #expect(dry.candidates.map(\.id) == [old.id])
        #expect(FileManager.default.fileExists(atPath: old.path))

        let swept = try sweeper.sweep(dryRun: false)
        #expect(swept.removed.map(\.id) == [old.id])
        #expect(!FileManager.default.fileExists(atPath: old.path))
        for kept in [secret, deliveredLate, recent] { #expect(FileManager.default.fileExists(atPath: kept.path)) }
        #expect(try context.register.verifyAuditChain().isValid)

        // Recovery at the next start does not take the removed copy for a lost file.
        let report = try context.register.recover()
        #expect(report.voided.isEmpty)
        #expect(try context.register.document(id: old.id)?.state == .registered)
        #expect(try sweeper.sweep(dryRun: true).candidates.isEmpty)

        // Classified copies follow their own rule.
        retention.classifiedDays = 30
        let classified = RetentionSweeper(register: context.register, retention: retention, clock: clock)
        #expect(try classified.sweep(dryRun: false).removed.map(\.id) == [secret.id])
    }
}
