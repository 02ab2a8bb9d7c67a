import Foundation
import Testing

extension SystemSuite {

/// Whole system against the real paperless-ngx: documents scanned at the box (SANE test scanner,
/// `intake serve`) appear in paperless with their ASN, title, tags and số đến custom field, and
/// a kill -9 of the daemon between the POST and the task's SUCCESS leaves exactly one document.
@Suite struct PaperlessSystemTests {
    func startDaemon(_ world: World) throws -> Child {
        let daemon = try Child(Harness.intake, ["serve", "--config", world.configPath], environment: world.environment)
        let up = eventually(timeout: 60) { FileManager.default.fileExists(atPath: world.socket) }
        guard up else { throw HarnessError("daemon did not start: \(daemon.stderr.snapshot())") }
        return daemon
    }

    func queue(_ world: World) throws -> [QueueRow] { try world.queue() }

    @Test func scannedDocumentsArriveOnceWithASNTitleTagsAndNumberFieldDespiteAKillMidTask() throws {
        let paperless = try PaperlessServer()
        defer { paperless.stop() }
        let world = try World()
        _ = FileManager.default.createFile(atPath: world.root + "/paperless-token", contents: Data(paperless.token.utf8),
                                           attributes: [.posixPermissions: 0o600])
        try world.writeConfig(port: nil, extra: """
            [[targets]]
            name = "paperless"
            kind = "paperless"
            url = "\(paperless.url)"
            token_file = "\(world.root)/paperless-token"
            connect_timeout_seconds = 2
            total_timeout_seconds = 60
            task_timeout_seconds = 240

            """)

        // 1. Scan; as soon as paperless has the task (the POST arrived), kill -9 the daemon.
        var daemon = try startDaemon(world)
        let first = try world.intakeWithConfig(["scan", "--profile", "default", "--sender", "UBND tỉnh Hà Giang", "--summary", "Giấy mời họp"])
        #expect(first.status == 0, "\(first.stderr)")
        var taskStatus = ""
        let posted = eventually(timeout: 120) {
            guard let tasks = try? paperless.get("/api/tasks/") as? [[String: Any]], let task = tasks.first else { return false }
            taskStatus = task["status"] as? String ?? ""
            return true
        }
        daemon.signal(SIGKILL)
        _ = daemon.wait(timeout: 10)
        #expect(posted, "paperless never saw the upload: \(daemon.stderr.snapshot())")
        #expect(taskStatus != "SUCCESS", "the kill came after SUCCESS, not between POST and SUCCESS")

        // 2. Restart; scan a hỏa tốc document; both must end delivered.
        daemon = try startDaemon(world)
        defer { daemon.signal(SIGTERM); _ = daemon.wait(timeout: 20) }
        let scanned = Date()
        let second = try world.intakeWithConfig(["scan", "--profile", "urgent"])
        #expect(second.status == 0, "\(second.stderr)")
        var secondDelivered: Date?
        let delivered = eventually(timeout: 400) {
            let rows = (try? queue(world)) ?? []
            if secondDelivered == nil, rows.contains(where: { $0.number == 2 && $0.state == "delivered" }) { secondDelivered = Date() }
            return rows.count == 2 && rows.allSatisfy { $0.state == "delivered" }
        }
        #expect(delivered, "\((try? queue(world)) ?? [])\n\(daemon.stderr.snapshot())")
        if let secondDelivered {
            print(String(format: "FIGURE paperless end-to-end (scan returned → task SUCCESS → delivered, OCR of an image-only PDF): %.1f s per document",
                         secondDelivered.timeIntervalSince(scanned)))
        }

        // 3. What paperless holds.
        let documents = try paperless.results("/api/documents/?page_size=100")
        #expect(documents.count == 2, "\(documents.map { $0["archive_serial_number"] ?? "-" })")
        let tags = Dictionary(uniqueKeysWithValues: try paperless.results("/api/tags/?page_size=100").compactMap { tag -> (Int, String)? in
            guard let id = tag["id"] as? Int, let name = tag["name"] as? String else { return nil }
            return (id, name)
        })
        let fields = try paperless.results("/api/custom_fields/?page_size=100")
        let numberField = try #require(fields.first { $0["name"] as? String == "Số đến" }?["id"] as? Int)
        let rows = try queue(world)
        for (number, asn, tagNames) in [(1, 202_600_001, ["Intake"]), (2, 202_600_002, ["Intake", "Hỏa tốc"])] {
            let matches = documents.filter { $0["archive_serial_number"] as? Int == asn }
            #expect(matches.count == 1, "ASN \(asn): \(matches.count) documents")
            guard let document = matches.first else { continue }
            let title = document["title"] as? String ?? ""
            #expect(title.hasPrefix("Đến số \(number)/2026 (DEN)"), "\(title)")
            let names = Set(((document["tags"] as? [Int]) ?? []).compactMap { tags[$0] })
            #expect(names == Set(tagNames), "\(names)")
            let custom = (document["custom_fields"] as? [[String: Any]]) ?? []
            #expect(custom.contains { $0["field"] as? Int == numberField && $0["value"] as? Int == number }, "\(custom)")
            let receipt = rows.first { $0.number == number }?.receipt
            #expect(receipt == (document["id"] as? Int).map(String.init))
        }
        let first1 = documents.first { $0["archive_serial_number"] as? Int == 202_600_001 }
        #expect((first1?["title"] as? String)?.contains("Giấy mời họp") == true)
        #expect(first1?["correspondent"] as? Int != nil)
    }
}

}
