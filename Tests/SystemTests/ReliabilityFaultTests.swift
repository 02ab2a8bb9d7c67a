import Foundation
import Testing

/// A few rows of the fault matrix (scripts/reliability/fault-matrix.sh) as tests of the default
/// tier: the receiver's fault injection, the SANE test backend's error statuses, a PDF changed
/// on disk before upload.
@Suite(.serialized) struct ReliabilityFaultTests {
    struct Box {
        let world: World
        let receiver: Receiver
        let daemon: Child

        init(profile: String = "") throws {
            world = try World()
            receiver = try Receiver(world: world)
            try CrashLoop.writeFastConfig(world, port: receiver.port)
            if !profile.isEmpty {
                let text = try String(contentsOfFile: world.configPath, encoding: .utf8)
                try (text + profile).write(toFile: world.configPath, atomically: true, encoding: .utf8)
            }
            daemon = try Child(Harness.intake, ["serve", "--config", world.configPath], environment: world.environment)
            let world = world, daemon = daemon
            guard eventually(timeout: 30, { FileManager.default.fileExists(atPath: world.socket) }) else {
                throw HarnessError("daemon did not start: \(daemon.stderr.snapshot())")
            }
        }

        func stop() {
            daemon.signal(SIGTERM)
            _ = daemon.wait(timeout: 20)
            receiver.stop()
        }

        func faults(_ json: String) throws {
            let output = try Harness.run("/usr/bin/curl", [
                "-s", "--max-time", "5", "-X", "POST", "-H", "Authorization: Bearer \(receiver.token)",
                "-H", "Content-Type: application/json", "--data", json, "http://127.0.0.1:\(receiver.port)/admin/faults",
            ])
            guard output.stdout.contains("faults updated") else { throw HarnessError("faults not set: \(output.stdout)") }
        }

        func scan(_ profile: String = "default") throws -> Harness.Output {
            try world.intakeWithConfig(["scan", "--profile", profile])
        }

        func queue() throws -> [QueueRow] { try world.queue() }

        func registerEntries() throws -> [[String: Any]] {
            let output = try world.intakeWithConfig(["register", "list", "--json"])
            return (try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]]) ?? []
        }
    }

    @Test func connectionsResetMidBodyAreRetriedAndTheCentreHoldsTheDocumentOnce() throws {
        let box = try Box()
        defer { box.stop() }
        try box.faults(#"{"resetNext":2}"#)
        #expect(try box.scan().status == 0)
        // Delivered is final: nothing more is sent, so the count below needs no wait.
        #expect(try eventually(timeout: 30) { try box.queue().first?.state == "delivered" }, "\((try? box.queue()) ?? [])")
        #expect(try box.receiver.documents().count == 1)
        #expect(try box.queue().first?.attempts == 3)
    }

    @Test func retryAfterIsHonouredBeforeTheNextAttempt() throws {
        let box = try Box()
        defer { box.stop() }
        try box.faults(#"{"failNext":1,"failStatus":503,"retryAfter":"3"}"#)
        let start = Date()
        #expect(try box.scan().status == 0)
        #expect(try eventually(timeout: 30) { try box.receiver.documents().count == 1 })
        // The retry policy alone (base 0.2 s, cap 1 s) would have retried well within 3 s.
        #expect(Date().timeIntervalSince(start) >= 3)
    }

    @Test func aPDFChangedOnDiskBeforeUploadIsMarkedCorruptAndNeverSent() throws {
        let box = try Box()
        defer { box.stop() }
        box.receiver.stop()
        #expect(try box.scan().status == 0)
        let path = try #require(try box.registerEntries().first?["path"] as? String)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: 2000)
        handle.write(Data("XXXXXXXX".utf8))
        try handle.close()
        let receiver = try Receiver(world: box.world, port: box.receiver.port)
        defer { receiver.stop() }
        #expect(try eventually(timeout: 30) { try box.queue().first?.state == "corrupt" }, "\((try? box.queue()) ?? [])")
        #expect(try receiver.documents().isEmpty)
    }

    @Test(arguments: [
        ("SANE_STATUS_JAMMED", "jam"), ("SANE_STATUS_COVER_OPEN", "cover"), ("SANE_STATUS_NO_DOCS", "feeder is empty"),
    ])
    func scannerFaultsGiveAClearErrorAndRegisterNothing(status: String, words: String) throws {
        let box = try Box(profile: """

            [profiles.fault]
            source = "ADF"
            mode = "Color"
            resolution = 200
            page_width_mm = 40
            page_height_mm = 40
            device_options = { "read-return-value" = "\(status)" }

            """)
        defer { box.stop() }
        let output = try box.scan("fault")
        #expect(output.status == 1)
        #expect(output.stderr.lowercased().contains(words.lowercased()), "\(output.stderr)")
        #expect(try box.registerEntries().isEmpty)
        let staging = (try? FileManager.default.contentsOfDirectory(atPath: box.world.root + "/state/staging")) ?? []
        #expect(staging.isEmpty, "\(staging)")
    }
}
