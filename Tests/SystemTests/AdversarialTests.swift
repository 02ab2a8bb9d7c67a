import Foundation
import Testing

extension SystemSuite {

/// Issue 15: the running daemon attacked through its socket, its files and its clock, as a
/// hostile member of its group or a clumsy technician would. Each test states the attack and
/// asserts what the office must see: nothing lost, no number twice, a clear message.
@Suite(.serialized) struct AdversarialTests {
    /// Starts `intake serve` (optionally through a wrapper such as prlimit or faketime).
    func daemon(_ world: World, wrapper: [String] = [], environment: [String: String] = [:]) throws -> Child {
        let program = wrapper.first ?? Harness.intake
        let arguments = (wrapper.isEmpty ? [] : Array(wrapper.dropFirst()) + [Harness.intake]) + ["serve", "--config", world.configPath]
        let child = try Child(program, arguments, environment: world.environment.merging(environment) { $1 })
        guard eventually(timeout: 30, { FileManager.default.fileExists(atPath: world.socket) }) else {
            throw HarnessError("daemon did not start: \(child.stderr.snapshot())")
        }
        return child
    }

    /// One raw line to the control socket; the first reply line (python3: no Appliance types here).
    func raw(_ world: World, _ line: String) throws -> String {
        let script = """
        import socket, sys
        s = socket.socket(socket.AF_UNIX); s.settimeout(20); s.connect(sys.argv[1])
        s.sendall(sys.argv[2].encode() + b"\\n")
        print(s.makefile().readline().strip())
        """
        return try Harness.run("/usr/bin/env", ["python3", "-c", script, world.socket, line], timeout: 30).stdout
    }

    /// How many entries the register holds.
    func registered(_ world: World) throws -> Int {
        let output = try world.intakeWithConfig(["register", "list", "--json"])
        let list = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [Any]
        return list?.count ?? -1
    }

    @Test func secrecyWordsThatAreNotInTheVocabularyNeverRegisterInTheOrdinaryBook() throws {
        let world = try World()
        let receiver = try Receiver(world: world)
        try world.writeConfig(port: receiver.port, profile: "secrecy = \"mat\"")
        let serve = try daemon(world)
        for word in ["", "mật", "toi-mat", "mat ", "none\\u0000"] {
            let reply = try raw(world, #"{"command":"scan","profile":"default","overrides":{"secrecy":"\#(word)"}}"#)
            #expect(reply.contains("control.invalidRequest"), "\(word): \(reply)")
        }
        let urgency = try raw(world, #"{"command":"scan","profile":"urgent","overrides":{"urgency":"bogus"}}"#)
        #expect(urgency.contains("urgency"))
        #expect(try registered(world) == 0)
        #expect(try receiver.documents().isEmpty)
        serve.signal(SIGTERM)
        #expect(serve.wait(timeout: 30) == 0)
    }

    @Test func runningOutOfFileDescriptorsDoesNotKillTheSocket() throws {
        let world = try World()
        try world.writeConfig(port: nil)
        let serve = try daemon(world, wrapper: ["/usr/bin/prlimit", "--nofile=36"])
        // Far more clients than descriptors; they hold their connections for a while.
        let script = """
        import socket, sys, time
        held = []
        for i in range(300):
            try:
                s = socket.socket(socket.AF_UNIX); s.settimeout(0.2); s.connect(sys.argv[1]); held.append(s)
            except OSError:
                pass
        time.sleep(3)
        """
        _ = try Harness.run("/usr/bin/env", ["python3", "-c", script, world.socket], timeout: 60)
        #expect(eventually(timeout: 30) { serve.stderr.snapshot().contains("accept failed; retrying") }, "\(serve.stderr.snapshot())")
        // The clients are gone: the daemon answers again, and scans.
        #expect(eventually(timeout: 30) { (try? world.intakeWithConfig(["status"], timeout: 20).stdout.contains("ready")) == true })
        let scan = try world.intakeWithConfig(["scan", "--profile", "default"], timeout: 60)
        #expect(scan.status == 0, "\(scan.stderr)")
        serve.signal(SIGTERM)
        #expect(serve.wait(timeout: 30) == 0)
    }

    @Test func deletingTheRegisterUnderTheDaemonStopsNumberingAndNoNumberComesTwice() throws {
        let world = try World()
        let receiver = try Receiver(world: world)
        try world.writeConfig(port: receiver.port)
        var serve = try daemon(world)
        for _ in 0..<2 { #expect(try world.intakeWithConfig(["scan", "--profile", "default"]).status == 0) }
        let database = world.root + "/state/register.sqlite"
        for suffix in ["", "-wal", "-shm"] { unlink(database + suffix) }
        let refused = try world.intakeWithConfig(["scan", "--profile", "default"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("sổ đăng ký"), "\(refused.stderr)")
        // A restart does not help: the new, empty register refuses beside numbered documents.
        serve.signal(SIGKILL)
        _ = serve.wait(timeout: 10)
        try? FileManager.default.removeItem(atPath: world.socket)
        serve = try daemon(world)
        let again = try world.intakeWithConfig(["scan", "--profile", "default"])
        #expect(again.status != 0, "\(again.stdout)")
        let doctor = try world.intakeWithConfig(["doctor"])
        #expect(doctor.stdout.contains("FAIL  identity"), "\(doctor.stdout)")
        #expect(eventually { ((try? receiver.documents()) ?? []).count == 2 })
        let numbers = try receiver.documents().compactMap { ($0["metadata"] as? [String: Any])?["number"] as? Int }
        #expect(numbers.sorted() == [1, 2], "the centre never gets a second number 1")
        serve.signal(SIGTERM)
        _ = serve.wait(timeout: 30)
    }

    @Test func aClockADayAheadOfTheCentreRefusesToNumber() throws {
        let world = try World()
        let receiver = try Receiver(world: world)
        try world.writeConfig(port: receiver.port)
        // The daemon's clock five years ahead; its boot clock real (the centre's Date is carried on it).
        let serve = try daemon(world, wrapper: ["/usr/bin/faketime", "-f", "+1826d"], environment: ["FAKETIME_DONT_FAKE_MONOTONIC": "1"])
        // The faketime wrapper forks: killing it (the Child) would leave the daemon running after
        // the test (found orphaned), so the daemon itself is killed by its configuration path.
        defer { _ = try? Harness.run("/usr/bin/pkill", ["-KILL", "-f", "serve --config \(world.configPath)"]) }
        #expect(eventually { FileManager.default.fileExists(atPath: world.root + "/state/clock-reference.json") })
        let scan = try world.intakeWithConfig(["scan", "--profile", "default"])
        #expect(scan.status != 0)
        #expect(scan.stderr.contains("Đồng hồ sai"), "\(scan.stderr)")
        #expect(try registered(world) == 0)
        // libfaketime shifts the absolute deadlines of timed waits too, so this daemon is
        // ended with SIGKILL rather than made to wait out a shifted timeout on SIGTERM.
        serve.signal(SIGKILL)
        _ = serve.wait(timeout: 10)
    }

    @Test func aSocketPathOnTheRegisterIsRefusedAndTheRegisterSurvives() throws {
        let world = try World()
        try world.writeConfig(port: nil)
        #expect(try world.intakeWithConfig(["scan", "--profile", "default"]).status == 0)
        let database = world.root + "/state/register.sqlite"
        let text = try String(contentsOfFile: world.configPath, encoding: .utf8)
            .replacingOccurrences(of: "socket = \"\(world.socket)\"", with: "socket = \"\(database)\"")
        try text.write(toFile: world.configPath, atomically: true, encoding: .utf8)
        let validate = try world.intakeWithConfig(["config", "validate"])
        #expect(validate.status != 0)
        #expect(validate.stderr.contains("paths.socket"), "\(validate.stderr)")
        let serve = try Child(Harness.intake, ["serve", "--config", world.configPath], environment: world.environment)
        #expect(serve.wait(timeout: 30).map { $0 != 0 } == true)
        #expect(FileManager.default.fileExists(atPath: database))
    }
}
}
