import Foundation
import Testing

extension SystemSuite {

/// One sequence with the centre, through the real binaries on 127.0.0.1: `intake serve` with
/// `[books] numbering = "leased"` against intake-receiver as the numbering authority. The box's
/// block runs out while the centre is unreachable (the offline days, played as registrations in
/// quick succession), it gives provisional T-numbers, the centre numbers electronic arrivals
/// meanwhile, and when the centre is back the T-numbers are confirmed in arrival order,
/// re-stamped, and delivered with their final numbers.
@Suite struct LeaseSystemTests {
    func curl(_ port: Int, _ token: String, _ method: String, _ path: String, _ body: String? = nil) throws -> [String: Any] {
        var arguments = ["-s", "--max-time", "5", "-X", method, "-H", "Authorization: Bearer \(token)"]
        if let body { arguments += ["-H", "Content-Type: application/json", "--data", body] }
        let output = try Harness.run("/usr/bin/curl", arguments + ["http://127.0.0.1:\(port)\(path)"])
        guard let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] else {
            throw HarnessError("not a JSON object from \(path): \(output.stdout)")
        }
        return object
    }

    /// An electronic arrival numbered at the centre.
    func electronicArrival(_ port: Int, _ world: World, _ reference: String) throws -> Int {
        let answer = try curl(port, world.token, "POST", "/arrivals", #"{"book":"DEN","year":\#(Self.year),"reference":"\#(reference)"}"#)
        guard let number = answer["number"] as? Int else { throw HarnessError("no number: \(answer)") }
        return number
    }

    static var year: Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .gmt
        return calendar.component(.year, from: Date())
    }

    func grants(_ port: Int, _ world: World) throws -> [[String: Any]] {
        try curl(port, world.token, "GET", "/leases")["grants"] as? [[String: Any]] ?? []
    }

    func scanNumber(_ world: World) throws -> String {
        let scan = try world.intakeWithConfig(["scan", "--profile", "default"])
        guard scan.status == 0, let match = scan.stdout.firstMatch(of: /Số đến (T-\d+|\d+)/) else {
            throw HarnessError("scan failed: \(scan.stdout) \(scan.stderr)")
        }
        return String(match.1)
    }

    func config(_ world: World, port: Int) throws {
        try world.writeConfig(port: nil, extra: """
            [books]
            numbering = "leased"
            lease_check_seconds = 0.3
            lease_minimum = 3
            [[targets]]
            name = "central"
            kind = "http"
            url = "http://127.0.0.1:\(port)"
            token_file = "\(world.root)/token"
            numbering_authority = true
            connect_timeout_seconds = 1
            total_timeout_seconds = 10

            """)
    }

    @Test func aBlockUsedUpOfflineGivesTNumbersConfirmedInArrivalOrderWithoutDuplicates() throws {
        let world = try World()
        var centre = try Receiver(world: world)
        let port = centre.port
        try config(world, port: port)
        #expect(try world.intakeWithConfig(["config", "validate"]).status == 0)
        // Electronic arrivals numbered by the centre before the box starts.
        var electronic = [try electronicArrival(port, world, "e-1"), try electronicArrival(port, world, "e-2")]

        let daemon = try Child(Harness.intake, ["serve", "--config", world.configPath], environment: world.environment)
        #expect(eventually(timeout: 30) { FileManager.default.fileExists(atPath: world.socket) }, "\(daemon.stderr.snapshot())")
        #expect(eventually { ((try? grants(port, world)) ?? []).count == 1 }, "no lease: \(daemon.stderr.snapshot())")
        let firstGrant = try #require(try grants(port, world).first)
        #expect(firstGrant["first"] as? Int == 3 && firstGrant["last"] as? Int == 5)
        var boxNumbers = [try scanNumber(world)]

        // The centre becomes unreachable for the box; it goes on numbering electronic arrivals
        // (played by a second receiver on the same store, on a port the box does not know).
        centre.stop()
        let elsewhere = try Receiver(world: world)
        electronic += [try electronicArrival(elsewhere.port, world, "e-3"), try electronicArrival(elsewhere.port, world, "e-4")]
        elsewhere.stop()
        for _ in 0..<4 { boxNumbers.append(try scanNumber(world)) }
        #expect(boxNumbers == ["3", "4", "5", "T-1", "T-2"], "block 3…5 used up offline, then provisional")
        #expect(electronic == [1, 2, 6, 7])

        let list = try world.intakeWithConfig(["register", "list"])
        #expect(list.stdout.contains("T-1/") && list.stdout.contains("SỐ TẠM"), "\(list.stdout)")
        let provisional = try world.intakeWithConfig(["register", "list", "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(provisional.stdout.utf8)) as? [[String: Any]])
        let tPaths = entries.filter { ($0["number"] as? Int ?? 0) < 0 }
            .sorted { ($0["number"] as? Int ?? 0) > ($1["number"] as? Int ?? 0) }.compactMap { $0["path"] as? String }
        #expect(tPaths.count == 2)
        let t1 = try #require(tPaths.first)
        let t1Text = try Harness.run("/usr/bin/pdftotext", ["-f", "1", "-l", "1", t1, "-"]).stdout
        #expect(t1Text.contains("Số: T-1"), "\(t1Text)")
        let t1Bytes = try Data(contentsOf: URL(fileURLWithPath: t1))

        // The centre is back on its address: T-1, T-2 get 8, 9 (after the electronic 6, 7), in arrival order.
        centre = try Receiver(world: world, port: port)
        #expect(eventually(timeout: 30) { ((try? centre.documents()) ?? []).count == 5 }, "\(daemon.stderr.snapshot())")
        let delivered = try centre.documents()
        let numbers = delivered.compactMap { ($0["metadata"] as? [String: Any])?["number"] as? Int }.sorted()
        #expect(numbers == [3, 4, 5, 8, 9])
        let all = numbers + electronic
        #expect(Set(all).count == all.count, "no number given twice: \(all.sorted())")
        #expect(Set(all) == Set(1...9), "one sequence without holes: \(all.sorted())")

        // The final PDF: the provisional bytes kept, stamped with the final number, its sha256 recorded.
        let t1Final = try #require(delivered.first { ($0["metadata"] as? [String: Any])?["number"] as? Int == 8 })
        let file = try #require(t1Final["file"] as? String)
        let stored = file.hasPrefix("/") ? file : world.root + "/receiver/" + file
        let finalText = try Harness.run("/usr/bin/pdftotext", ["-f", "1", "-l", "1", stored, "-"]).stdout
        #expect(finalText.contains("Số: 8") && !finalText.contains("T-1"), "\(finalText)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: stored)).starts(with: t1Bytes))
        #expect(try Harness.run("/usr/bin/qpdf", ["--check", stored]).status == 0)
        let show = try world.intakeWithConfig(["register", "show", "8", "--json"])
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let sum = try Harness.run("/usr/bin/sha256sum", [stored]).stdout.split(separator: " ").first.map(String.init)
        #expect(sum == shown["sha256"] as? String)
        #expect(sum == (t1Final["metadata"] as? [String: Any])?["sha256"] as? String)
        #expect(try world.intakeWithConfig(["register", "verify"]).status == 0)
        // The box took a new block after the confirmations: 10…12.
        #expect(eventually { ((try? grants(port, world)) ?? []).contains { $0["first"] as? Int == 10 } })

        daemon.signal(SIGTERM)
        _ = daemon.wait(timeout: 30)
        centre.stop()
    }

    @Test func leasedNumberingWithoutOneNumberingAuthorityIsAConfigProblem() throws {
        let world = try World()
        try world.writeConfig(port: 9, extra: "[books]\nnumbering = \"leased\"\n")
        let validate = try world.intakeWithConfig(["config", "validate"])
        #expect(validate.status != 0)
        #expect((validate.stdout + validate.stderr).contains("numbering_authority"), "\(validate.stdout)\(validate.stderr)")
    }
}

}
