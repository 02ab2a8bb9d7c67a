import Foundation
import Testing

extension SystemSuite {

/// The document of record through the real binary and the SANE test backend: the ĐẾN stamp on
/// the registered PDF, the digitisation rules, the printed book per decree, paper catch-up.
@Suite struct DocumentOfRecordSystemTests {
    func pdftotext(_ arguments: [String]) throws -> String {
        try Harness.run("/usr/bin/pdftotext", arguments).stdout
    }

    @Test func aScannedDocumentIsStampedWithItsNumberAndVietnameseLabels() throws {
        let world = try World()
        try world.writeConfig(port: nil)
        for _ in 0..<2 {
            let scan = try world.intakeWithConfig(["scan", "--direct", "--json"])
            #expect(scan.status == 0, "\(scan.stderr)")
        }
        let show = try world.intakeWithConfig(["register", "show", "2", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let path = try #require(json["path"] as? String)
        #expect(try Harness.run("/usr/bin/qpdf", ["--check", path]).status == 0)
        let text = try pdftotext(["-f", "1", "-l", "1", path, "-"])
        #expect(text.contains("Số: 2"), "\(text)")
        #expect(text.contains("VĂN PHÒNG THỬ NGHIỆM"), "\(text)")
        #expect(text.contains("Ngày: ") && text.contains("Giờ: "), "\(text)")
        let sum = try Harness.run("/usr/bin/sha256sum", [path]).stdout.split(separator: " ").first.map(String.init)
        #expect(sum == json["sha256"] as? String)
    }

    @Test func aGrayRegisteredProfileIsRefusedAtValidateWithTheRuleNamed() throws {
        let world = try World()
        try world.writeConfig(port: nil, extra: "[profiles.grey]\nmode = \"Gray\"\nresolution = 150\n")
        let output = try world.intakeWithConfig(["config", "validate", "--no-device"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("profiles.grey.mode"), "\(output.stderr)")
        #expect(output.stderr.contains("colour images (ảnh màu)"), "\(output.stderr)")
        #expect(output.stderr.contains("profiles.grey.resolution"), "\(output.stderr)")
        #expect(output.stderr.contains("at least 200 dpi"), "\(output.stderr)")

        // The same rule for a registered scan asked for with flags; scan-to-file keeps every mode.
        try world.writeConfig(port: nil)
        let flagged = try world.intakeWithConfig(["scan", "--direct", "--mode", "Lineart"])
        #expect(flagged.status == 2)
        #expect(flagged.stderr.contains("colour images (ảnh màu)"), "\(flagged.stderr)")
        let toFile = try world.intake(["scan", "--device", "test:0", "--source", "Flatbed", "--mode", "Lineart", "--resolution", "75",
                                       "--output", world.root + "/any.pdf"])
        #expect(toFile.status == 0, "\(toFile.stderr)")
        #expect(try world.intakeWithConfig(["register", "list", "--json"]).stdout.contains("[]")
                || world.intakeWithConfig(["register", "list"]).stdout.contains("No documents"))
    }

    @Test func paperEntriesAreCaughtUpInOrderAndAScanAttachedLater() throws {
        let world = try World()
        try world.writeConfig(port: nil)
        #expect(try world.intakeWithConfig(["scan", "--direct"]).status == 0)
        let now = Date()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let soon = formatter.string(from: now)

        // A duplicate and a gap are refused, each saying what is expected.
        let duplicate = try world.intakeWithConfig(["register", "add", "--number", "1", "--arrived", soon])
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr.contains("đã có trong sổ"), "\(duplicate.stderr)")
        let gap = try world.intakeWithConfig(["register", "add", "--number", "3", "--arrived", soon])
        #expect(gap.status == 1)
        #expect(gap.stderr.contains("là 2"), "\(gap.stderr)")
        let future = try world.intakeWithConfig(["register", "add", "--number", "2", "--arrived", formatter.string(from: now.addingTimeInterval(7200))])
        #expect(future.status == 1, "\(future.stdout)")

        let add = try world.intakeWithConfig(["register", "add", "--number", "2", "--arrived", soon, "--sender", "Sở Tài chính",
                                              "--summary", "Công văn nhận khi máy hỏng"])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("Entered number 2/"), "\(add.stdout)")

        let scan = world.root + "/paper-2.pdf"
        let toFile = try world.intake(["scan", "--device", "test:0", "--source", "ADF", "--mode", "Color", "--resolution", "200",
                                       "--page-width-mm", "100", "--page-height-mm", "100", "--output", scan])
        #expect(toFile.status == 0, "\(toFile.stderr)")
        let attach = try world.intakeWithConfig(["register", "attach", "2", scan])
        #expect(attach.status == 0, "\(attach.stderr)")
        let show = try world.intakeWithConfig(["register", "show", "2", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let path = try #require(json["path"] as? String)
        #expect(try pdftotext(["-f", "1", "-l", "1", path, "-"]).contains("Số: 2"))
        #expect(try world.intakeWithConfig(["register", "verify"]).status == 0)
        // The next scan continues the one sequence.
        #expect(try world.intakeWithConfig(["scan", "--direct", "--json"]).stdout.contains("\"number\" : 3"))
    }

    @Test func theExportIsOneBookWithItsCover() throws {
        let world = try World()
        try world.writeConfig(port: nil)
        #expect(try world.intakeWithConfig(["scan", "--direct"]).status == 0)
        let secret = try world.intakeWithConfig(["scan", "--direct", "--secrecy", "mat"])
        #expect(secret.status == 0, "\(secret.stderr)")
        let ordinary = world.root + "/den.pdf"
        #expect(try world.intakeWithConfig(["register", "export", "--format", "pdf", "--output", ordinary]).status == 0)
        let den = try pdftotext(["-layout", ordinary, "-"])
        #expect(den.contains("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN") && den.contains("Sổ: DEN"), "\(den)")
        #expect(!den.contains("MẬT"), "the ordinary book carries no classified entry")
        let classified = world.root + "/mat.pdf"
        #expect(try world.intakeWithConfig(["register", "export", "--format", "pdf", "--book", "MAT", "--output", classified]).status == 0)
        let mat = try pdftotext(["-layout", classified, "-"])
        #expect(mat.contains("SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐẾN"), "\(mat)")
        #expect(mat.contains("Độ mật") && mat.contains("(11)"), "\(mat)")
        let unknown = try world.intakeWithConfig(["register", "export", "--format", "csv", "--book", "XYZ", "--output", world.root + "/x.csv"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no book 'XYZ'"), "\(unknown.stderr)")
    }
}

}
