import Foundation
import Testing

extension SystemSuite {

/// Issue 17 end to end: the real `intake serve` scans a drawn header page through SANE's pnm
/// backend, the header stage reads it with the real intake-ocr, and the reference receiver on
/// loopback shows what left the box. Each reading takes about a second.
@Suite struct HeaderSystemTests {
    /// A world whose scanner is SANE's pnm backend reading `page`, with OCR on (band 1: the drawn
    /// pages are the header band already; a long fields timeout: a debug build on a loaded
    /// machine reads slower than the few seconds of production) and the status screen in a file.
    func makeWorld(page: [HeaderPage.Piece], receiver makeReceiver: Bool = true, ocr: String = "") throws -> (World, Receiver?, String) {
        let world = try World()
        let path = world.root + "/page.ppm"
        try HeaderPage.draw(page, degrees: 1, to: path)
        let receiver = makeReceiver ? try Receiver(world: world) : nil
        var text = """
            organisation_code = "000.00.00.H49"
            network = "internet"
            [paths]
            state_dir = "\(world.root)/state"
            socket = "\(world.socket)"
            [device]
            name = "pnm:0"
            poll_buttons = false
            rescan_seconds = 1
            [profiles.default]
            source = "Flatbed"
            mode = "Color"
            resolution = 300
            device_options = { filename = "\(path)" }
            [release]
            hold_seconds = 0
            [retry]
            base_seconds = 0.2
            cap_seconds = 1
            [disk]
            min_free_mb = 10
            [feedback]
            console = "\(world.root)/console"
            bell = false
            [ocr]
            enabled = true
            band = 1
            fields_timeout_seconds = 60
            \(ocr)

            """
        if let receiver {
            text += """
                [[targets]]
                name = "central"
                kind = "http"
                url = "http://127.0.0.1:\(receiver.port)"
                token_file = "\(world.root)/token"
                connect_timeout_seconds = 1
                total_timeout_seconds = 10

                """
        }
        try text.write(toFile: world.configPath, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: world.root + "/console", contents: nil)
        return (world, receiver, world.root + "/console")
    }

    static func page(marks: [String]) -> [HeaderPage.Piece] {
        HeaderPage.layout(body: "SỞ TÀI CHÍNH", parent: "UBND TỈNH HƯNG YÊN", notation: "1234/STC-NS", place: "Hưng Yên",
                          date: (14, 11, 2026), type: nil, summary: "dự toán ngân sách năm 2027", marks: marks)
    }

    func startDaemon(_ world: World) throws -> Child {
        let daemon = try Child(Harness.intake, ["serve", "--config", world.configPath], environment: world.environment)
        guard eventually(timeout: 30, { FileManager.default.fileExists(atPath: world.socket) }) else {
            throw HarnessError("daemon did not start: \(daemon.stderr.snapshot())")
        }
        return daemon
    }

    func show(_ world: World, _ number: Int, book: String = "DEN") throws -> String {
        try world.intakeWithConfig(["register", "show", "\(number)", "--book", book]).stdout
    }

    func marksCheck(_ world: World, _ number: Int) throws -> String {
        let line = try show(world, number).split(separator: "\n").first { $0.hasPrefix("Marks check") } ?? ""
        return line.split(separator: " ").dropFirst(5).first.map(String.init) ?? ""
    }

    func console(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    @Test func aMatMarkedPageRegisteredOrdinaryIsHeldAndConfirmingReRegistersItInTheClassifiedBook() throws {
        let (world, receiver, screen) = try makeWorld(page: Self.page(marks: ["MẬT"]))
        let receiverProcess = try #require(receiver)
        let daemon = try startDaemon(world)
        defer { daemon.signal(SIGTERM); _ = daemon.wait(timeout: 20) }

        let scan = try world.intakeWithConfig(["scan"])
        #expect(scan.stdout.contains("Số đến 1 — book DEN"), "numbering does not wait for OCR: \(scan.stdout)\(scan.stderr)")
        #expect(try eventually(timeout: 30) { try marksCheck(world, 1) == "flagged" }, "\(daemon.stderr.snapshot())")
        #expect(console(screen).contains("trang 1 có dấu MẬT. Chưa gửi."), "\(console(screen))")
        #expect(daemon.stderr.snapshot().contains("secrecy mark on the page above the registered secrecy"))
        // Held: the gate never lets it go, however long we wait.
        Thread.sleep(forTimeInterval: 2)
        #expect(try receiverProcess.documents().isEmpty)
        let shown = try show(world, 1)
        #expect(shown.contains("1234/STC-NS  [read by OCR"), "\(shown)\n\(daemon.stderr.snapshot())")

        let confirm = try world.intakeWithConfig(["register", "confirm-mark", "1", "--secrecy", "mat", "--reason", "Dấu MẬT đỏ trên trang 1"])
        #expect(confirm.status == 0, "\(confirm.stderr)\n\(daemon.stderr.snapshot())")
        #expect(!confirm.stderr.contains("daemon is not running"), "the confirmation went through the daemon")
        #expect(confirm.stdout.contains("vào sổ MAT số 1"), "\(confirm.stdout)")
        let ordinary = try show(world, 1)
        #expect(ordinary.contains("VOIDED — Đổi độ mật thành MẬT: Dấu MẬT đỏ trên trang 1"), "\(ordinary)")
        #expect(try show(world, 1, book: "MAT").contains("Pages kept (storage)              none"))
        // An Internet box keeps none of a MẬT document's pages.
        let kept = (FileManager.default.enumerator(atPath: world.root + "/state/documents")?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".pdf") }
        #expect(kept.isEmpty, "\(kept)")
        Thread.sleep(forTimeInterval: 1)
        #expect(try receiverProcess.documents().isEmpty)
        #expect(try world.intakeWithConfig(["register", "verify"]).status == 0)
    }

    func queue(_ world: World) throws -> [[String: Any]] {
        let output = try world.intakeWithConfig(["queue", "list", "--all", "--json"])
        return try #require(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]], "\(output.stdout)\(output.stderr)")
    }

    @Test func dismissingAMisreadMarkReleasesTheDocumentTheGateHeld() throws {
        let (world, receiver, _) = try makeWorld(page: Self.page(marks: ["MẬT"]))
        let receiverProcess = try #require(receiver)
        let daemon = try startDaemon(world)
        defer { daemon.signal(SIGTERM); _ = daemon.wait(timeout: 20) }
        _ = try world.intakeWithConfig(["scan"])
        #expect(try eventually(timeout: 30) { try marksCheck(world, 1) == "flagged" }, "\(daemon.stderr.snapshot())")
        // The gate has held the delivery, with its reason in the queue, before the clerk answers.
        let held = try eventually(timeout: 20) {
            try queue(world).contains { ($0["held_reason"] as? String)?.contains("dấu độ mật chưa được khai báo") == true }
        }
        #expect(held, "\((try? queue(world)) ?? [])")
        let dismiss = try world.intakeWithConfig(["register", "confirm-mark", "1", "--dismiss", "--reason", "Chữ trong tên cơ quan, không phải dấu"])
        #expect(dismiss.status == 0 && dismiss.stdout.contains("không có dấu độ mật"), "\(dismiss.stdout)\(dismiss.stderr)")
        #expect(try eventually(timeout: 20) { try receiverProcess.documents().count == 1 }, "\(daemon.stderr.snapshot())")
        #expect(try marksCheck(world, 1) == "passed")
        let audit = try world.intakeWithConfig(["register", "verify"])
        #expect(audit.status == 0)
        // Only a flagged document can be settled.
        let again = try world.intakeWithConfig(["register", "confirm-mark", "1", "--dismiss", "--reason", "lần nữa"])
        #expect(again.status != 0 && again.stderr.contains("không chờ xác nhận"), "\(again.stderr)")
    }

    @Test func aKhanMarkRaisesANormalDocumentsUrgencyAndItIsDeliveredAsKhan() throws {
        let (world, receiver, screen) = try makeWorld(page: Self.page(marks: ["KHẨN"]))
        let receiverProcess = try #require(receiver)
        let daemon = try startDaemon(world)
        defer { daemon.signal(SIGTERM); _ = daemon.wait(timeout: 20) }
        _ = try world.intakeWithConfig(["scan"])
        #expect(try eventually(timeout: 30) { try receiverProcess.documents().count == 1 }, "\(daemon.stderr.snapshot())")
        let metadata = try #require(receiverProcess.documents().first?["metadata"] as? [String: Any])
        #expect(metadata["urgency"] as? String == "Khẩn", "the decree value of khan: \(metadata)")
        #expect(try show(world, 1).contains("Urgency / secrecy                 KHẨN / -"))
        #expect(try marksCheck(world, 1) == "passed")
        #expect(console(screen).contains("đã nâng độ khẩn"), "\(console(screen))")
        #expect(daemon.stderr.snapshot().contains("urgency raised from the page's mark"))

        // The centre can search it: the header's words are a text layer over page 1 of the
        // delivered file, which is the file the register hashed after adding the layer.
        let stored = (FileManager.default.enumerator(atPath: world.root + "/receiver")?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".pdf") }.map { world.root + "/receiver/" + $0 }
        let delivered = try #require(stored.first)
        let text = try Harness.run("/usr/bin/pdftotext", ["-f", "1", "-l", "1", delivered, "-"]).stdout
        #expect(text.contains("TÀI CHÍNH") && text.contains("Hưng Yên"), "searchable header words: \(text)")
        #expect(text.contains("ĐẾN"), "the stamp is still drawn: \(text)")
        let check = try Harness.run("/usr/bin/qpdf", ["--check", delivered])
        #expect(check.status == 0 && !check.stdout.contains("WARNING"), "\(check.stdout)")
        let sha = try Harness.run("/usr/bin/sha256sum", [delivered]).stdout.prefix(64)
        let shown = try show(world, 1)
        #expect(shown.contains("SHA-256") && shown.contains(String(sha)), "the register holds the final file's sha256: \(sha) \(shown)")
        #expect(daemon.stderr.snapshot().contains("text layer added to page 1"))
    }

    @Test func aTextLayerThatCannotBeAddedHoldsNothingAndLeavesTheFileAsScanned() throws {
        // No stamp, and a font file HarfBuzz cannot read: the layer fails, the document goes on.
        let (world, receiver, _) = try makeWorld(page: Self.page(marks: []),
                                                 ocr: "[stamp]\nenabled = false\nfont = \"\(NSTemporaryDirectory())intake-not-a-font.ttf\"")
        try Data("not a font".utf8).write(to: URL(fileURLWithPath: NSTemporaryDirectory() + "intake-not-a-font.ttf"))
        defer { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "intake-not-a-font.ttf") }
        let receiverProcess = try #require(receiver)
        let daemon = try startDaemon(world)
        defer { daemon.signal(SIGTERM); _ = daemon.wait(timeout: 20) }
        _ = try world.intakeWithConfig(["scan"])
        #expect(try eventually(timeout: 30) { try receiverProcess.documents().count == 1 }, "\(daemon.stderr.snapshot())")
        #expect(try marksCheck(world, 1) == "passed")
        #expect(daemon.stderr.snapshot().contains("text layer not added; the document goes on without it"), "\(daemon.stderr.snapshot())")
        let stored = (FileManager.default.enumerator(atPath: world.root + "/receiver")?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".pdf") }.map { world.root + "/receiver/" + $0 }
        let delivered = try #require(stored.first)
        #expect(!(try Harness.run("/usr/bin/pdftotext", [delivered, "-"]).stdout.contains("CHÍNH")), "no layer in the file")
        let sha = try Harness.run("/usr/bin/sha256sum", [delivered]).stdout.prefix(64)
        #expect(try show(world, 1).contains(String(sha)), "the register's sha256 is the unchanged file's")
    }

    @Test func aReaderThatFailsHoldsTheDocumentAndTellsTheClerk() throws {
        let (world, receiver, screen) = try makeWorld(page: Self.page(marks: []), ocr: "binary = \"/bin/false\"")
        let receiverProcess = try #require(receiver)
        let daemon = try startDaemon(world)
        defer { daemon.signal(SIGTERM); _ = daemon.wait(timeout: 20) }
        _ = try world.intakeWithConfig(["scan"])
        #expect(try eventually(timeout: 30) { try marksCheck(world, 1) == "flagged" }, "\(daemon.stderr.snapshot())")
        #expect(daemon.stderr.snapshot().contains("marks check failed; the document is held"))
        #expect(console(screen).contains("không đọc được dấu độ mật"), "\(console(screen))")
        Thread.sleep(forTimeInterval: 2)
        #expect(try receiverProcess.documents().isEmpty)
        // After a restart the clerk is told again; the document stays held.
        daemon.signal(SIGTERM)
        _ = daemon.wait(timeout: 20)
        try "".write(toFile: screen, atomically: false, encoding: .utf8)
        let again = try startDaemon(world)
        defer { again.signal(SIGTERM); _ = again.wait(timeout: 20) }
        #expect(eventually(timeout: 60) { console(screen).contains("Văn bản số 1 sổ DEN đang chờ xác nhận dấu độ mật") }, "\(console(screen))")
        Thread.sleep(forTimeInterval: 1)
        #expect(try receiverProcess.documents().isEmpty)
    }

    @Test func aCheckLeftPendingWhileTheDaemonWasDownIsReadAtTheNextStart() throws {
        let (world, receiver, _) = try makeWorld(page: Self.page(marks: []))
        let receiverProcess = try #require(receiver)
        // Registered without the daemon: the check is pending and nothing may leave.
        let scan = try world.intakeWithConfig(["scan"])
        #expect(scan.stdout.contains("Số đến 1 — book DEN"), "\(scan.stdout)\(scan.stderr)")
        #expect(try marksCheck(world, 1) == "pending")
        _ = try world.intakeWithConfig(["deliver", "--once"])
        #expect(try receiverProcess.documents().isEmpty)
        let daemon = try startDaemon(world)
        defer { daemon.signal(SIGTERM); _ = daemon.wait(timeout: 20) }
        #expect(try eventually(timeout: 30) { try receiverProcess.documents().count == 1 }, "\(daemon.stderr.snapshot())")
        #expect(try marksCheck(world, 1) == "passed")
    }
}

}
