import Foundation
import Testing

extension SystemSuite {

/// The register, queue and doctor commands as a technician uses them on a real register file.
@Suite struct RegisterCommandTests {
    /// A world with `count` documents registered by direct scans (no daemon, no target).
    func worldWithDocuments(_ count: Int, port: Int? = nil) throws -> World {
        let world = try World()
        try world.writeConfig(port: port)
        for _ in 0..<count {
            let output = try world.intakeWithConfig(["scan", "--profile", "urgent"])
            #expect(output.status == 0, "\(output.stderr)")
        }
        return world
    }

    @Test func editVoidExportAndVerifyTheBook() throws {
        let world = try worldWithDocuments(3)
        let edit = try world.intakeWithConfig(["register", "edit", "2", "--sender", "Sở Tài chính", "--notation", "123/STC-NS",
                                               "--summary", "Công văn về dự toán ngân sách"])
        #expect(edit.status == 0, "\(edit.stderr)")
        let void = try world.intakeWithConfig(["register", "void", "3", "--reason", "Quét trùng — scanned twice"])
        #expect(void.status == 0, "\(void.stderr)")
        let show = try world.intakeWithConfig(["register", "show", "2"])
        #expect(show.stdout.contains("Sở Tài chính"))
        #expect(show.stdout.contains("123/STC-NS"))

        let csv = world.root + "/so-den.csv"
        #expect(try world.intakeWithConfig(["register", "export", "--format", "csv", "--output", csv]).status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: csv))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 BOM for Excel")
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("Công văn về dự toán ngân sách"))
        #expect(text.contains("Quét trùng"))

        let pdf = world.root + "/so-den.pdf"
        let export = try world.intakeWithConfig(["register", "export", "--format", "pdf", "--output", pdf])
        #expect(export.status == 0, "\(export.stderr)")
        let pdfText = try Harness.run("/usr/bin/pdftotext", ["-layout", pdf, "-"]).stdout
        #expect(pdfText.contains("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"))
        #expect(pdfText.contains("Sở Tài chính"))
        #expect(pdfText.contains("HỎA TỐC"))

        #expect(try world.intakeWithConfig(["register", "verify"]).status == 0)
        // Change a row behind Intake's back: verify names it and fails.
        let database = world.root + "/state/register.sqlite"
        let tamper = try Harness.run("/usr/bin/python3", ["-c", """
            import sqlite3; c = sqlite3.connect('\(database)'); c.execute("UPDATE document SET pages = pages + 1 WHERE number = 1"); c.commit()
            """])
        #expect(tamper.status == 0, "\(tamper.stderr)")
        let verify = try world.intakeWithConfig(["register", "verify"])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("altered"), "\(verify.stderr)")
    }

    /// The printed register is drawn in intake-register-pdf: its failure comes back as the
    /// command's own, message and all, and nothing is left behind.
    @Test func aPrintedRegisterThatCannotBeWrittenSaysWhyAndExitsOne() throws {
        let world = try worldWithDocuments(1)
        let pdf = world.root + "/no-such-directory/so-den.pdf"
        let export = try world.intakeWithConfig(["register", "export", "--format", "pdf", "--output", pdf])
        #expect(export.status == 1)
        #expect(export.stderr.contains("Không tạo được tệp PDF") || export.stderr.contains("Không ghi được tệp PDF"), "\(export.stderr)")
        #expect(export.stderr.contains("detail:"), "\(export.stderr)")
        #expect(!FileManager.default.fileExists(atPath: pdf))
    }

    @Test func numberThatDoesNotExistIsAClearError() throws {
        let world = try worldWithDocuments(1)
        let output = try world.intakeWithConfig(["register", "show", "99"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("no number 99"))
        let void = try world.intakeWithConfig(["register", "void", "1", "--reason", " "])
        #expect(void.status == 2, "an empty reason is a usage error")
    }

    @Test func queueHoldReleaseRetryAndDeliverOnce() throws {
        let world = try World()
        let receiver = try Receiver(world: world)
        try world.writeConfig(port: receiver.port)
        for _ in 0..<2 { #expect(try world.intakeWithConfig(["scan", "--profile", "default"]).status == 0) }
        #expect(try world.intakeWithConfig(["queue", "hold", "1", "--reason", "chờ lãnh đạo duyệt"]).status == 0)
        let list = try world.intakeWithConfig(["queue", "list"])
        #expect(list.stdout.contains("held"), "\(list.stdout)")
        #expect(list.stdout.contains("chờ lãnh đạo duyệt"))

        let deliver = try world.intakeWithConfig(["deliver"])
        #expect(deliver.status == 0, "\(deliver.stderr)")
        #expect(deliver.stdout.contains("delivered 1"), "\(deliver.stdout)")
        #expect(try receiver.documents().count == 1)

        #expect(try world.intakeWithConfig(["queue", "release", "1"]).status == 0)
        #expect(try world.intakeWithConfig(["deliver"]).stdout.contains("delivered 1"))
        #expect(try receiver.documents().count == 2)
        // Retrying a delivered entry sends nothing twice.
        #expect(try world.intakeWithConfig(["queue", "retry", "--all"]).status == 0)
        #expect(try world.intakeWithConfig(["deliver"]).stdout.contains("delivered 0"))
        #expect(try receiver.documents().count == 2)
    }

    @Test func badTokenFileModeIsRefusedWithTheFix() throws {
        let world = try World()
        let receiver = try Receiver(world: world)
        try world.writeConfig(port: receiver.port)
        chmod(world.root + "/token", 0o644)
        #expect(try world.intakeWithConfig(["scan", "--profile", "default"]).status == 0, "numbering never waits for delivery")
        let deliver = try world.intakeWithConfig(["deliver"])
        #expect(deliver.status == 1)
        #expect(deliver.stderr.contains("chmod 600"), "\(deliver.stderr)")
        let doctor = try world.intakeWithConfig(["doctor"])
        #expect(doctor.status == 1)
        #expect(doctor.stdout.contains("FAIL  target"), "\(doctor.stdout)")
    }

    @Test func doctorPassesOnAHealthyBox() throws {
        let world = try World()
        let receiver = try Receiver(world: world)
        try world.writeConfig(port: receiver.port)
        let daemon = try Child(Harness.intake, ["serve", "--config", world.configPath], environment: world.environment)
        #expect(eventually { FileManager.default.fileExists(atPath: world.socket) })
        let noBackup = try world.intakeWithConfig(["doctor"])
        #expect(noBackup.stdout.contains("FAIL  backup     no backup has been taken"), "\(noBackup.stdout)")
        #expect(try world.intakeWithConfig(["backup", "--to", world.root + "/backups"]).status == 0, "a healthy box has a backup")
        let doctor = try world.intakeWithConfig(["doctor"])
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
        for check in ["config", "sane", "daemon", "state", "register", "identity", "clock", "disk", "outbox", "target", "backup"] {
            #expect(doctor.stdout.contains("PASS  \(check)"), "\(check): \(doctor.stdout)")
        }
        receiver.stop()
        let down = try world.intakeWithConfig(["doctor"])
        #expect(down.status == 1)
        #expect(down.stdout.contains("unreachable"))
        #expect(down.stdout.contains("fix:"))
        daemon.signal(SIGTERM)
        #expect(daemon.wait(timeout: 30) == 0)
    }

    /// Issue 15 item 7: what doctor used to pass — a stopped daemon, a state directory that
    /// cannot be written — fails with the fix; URL credentials are never printed.
    @Test func doctorFailsWhatStopsTheBoxAndNeverPrintsCredentials() throws {
        let world = try World()
        let receiver = try Receiver(world: world)
        try world.writeConfig(port: receiver.port)
        let config = try String(contentsOfFile: world.configPath, encoding: .utf8)
            .replacingOccurrences(of: "url = \"http://127.0.0.1:", with: "url = \"http://clerk:hunter2@127.0.0.1:")
        try config.write(toFile: world.configPath, atomically: true, encoding: .utf8)
        #expect(try world.intakeWithConfig(["scan", "--profile", "default", "--direct"]).status == 0)
        // The state directory made read-only the way a failing disk remounts it (bind mounts need
        // privileges; an immutable directory is refused even to root).
        let documents = world.root + "/state/documents"
        let readOnly = chattr(documents, "+i")
        defer { if readOnly { _ = chattr(documents, "-i") } }
        let doctor = try world.intakeWithConfig(["doctor"])
        #expect(doctor.status == 1)
        #expect(doctor.stdout.contains("FAIL  daemon     not running"), "\(doctor.stdout)")
        if readOnly { #expect(doctor.stdout.contains("FAIL  state"), "\(doctor.stdout)") }
        #expect(!doctor.stdout.contains("hunter2") && !doctor.stderr.contains("hunter2"))
        #expect(doctor.stdout.contains("clerk:***@"))
    }
}
}

/// chattr on a path (true when it worked: needs root and a file system with attributes).
func chattr(_ path: String, _ flag: String) -> Bool {
    (try? Harness.run("/usr/bin/chattr", [flag, path]).status) == 0
}
