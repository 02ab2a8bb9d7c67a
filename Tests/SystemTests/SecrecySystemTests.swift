import Foundation
import Testing

extension SystemSuite {

/// Secrecy by the rules, through the real `intake` binary and the reference receiver on loopback.
@Suite struct SecrecySystemTests {
    func startDaemon(_ world: World) throws -> Child {
        let daemon = try Child(Harness.intake, ["serve", "--config", world.configPath], environment: world.environment)
        let up = eventually(timeout: 30) { FileManager.default.fileExists(atPath: world.socket) }
        guard up else { throw HarnessError("daemon did not start: \(daemon.stderr.snapshot())") }
        return daemon
    }

    func numbers(_ receiver: Receiver) throws -> [String] {
        try receiver.documents().map { document in
            let metadata = document["metadata"] as? [String: Any] ?? document
            return "\(metadata["book"] ?? "?") \(metadata["number"] ?? "?")"
        }.sorted()
    }

    /// Regular files the box keeps for documents (the register's own dot files at the top — lock, identity — aside).
    func storedFiles(_ world: World) -> [String] {
        var found: [String] = []
        for root in [world.root + "/state/documents", world.root + "/state/staging"] {
            let enumerator = FileManager.default.enumerator(atPath: root)
            while let name = enumerator?.nextObject() as? String {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue,
                   !(name.hasPrefix(".") && !name.contains("/")) {
                    found.append(root + "/" + name)
                }
            }
        }
        return found
    }

    func queue(_ world: World) throws -> [[String: Any]] {
        let output = try world.intakeWithConfig(["queue", "list", "--all", "--json"])
        return try #require(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]], "\(output.stdout)\(output.stderr)")
    }

    @Test func aSecrecyCorrectionInsideTheHoldWindowNeverReachesTheCentre() throws {
        let world = try World()
        let receiver = try Receiver(world: world)
        try world.writeConfig(port: receiver.port, holdSeconds: 4)
        let daemon = try startDaemon(world)
        defer { daemon.signal(SIGTERM); _ = daemon.wait(timeout: 20) }

        let first = try world.intakeWithConfig(["scan"])
        #expect(first.stdout.contains("Số đến 1 — book DEN"), "\(first.stdout)\(first.stderr)")
        let mark = try world.intakeWithConfig(["register", "mark", "1", "--secrecy", "mat", "--reason", "Dấu MẬT ở trang 2"])
        #expect(mark.status == 0, "\(mark.stderr)\n\(daemon.stderr.snapshot())")
        #expect(mark.stdout.contains("vào sổ MAT số 1"), "\(mark.stdout)")
        #expect(!mark.stderr.contains("daemon is not running"), "the correction went through the daemon")
        let second = try world.intakeWithConfig(["scan"])
        #expect(second.stdout.contains("Số đến 2 — book DEN"), "\(second.stdout)\(second.stderr)")

        // The second document leaves once its window ends; the first, whose window ended earlier, never does.
        #expect(try eventually(timeout: 40) { try receiver.documents().count >= 1 }, "\(daemon.stderr.snapshot())")
        #expect(try eventually(timeout: 40) { try world.queueSettled() }, "\((try? world.queue()) ?? [])")
        #expect(try numbers(receiver) == ["DEN 2"])
        let held = try queue(world).filter { $0["state"] as? String == "held" }
        #expect(held.count == 1)
        #expect((held.first?["held_reason"] as? String)?.contains("Đổi độ mật thành MẬT") == true, "\(held)")
        #expect(try world.intakeWithConfig(["register", "verify"]).status == 0)
    }

    @Test func anInternetBoxNumbersAMatDocumentAndStoresNoneOfItsPages() throws {
        let world = try World()
        let receiver = try Receiver(world: world)
        try world.writeConfig(port: receiver.port)
        let scan = try world.intakeWithConfig(["scan", "--secrecy", "mat"])
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(scan.stdout.contains("Số đến 1 — book MAT"), "\(scan.stdout)")
        #expect(scan.stdout.contains("không quét, không lưu và không gửi"), "the clerk is told in plain words: \(scan.stdout)")
        #expect(!scan.stderr.contains("page 1 scanned"), "no paper moved: \(scan.stderr)")
        #expect(storedFiles(world).isEmpty, "\(storedFiles(world))")
        #expect(try queue(world).isEmpty)
        let ordinary = try world.intakeWithConfig(["scan"])
        #expect(ordinary.stdout.contains("Số đến 1 — book DEN"), "\(ordinary.stdout)")
        let daemon = try startDaemon(world)
        defer { daemon.signal(SIGTERM); _ = daemon.wait(timeout: 20) }
        #expect(try eventually(timeout: 30) { try receiver.documents().count == 1 }, "\(daemon.stderr.snapshot())")
        #expect(try numbers(receiver) == ["DEN 1"])
    }

    @Test func aMatRegisteredByMistakeIsLoweredToTheOrdinaryBookAndReachesTheCentreInVietnamTime() throws {
        let world = try World()
        let receiver = try Receiver(world: world)
        let key = world.root + "/at-rest.key"
        try Data((0..<32).map { _ in UInt8.random(in: 0...255) }.map { String(format: "%02x", $0) }.joined().utf8)
            .write(to: URL(fileURLWithPath: key))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        try world.writeConfig(port: receiver.port, extra: "[at_rest]\nkey_file = \"\(key)\"\n", network: "classified", holdSeconds: 60)

        let first = try world.intakeWithConfig(["scan"])
        #expect(first.stdout.contains("Số đến 1 — book DEN"), "\(first.stdout)\(first.stderr)")
        let secret = try world.intakeWithConfig(["scan", "--secrecy", "mat"])
        #expect(secret.stdout.contains("Số đến 1 — book MAT"), "\(secret.stdout)\(secret.stderr)")
        let lower = try world.intakeWithConfig(["register", "mark", "1", "--secrecy", "none", "--reason", "Vào sổ mật nhầm", "--direct"])
        #expect(lower.status == 0, "\(lower.stderr)")
        #expect(lower.stdout.contains("thành văn bản thường: vào sổ DEN số 2"), "\(lower.stdout)")
        let list = try world.intakeWithConfig(["register", "list", "--book", "MAT"])
        #expect(list.stdout.contains("VOIDED: Đổi độ mật thành văn bản thường: Vào sổ mật nhầm"), "\(list.stdout)")
        #expect(list.stdout.contains("ARRIVED (NGÀY ĐẾN)") && list.stdout.contains("SECRECY (ĐỘ MẬT)"), "one language per table: \(list.stdout)")

        // The new ordinary entry has a hold window of its own: end it, then send what is due.
        try world.writeConfig(port: receiver.port, extra: "[at_rest]\nkey_file = \"\(key)\"\n", network: "classified", holdSeconds: 0)
        let sent = try world.intakeWithConfig(["deliver", "--all"])
        #expect(sent.status == 0, "\(sent.stdout)\(sent.stderr)")
        #expect(try eventually(timeout: 30) { try receiver.documents().count == 2 })
        #expect(try numbers(receiver) == ["DEN 1", "DEN 2"])
        let document = try #require(try receiver.documents().first { (($0["metadata"] as? [String: Any] ?? $0)["number"] as? Int) == 2 })
        let metadata = document["metadata"] as? [String: Any] ?? document
        #expect((metadata["arrivedAt"] as? String)?.hasSuffix("+07:00") == true, "\(metadata)")
        #expect(metadata["urgency"] as? String == "Thường" && metadata["secrecy"] as? String == "", "\(metadata)")
        // The ordinary copy carries the ordinary book's new number on its ĐẾN stamp.
        let pdfs = (FileManager.default.enumerator(atPath: world.root + "/receiver")?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".pdf") }
        let stamps = try pdfs.map { try Harness.run("/usr/bin/pdftotext", ["-f", "1", "-l", "1", world.root + "/receiver/" + $0, "-"]).stdout }
        #expect(stamps.count == 2 && stamps.filter { $0.contains("Số: 2") }.count == 1, "\(stamps)")
    }

    @Test func aClassifiedBoxKeepsMatEncryptedNeverWorldReadableAndOffAnOrdinaryTarget() throws {
        let world = try World()
        let receiver = try Receiver(world: world)
        let key = world.root + "/at-rest.key"
        try Data((0..<32).map { _ in UInt8.random(in: 0...255) }.map { String(format: "%02x", $0) }.joined().utf8)
            .write(to: URL(fileURLWithPath: key))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        try world.writeConfig(port: receiver.port, extra: "[at_rest]\nkey_file = \"\(key)\"\n", network: "classified")

        let secret = try world.intakeWithConfig(["scan", "--secrecy", "mat"])
        #expect(secret.status == 0, "\(secret.stderr)")
        #expect(secret.stdout.contains("Số đến 1 — book MAT"), "\(secret.stdout)")
        let files = storedFiles(world)
        #expect(files.count == 1, "\(files)")
        for file in files {
            let mode = (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) ?? -1
            #expect(mode & 0o007 == 0, "\(file) mode \(String(mode, radix: 8))")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(bytes.range(of: Data("%PDF".utf8)) == nil, "\(file) is readable without the key")
        }
        let topSecret = try world.intakeWithConfig(["scan", "--secrecy", "tuyet_mat"])
        #expect(topSecret.stdout.contains("Số đến 2 — book MAT") && topSecret.stdout.contains("TUYỆT MẬT"), "\(topSecret.stdout)")
        #expect(storedFiles(world).count == 1, "TUYỆT MẬT keeps no page")

        // Moving the key away makes the box refuse to scan MẬT before any paper moves.
        try FileManager.default.moveItem(atPath: key, toPath: key + ".away")
        let noKey = try world.intakeWithConfig(["scan", "--secrecy", "mat"])
        #expect(noKey.status != 0)
        #expect(noKey.stderr.contains("Không tìm thấy khóa mã hóa văn bản mật"), "\(noKey.stderr)")
        #expect(!noKey.stderr.contains("page 1 scanned"))
        try FileManager.default.moveItem(atPath: key + ".away", toPath: key)

        let daemon = try startDaemon(world)
        defer { daemon.signal(SIGTERM); _ = daemon.wait(timeout: 20) }
        let ordinary = try world.intakeWithConfig(["scan"])
        #expect(ordinary.stdout.contains("book DEN"), "\(ordinary.stdout)")
        #expect(try eventually(timeout: 30) { try receiver.documents().count == 1 }, "\(daemon.stderr.snapshot())")
        #expect(try eventually(timeout: 30) { try world.queueSettled() }, "\((try? world.queue()) ?? [])")
        #expect(try numbers(receiver) == ["DEN 1"], "the ordinary target got only the ordinary document")
        let held = try queue(world).filter { $0["state"] as? String == "held" }
        #expect((held.first?["held_reason"] as? String)?.contains("không phải nơi nhận văn bản mật") == true, "\(held)")
    }

    @Test func validateRefusesTheOldKeyAndAClassifiedTargetWithoutMutualTLS() throws {
        let world = try World()
        try world.writeConfig(port: nil, extra: """
            [[targets]]
            name = "party-net"
            kind = "http"
            url = "http://127.0.0.1:9"
            secure_network = true
            classified = true

            """, network: "classified")
        let output = try world.intakeWithConfig(["config", "validate", "--no-device"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("secure_network: was replaced"), "\(output.stderr)")
        #expect(output.stderr.contains("mutually authenticated TLS"), "\(output.stderr)")
    }
}

}
