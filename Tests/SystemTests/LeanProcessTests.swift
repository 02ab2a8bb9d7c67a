import Foundation
import Testing

extension SystemSuite {

/// Issue 13, lean executables: `intake scan --output` runs in a process that maps only what
/// scanning to a file uses; everything else is the full command, unchanged.
@Suite struct LeanProcessTests {
    static var intakeFull: String { Harness.binDirectory.appendingPathComponent("intake-full").path }

    /// Libraries a scan to a file must not map: Swift Foundation's ICU and the rest of full
    /// Foundation, the register's cairo/pango, delivery's curl, the register's SQLite/GRDB, the
    /// stamp's HarfBuzz. (libsane itself needs libxml2, which Debian builds against the system
    /// ICU libicuuc; that one is SANE's, not ours, and is not in this list.)
    static let forbidden = ["lib_FoundationICU", "libFoundation.so", "libFoundationInternationalization",
                            "libFoundationNetworking", "libcairo", "libpango", "libcurl", "libsqlite3", "libharfbuzz"]

    /// An A4 colour page at 300 dpi for the pnm backend (2480×3508), so the scan lasts long
    /// enough to watch the process's own maps from outside.
    static func a4Page(in world: World) throws -> String {
        let path = world.root + "/a4.ppm"
        var ppm = Data("P6\n2480 3508\n255\n".utf8)
        var row = [UInt8](repeating: 235, count: 2480 * 3)
        for x in stride(from: 0, to: row.count, by: 97) { row[x] = 20 }
        for y in 0..<3508 { ppm.append(contentsOf: y % 60 < 3 ? [UInt8](repeating: 30, count: row.count) : row) }
        _ = FileManager.default.createFile(atPath: path, contents: ppm)
        return path
    }

    @Test func scanToAFileRunsInAProcessMappingNoICUCairoCurlOrSQLite() throws {
        let world = try World()
        let page = try Self.a4Page(in: world)
        let pdf = world.root + "/lean.pdf"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Harness.intake)
        process.arguments = ["scan", "--device", "pnm:0", "--option", "filename=\(page)", "--output", pdf]
        process.environment = ProcessInfo.processInfo.environment.merging(world.environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Sample the running scan's maps until it exits: a sample counts once it is the scan's
        // own process image (libsane mapped), so a look before exec or after exit proves nothing.
        var mapped = Set<String>()
        var executable = ""
        var samples = 0
        while process.isRunning {
            let pid = process.processIdentifier
            // (FileHandle reads to the end; /proc files report size 0 to a reader that trusts stat.
            // The throwing read: the process may exit mid-read (ESRCH), which readDataToEndOfFile traps on.)
            if let handle = FileHandle(forReadingAtPath: "/proc/\(pid)/maps"), let data = try? handle.readToEnd(),
               case let maps = String(decoding: data, as: UTF8.self), maps.contains("libsane") {
                samples += 1
                executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")) ?? executable
                for line in maps.split(separator: "\n") {
                    if let path = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(5).first, path.hasPrefix("/") {
                        mapped.insert(String(path))
                    }
                }
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: pdf))
        try #require(samples > 0, "the scan ended before its maps could be read")
        #expect(executable.hasSuffix("/intake"), "the scan ran in \(executable), not the lean front")
        #expect(mapped.contains { $0.contains("libjpeg") }, "sampled a process that does not encode: \(mapped.sorted())")
        for library in Self.forbidden {
            #expect(!mapped.contains { $0.contains(library) }, "the scan mapped \(library): \(mapped.filter { $0.contains(library) })")
        }
    }

    @Test func eachBinaryLinksOnlyWhatItUses() throws {
        let lean = try Harness.run("/usr/bin/ldd", [Harness.intake])
        let full = try Harness.run("/usr/bin/ldd", [Self.intakeFull])
        let printer = try Harness.run("/usr/bin/ldd", [Harness.binDirectory.appendingPathComponent("intake-register-pdf").path])
        #expect(lean.status == 0 && full.status == 0 && printer.status == 0)
        for library in Self.forbidden where library != "libFoundationNetworking" {
            #expect(!lean.stdout.contains(library), "intake needs \(library)")
        }
        // The split is real: what the front leaves out, the full command still carries…
        for library in ["libFoundation.so", "libcurl", "libsqlite3"] {
            #expect(full.stdout.contains(library), "intake-full lost \(library)")
        }
        // …except the printed register's cairo and pango, which only intake-register-pdf maps,
        // so the daemon does not.
        for library in ["libcairo", "libpango"] {
            #expect(!full.stdout.contains(library), "intake-full (the daemon) links \(library)")
            #expect(printer.stdout.contains(library), "intake-register-pdf lost \(library)")
        }
    }

    @Test func helpAndVersionAreTheFullCommandsOwn() throws {
        for arguments in [["--help"], ["scan", "--help"], ["serve", "--help"], ["register", "export", "--help"], ["--version"]] {
            let front = try Harness.run(Harness.intake, arguments)
            let full = try Harness.run(Self.intakeFull, arguments)
            #expect(front.status == 0 && front.status == full.status, "\(arguments)")
            #expect(front.stdout == full.stdout, "\(arguments): the front's text differs from intake-full's")
            #expect(!front.stdout.isEmpty)
        }
    }

    @Test func theLeanScanWritesWhatTheFullCommandWrites() throws {
        let world = try World()
        let page = try Self.a4Page(in: world)
        func scan(_ program: String, _ name: String) throws -> (Harness.Output, Int) {
            let pdf = world.root + "/" + name
            let output = try Harness.run(program, ["scan", "--device", "pnm:0", "--option", "filename=\(page)",
                                                   "--quality", "70", "--output", pdf], environment: world.environment)
            let size = (try? FileManager.default.attributesOfItem(atPath: pdf)[.size] as? Int) ?? -1
            return (output, size)
        }
        let (lean, leanSize) = try scan(Harness.intake, "same.pdf")
        let (full, fullSize) = try scan(Self.intakeFull, "same.pdf")
        #expect(lean.status == 0 && full.status == 0, "\(lean.stderr) \(full.stderr)")
        #expect(lean.stderr == full.stderr, "lean: \(lean.stderr) full: \(full.stderr)")
        #expect(lean.stderr.contains("page 1 scanned (2480×3508 px)"), "\(lean.stderr)")
        #expect(leanSize > 0 && leanSize == fullSize)
    }

    @Test func aScanToFileTheFrontDoesNotTakeOnGetsTheFullCommandsAnswer() throws {
        let world = try World()
        for arguments in [["scan", "--device", "pnm:0", "--resolution", "5000", "--output", world.root + "/x.pdf"],
                          ["scan", "--device", "pnm:0", "--mode", "Sepia", "--output", world.root + "/x.pdf"],
                          ["scan", "--device", "pnm:0", "--register", "--output", world.root + "/x.pdf"],
                          ["scan", "--device", "pnm:0", "--output", world.root + "/x.pdf", "--bogus"]] {
            let front = try Harness.run(Harness.intake, arguments, environment: world.environment)
            let full = try Harness.run(Self.intakeFull, arguments, environment: world.environment)
            #expect(front.status == 2, "\(arguments): \(front.stderr)")
            #expect(front.status == full.status && front.stderr == full.stderr, "\(arguments): \(front.stderr) vs \(full.stderr)")
        }
    }
}

}
