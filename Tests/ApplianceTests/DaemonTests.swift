import Foundation
import Registry
import Scanning
import Testing
@testable import Appliance

/// The daemon in-process with a fake scanner: triggers, socket, hot-plug, feedback, hooks.
@Suite(.serialized) struct DaemonTests {
    struct Running {
        let daemon: Daemon
        let task: Task<Void, any Error>
        let context: ApplianceContext
        let dir: TemporaryDirectory

        func stop() async throws {
            daemon.stop()
            try await task.value
        }
    }

    func start(_ dir: TemporaryDirectory, usb: FakeUSB, configure: (inout Configuration) -> Void = { _ in }) async throws -> Running {
        var configuration = Configuration()
        configuration.organisationCode = "000.00.00.H49"
        configuration.paths.stateDirectory = dir.path + "/state"
        configuration.paths.socket = dir.path + "/intake.sock"
        configuration.disk.minimumFreeMB = 1
        configuration.device.rescanInterval = .milliseconds(100)
        configuration.device.buttonPollInterval = .milliseconds(20)
        configuration.profiles["default"]?.resolution = 200  // the fake scanner ignores it; registered scans need ≥ 200 dpi
        configuration.release = .immediate
        configure(&configuration)
        let context = try ApplianceContext(configuration: configuration, clock: SystemWallClock(), buildYear: 2026)
        let daemon = Daemon(context: context, logger: testLogger, locateScanner: { try usb.locate() }, handleSignals: false)
        let task = Task { try await daemon.run() }
        let up = await waitUntil { FileManager.default.fileExists(atPath: configuration.paths.socket) }
        #expect(up, "daemon socket did not appear")
        return Running(daemon: daemon, task: task, context: context, dir: dir)
    }

    /// Polls without holding a thread of the cooperative pool (the daemon under test needs it).
    func waitUntil(timeout: TimeInterval = 20, _ condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    /// Asks for a scan over the socket the way `intake scan` does; returns every reply. The
    /// blocking socket calls run on a thread of their own, off the cooperative pool.
    func scanOverSocket(_ socket: String, profile: String = "default") async throws -> [ControlReply] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.blockingScan(socket, profile: profile) })
            }
        }
    }

    static func blockingScan(_ socket: String, profile: String) throws -> [ControlReply] {
        let connection = try UnixConnection.connect(path: socket)
        try connection.send(ControlRequest(command: .scan, profile: profile))
        var replies: [ControlReply] = []
        while let reply = try connection.receive(ControlReply.self) {
            replies.append(reply)
            if reply.event == .registered || reply.event == .error { break }
        }
        return replies
    }

    @Test func scanRequestOverTheSocketGetsPageEventsThenTheNumber() async throws {
        let dir = TemporaryDirectory()
        let running = try await start(dir, usb: FakeUSB())
        let replies = try await scanOverSocket(running.context.configuration.paths.socket)
        #expect(replies.first?.event == .accepted)
        #expect(replies.filter { $0.event == .page }.map(\.page) == [1, 2, 3])
        let document = try #require(replies.last?.document)
        #expect(document.number == 1)
        #expect(document.pages == 3)
        let second = try await scanOverSocket(running.context.configuration.paths.socket)
        #expect(second.last?.document?.number == 2)
        try await running.stop()
    }

    /// Sends one raw line over the socket and returns every reply until the first error,
    /// registered or status reply (or the end of the stream).
    static func rawExchange(_ socket: String, _ line: String) throws -> [ControlReply] {
        let connection = try UnixConnection.connect(path: socket)
        connection.setTimeout(.seconds(10))
        try connection.sendRaw(Array((line + "\n").utf8))
        var replies: [ControlReply] = []
        while let reply = try connection.receive(ControlReply.self) {
            replies.append(reply)
            if [.registered, .error, .status].contains(reply.event) { break }
        }
        return replies
    }

    func rawOverSocket(_ socket: String, _ line: String) async throws -> [ControlReply] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try Self.rawExchange(socket, line) }) }
        }
    }

    /// Issue 15 item 1: a secrecy or urgency word the vocabulary does not have is refused as a
    /// whole; it is never read as "not secret" or "normal". Nothing is scanned or numbered.
    @Test(arguments: [
        #"{"command":"scan","profile":"secret","overrides":{"secrecy":""}}"#,
        #"{"command":"scan","profile":"secret","overrides":{"secrecy":"mật"}}"#,
        #"{"command":"scan","profile":"secret","overrides":{"secrecy":"toi-mat"}}"#,
        #"{"command":"scan","profile":"secret","overrides":{"secrecy":"mat "}}"#,
        #"{"command":"scan","profile":"secret","overrides":{"secrecy":"MAT"}}"#,
        #"{"command":"scan","profile":"secret","overrides":{"urgency":"bogus"}}"#,
        #"{"command":"scan","profile":"secret","overrides":{"summary":"a\u0000b"}}"#,
        #"{"command":"scan","profile":"secret","overrides":{"sender":"\u001b[2J\u001b]0;owned\u0007"}}"#,
        #"{"command":"scan","profile":"secret","overrides":{"secrecy":1}}"#,
        #"{"command":"bogus"}"#,
        #"not json at all"#,
    ])
    func unknownWordsAndControlCharactersOverTheSocketAreRefused(_ line: String) async throws {
        let dir = TemporaryDirectory()
        let usb = FakeUSB()
        let running = try await start(dir, usb: usb) { config in
            config.profiles["secret"] = { var p = Configuration.Profile(); p.resolution = 200; p.secrecy = .mat; p.urgency = .hoaToc; return p }()
        }
        let replies = try await rawOverSocket(running.context.configuration.paths.socket, line)
        #expect(replies.map(\.event) == [.error])
        #expect(replies.first?.error?.code == "control.invalidRequest")
        #expect(try running.context.register.list().isEmpty)
        try await running.stop()
    }

    @Test func aRequestMayRaiseTheProfilesSecrecyButNeverLowerIt() async throws {
        let dir = TemporaryDirectory()
        let running = try await start(dir, usb: FakeUSB()) { config in
            config.profiles["secret"] = { var p = Configuration.Profile(); p.resolution = 200; p.secrecy = .mat; return p }()
        }
        let socket = running.context.configuration.paths.socket
        let lowered = try await rawOverSocket(socket, #"{"command":"scan","profile":"secret","overrides":{"secrecy":"none"}}"#)
        #expect(lowered.last?.document?.book == "MAT")
        #expect(lowered.last?.document?.secrecy == "mat")
        let raised = try await rawOverSocket(socket, #"{"command":"scan","profile":"default","overrides":{"secrecy":"toi_mat","urgency":"hoa_toc"}}"#)
        #expect(raised.last?.document?.book == "MAT")
        #expect(raised.last?.document?.secrecy == "toiMat")
        #expect(raised.last?.document?.urgency == "hoaToc")
        try await running.stop()
    }

    /// Issue 15 item 4: clients that connect and say nothing hold no thread for long, and the
    /// socket keeps answering.
    @Test func silentClientsDoNotWedgeTheSocket() async throws {
        let dir = TemporaryDirectory()
        let running = try await start(dir, usb: FakeUSB())
        let socket = running.context.configuration.paths.socket
        var idle: [UnixConnection] = []
        for _ in 0..<(ControlServer.connectionLimit + 20) { idle.append(try UnixConnection.connect(path: socket)) }
        // Every slot is taken by a silent client; they are dropped after the request timeout.
        let answered = await waitUntil(timeout: 30) {
            (try? Self.rawExchange(socket, #"{"command":"status"}"#).first?.event) == .status
        }
        #expect(answered)
        idle.removeAll()
        try await running.stop()
    }

    @Test func statusOverTheSocketReportsDaemonScannerAndQueue() async throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path + "/usb", withIntermediateDirectories: true)
        let running = try await start(dir, usb: FakeUSB()) { $0.targets = [.init(name: "usb", kind: .directory, path: dir.path + "/usb")] }
        _ = try await scanOverSocket(running.context.configuration.paths.socket)
        #expect(await waitUntil { (try? running.context.register.queueCounts()[.delivered]) == 1 })
        let connection = try UnixConnection.connect(path: running.context.configuration.paths.socket)
        try connection.send(ControlRequest(command: .status))
        let report = try #require(try connection.receive(ControlReply.self)?.status)
        #expect(report.daemon?.deviceState == .connected)
        #expect(report.daemon?.device == "fake:0")
        #expect(report.lastNumbers.first?.number == 1)
        #expect(report.queue["delivered"] == 1)
        #expect(report.clock.ok)
        // What `intake status --json` prints decodes back to the same report.
        let data = try JSONEncoder.control.encode(report)
        #expect(try JSONDecoder.control.decode(StatusReport.self, from: data) == report)
        try await running.stop()
    }

    @Test func keyPressOnAnEvdevStreamStartsTheBoundProfile() async throws {
        let dir = TemporaryDirectory()
        let fifo = dir.path + "/event-kbd"
        #expect(mkfifo(fifo, 0o600) == 0)
        let usb = FakeUSB()
        let running = try await start(dir, usb: usb) { config in
            config.profiles["urgent"] = { var p = Configuration.Profile(); p.resolution = 200; p.urgency = .hoaToc; return p }()
            config.triggers = [.init(kind: .key, inputDevice: fifo, keyCode: 59, profile: "urgent")]
        }
        let writer = try #require(FileHandle(forWritingAtPath: fifo))
        // Another key first (ignored), then F1 pressed and released, then F1 again at once (debounced).
        writer.write(Data(EvdevKeyReader.record(key: 60, value: 1) + EvdevKeyReader.record(key: 60, value: 0)))
        writer.write(Data(EvdevKeyReader.record(key: 59, value: 1) + EvdevKeyReader.record(key: 59, value: 0)
                          + EvdevKeyReader.record(key: 59, value: 2) + EvdevKeyReader.record(key: 59, value: 1)))
        #expect(await waitUntil { ((try? running.context.register.list()) ?? []).count == 1 })
        try await Task.sleep(for: .milliseconds(500))
        let documents = try running.context.register.list()
        #expect(documents.count == 1, "one press, one document")
        #expect(documents.first?.urgency == .hoaToc)
        #expect(documents.first?.profile == "urgent")
        try writer.close()
        try await running.stop()
    }

    @Test func scannerButtonStartsAScanOncePerPress() async throws {
        let dir = TemporaryDirectory()
        let usb = FakeUSB()
        let running = try await start(dir, usb: usb) { config in
            config.triggers = [.init(kind: .button, button: "scan", profile: "default")]
        }
        #expect(await waitUntil { running.daemon.snapshot().deviceState == .connected })
        usb.scanner.press("scan")
        #expect(await waitUntil { ((try? running.context.register.list()) ?? []).count == 1 })
        try await Task.sleep(for: .milliseconds(300))  // still held down: no second scan
        usb.scanner.release("scan")
        #expect(try running.context.register.list().count == 1)
        try await running.stop()
    }

    @Test func unpluggedScannerIsReportedAndFoundAgainWithoutRestart() async throws {
        let dir = TemporaryDirectory()
        let usb = FakeUSB(plugged: false)
        let running = try await start(dir, usb: usb)
        #expect(running.daemon.snapshot().deviceState == .notConnected)
        let refused = try await scanOverSocket(running.context.configuration.paths.socket)
        #expect(refused.last?.event == .error)
        #expect(refused.last?.error?.code == "noScanner")
        usb.set(plugged: true)
        #expect(await waitUntil { running.daemon.snapshot().deviceState == .connected })
        // Unplugged mid-scan: a clear error, nothing registered, and the daemon looks for it again.
        usb.scanner.failAtPage = (2, ScanError(code: .deviceGone, message: "The scanner was disconnected — plug it back in.", detail: "fake"))
        let gone = try await scanOverSocket(running.context.configuration.paths.socket)
        #expect(gone.last?.error?.code == "scanner.deviceGone")
        #expect(try running.context.register.list().isEmpty)
        #expect(await waitUntil { usb.opens >= 2 }, "reopened after it went away")
        usb.scanner.failAtPage = nil
        #expect(try await scanOverSocket(running.context.configuration.paths.socket).last?.document?.number == 1)
        try await running.stop()
    }

    @Test func jamRegistersNothingLeavesNoFileAndTellsTheClerkOnTheScreen() async throws {
        let dir = TemporaryDirectory()
        let usb = FakeUSB()
        let screen = dir.path + "/tty"
        #expect(FileManager.default.createFile(atPath: screen, contents: nil))
        let spoken = dir.path + "/spoken"
        let running = try await start(dir, usb: usb) { config in
            config.feedback.console = screen
            // A speech hook gets the clerk's sentence, not the technician's.
            config.hooks = [.init(event: .failed, argv: ["/bin/sh", "-c", "printf '%s' \"$1\" > \(spoken)", "hook", "{message}"])]
        }
        usb.scanner.failAtPage = (2, ScanError(code: .jammed, message: "Paper jam — open the scanner cover and remove the paper.", detail: "fake"))
        let replies = try await scanOverSocket(running.context.configuration.paths.socket)
        #expect(replies.last?.error?.code == "scanner.jammed")
        #expect(replies.last?.error?.message.contains("Paper jam") == true, "the technician's CLI keeps the English message")
        #expect(try running.context.register.list().isEmpty)
        let staging = try FileManager.default.contentsOfDirectory(atPath: running.context.configuration.paths.stagingDirectory)
        #expect(staging.isEmpty, "\(staging)")
        #expect(await waitUntil { ((try? String(contentsOfFile: screen, encoding: .utf8)) ?? "").contains("Kẹt giấy — mở nắp máy quét") })
        #expect(!((try? String(contentsOfFile: screen, encoding: .utf8)) ?? "").contains("Paper jam"), "the clerk's screen is Vietnamese only")
        #expect(await waitUntil { ((try? String(contentsOfFile: spoken, encoding: .utf8)) ?? "").hasPrefix("Kẹt giấy") })
        // The next document gets number 1: a jam never consumes a number.
        usb.scanner.failAtPage = nil
        #expect(try await scanOverSocket(running.context.configuration.paths.socket).last?.document?.number == 1)
        func screenText() -> String { (try? String(contentsOfFile: screen, encoding: .utf8)) ?? "" }
        #expect(await waitUntil { screenText().contains("Số đến vừa cấp") })
        #expect(screenText().contains("█"), "the number in big digits")
        #expect(await waitUntil { ((try? String(contentsOfFile: screen, encoding: .utf8)) ?? "").contains("\u{07}") }, "a bell")
        try await running.stop()
    }

    @Test func hooksRunAsArgvWithIntakeVariablesNeverThroughAShellString() async throws {
        let dir = TemporaryDirectory()
        let out = dir.path + "/hook-out"
        let running = try await start(dir, usb: FakeUSB()) { config in
            config.hooks = [
                .init(event: .registered, argv: ["/usr/bin/touch", dir.path + "/number-{number}-book-{book}"]),
                // The environment reaches the program; the argument `$(reboot)` stays a literal.
                .init(event: .registered, argv: ["/usr/bin/env"]),
                .init(event: .registered, argv: ["/bin/sh", "-c", "printf '%s|%s|%s' \"$INTAKE_NUMBER\" \"$INTAKE_BOOK\" \"$1\" > \(out)", "hook", "$(reboot)"]),
            ]
        }
        _ = try await scanOverSocket(running.context.configuration.paths.socket)
        #expect(await waitUntil { FileManager.default.fileExists(atPath: dir.path + "/number-1-book-DEN") })
        #expect(await waitUntil { ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "") == "1|DEN|$(reboot)" })
        try await running.stop()
    }

    @Test func stopFinishesThePageInHandAndRegistersNothingHalf() async throws {
        let dir = TemporaryDirectory()
        let usb = FakeUSB()
        usb.scanner.pagesPerBatch = 100
        usb.scanner.pageDelay = 0.1
        let running = try await start(dir, usb: usb)
        let socket = running.context.configuration.paths.socket
        let replies = Task.detached { try await scanOverSocket(socket) }
        #expect(await waitUntil { running.daemon.snapshot().state.contains("page 2") })
        try await running.stop()
        let answer = try await replies.value
        #expect(answer.last?.error?.code == "stopped", "\(answer)")
        #expect(answer.filter { $0.event == .page }.count < 100)
        #expect(try running.context.register.list().isEmpty)
    }
}
