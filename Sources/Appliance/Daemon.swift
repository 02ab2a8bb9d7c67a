import Foundation
import IntakeCore
public import Logging
import Delivery
import Registry
public import Scanning
import PagePipeline

/// `intake serve`: owns the scanner, takes scan requests from buttons, keys and the CLI,
/// numbers documents and keeps the outbox draining — each on its own thread or task, so a long
/// upload never delays the next scan.
public final class Daemon: @unchecked Sendable {
    /// Opens the configured scanner; production finds it through SANE, tests hand in a fake.
    public typealias ScannerLocator = @Sendable () throws -> any Scanning.Scanner

    /// The configuration in force; SIGHUP replaces it (LiveConfiguration.reload).
    let live: LiveConfiguration
    private var context: ApplianceContext { live.context }
    private var service: ScanService { live.service }
    private let logger: Logger
    private let locateScanner: ScannerLocator
    let notifier: SystemdNotifier
    private let screen: StatusScreen
    private var hooks: HookRunner { live.hooks }
    private let wakeup = Wakeup()
    private let started = Date()

    // MARK: - State shared between threads (guarded by `condition`)
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var stopping = false
    private var rescanRequested = true
    private var state = "starting"
    private var deviceName: String?
    private var deviceState = "not connected"
    private var lastError: String?
    private var offlineSince: Date?
    private var lastDocument: DocumentSummary?
    private var heartbeat = ContinuousClock.now
    private var scannerThreadDone = false
    private var screenState = ScreenState()
    private var targetProblem: String?
    private var control: ControlServer?
    private var worker: OutboxWorker?

    struct Job {
        var profile: String
        var overrides: ScanOverrides
        var origin: String
        var reply: @Sendable (ControlReply) -> Void
    }

    private let handleSignals: Bool
    private let (stopRequests, stopContinuation) = AsyncStream.makeStream(of: Int32.self)

    /// The version written in the metrics file's intake_build_info.
    public var version = "unknown"
    private var metrics: MetricsPublisher?

    /// `handleSignals: false` is for running a daemon inside another program (the tests), which
    /// then ends it with `stop()`.
    public init(context: ApplianceContext, logger: Logger, locateScanner: @escaping ScannerLocator,
                notifier: SystemdNotifier = SystemdNotifier(), handleSignals: Bool = true) {
        self.handleSignals = handleSignals
        self.logger = logger
        self.locateScanner = locateScanner
        self.notifier = notifier
        self.live = LiveConfiguration(context: context, logger: logger)
        self.screen = StatusScreen(path: context.configuration.feedback.console, bell: context.configuration.feedback.bell)
    }

    /// The production locator: by SANE name, else by vendor and model so a re-plugged scanner
    /// (which may get a new USB address in its name) is found again.
    public static func saneLocator(_ device: Configuration.Device) -> ScannerLocator {
        { () throws -> any Scanning.Scanner in
            let runtime = SaneRuntime.shared
            guard let info = try runtime.find(vendor: device.vendor, model: device.model, name: device.name) else {
                let wanted = device.name ?? [device.vendor, device.model].compactMap { $0 }.joined(separator: " ")
                throw PipelineError.noScanner("no SANE device matches '\(wanted.isEmpty ? "any" : wanted)'")
            }
            return try runtime.open(info.name)
        }
    }

    // MARK: - Run

    /// Runs until SIGTERM or SIGINT; returns after the page in hand is finished.
    public func run() async throws {
        let recovery = try context.register.recover()
        if recovery.isClean {
            logger.info("register checked: nothing was left half-done")
        } else {
            logger.warning("register recovered work left by an interruption", metadata: [
                "registered": "\(recovery.registered)", "finished": "\(recovery.finished)", "voided": "\(recovery.voided)",
                "gaps_filled": "\(recovery.gapsFilled)", "abandoned": "\(recovery.abandoned)",
                "temp_files_removed": "\(recovery.tempFilesRemoved.count)", "unknown_files": "\(recovery.unknownFiles)",
            ])
        }

        var targets: [any DeliveryTarget] = []
        do {
            targets = try context.makeTargets()
        } catch {
            targetProblem = "\(error)"
            logger.critical("delivery targets unusable; documents are numbered and kept until this is fixed", metadata: ["error": "\(error)"])
        }
        let listener = try UnixListener(path: context.configuration.paths.socket)
        let worker = OutboxWorker(register: context.register, organisationCode: context.configuration.organisationCode, targets: targets, policy: context.retryPolicy,
                                  clock: context.clock, logger: logger, gate: ReleaseGate(context.configuration),
                                  classifiedFiles: openClassifiedFiles()) { [weak self] event in self?.deliveryEvent(event) }
        condition.withLock { self.worker = worker }

        if let path = context.configuration.metrics.textfile {
            let publisher = MetricsPublisher(context: context, path: path, interval: context.configuration.metrics.interval, version: version,
                                             logger: logger) { [weak self] in self?.snapshot() }
            metrics = publisher
        }
        let scannerThread = Thread { [self] in scannerLoop() }
        scannerThread.name = "intake-scanner"
        scannerThread.start()

        let control = ControlServer(listener: listener, logger: logger) { [weak self] connection in self?.serve(connection) }
        self.control = control
        control.start()

        for trigger in context.configuration.triggers where trigger.kind == .key {
            startKeyReader(trigger)
        }

        let outbox = Task { await worker.run(wake: wakeup) }
        let leases = Task { [context, logger, wakeup] in
            do {
                // Leased numbering: blocks topped up, provisional numbers confirmed (LeaseKeeper).
                guard let keeper = try LeaseKeeper.forDaemon(context: context, logger: logger, onConfirmed: { wakeup.signal() }) else { return }
                await keeper.run(every: context.configuration.books.leaseCheck)
            } catch {
                logger.critical("numbering authority unusable; numbers come from the blocks held, then provisional", metadata: ["error": "\(error)"])
            }
        }
        if let metrics { Task { await metrics.run() } }
        // The centre's Date header, now and then: the clock check's reference when NTP is not
        // synchronised (a clock that jumps ahead by a day stops numbering, even offline later).
        let clockProbe = Task { [context] in
            while !Task.isCancelled {
                await context.trustedClock.probe(context.configuration.targets)
                try? await Task.sleep(for: .seconds(600))
            }
        }
        let watchdog = Task { await watchdogLoop() }
        let retention = Task { [live, logger] in await RetentionSweeper.runPeriodically(live, logger: logger) }

        if handleSignals {
            let signals = SignalWatcher.watch(SignalWatcher.daemonSignals)
            SaneRuntime.shared.afterEveryDriverCall { SignalWatcher.reinstall() }
            let forward = stopContinuation
            Task { for await number in signals { forward.yield(number) } }
        }

        setState("ready")
        notifier.ready(status: statusLine())
        logger.notice("intake serve ready", metadata: ["socket": "\(listener.path)", "pid": "\(getpid())"])

        for await number in stopRequests {
            if number == SIGHUP {
                reloadConfiguration()
                continue
            }
            if number == SIGUSR1 {
                logger.info("rescan requested (SIGUSR1)")
                requestRescan()
                continue
            }
            logger.notice("stopping on signal \(number == SIGTERM ? "SIGTERM" : "SIGINT"); finishing the page in hand")
            break
        }
        notifier.stopping(status: "stopping: finishing the page in hand")
        condition.withLock {
            stopping = true
            condition.broadcast()
        }
        // Wait for the scanner thread: it finishes the page in hand, then discards the partial document.
        let deadline = Date().addingTimeInterval(80)
        while Date() < deadline, !condition.withLock({ scannerThreadDone }) {
            try? await Task.sleep(for: .milliseconds(50))
        }
        outbox.cancel()
        leases.cancel()
        watchdog.cancel()
        clockProbe.cancel()
        retention.cancel()
        _ = await outbox.value
        listener.shutdown()
        setState("stopped")
        logger.notice("intake serve stopped")
    }

    /// Stops the daemon as SIGTERM would: the page in hand is finished, then `run()` returns.
    public func stop() {
        stopContinuation.yield(SIGTERM)
    }

    // MARK: - Requests

    /// Queues a scan; replies arrive on `reply` from the scanner thread.
    public func submit(profile: String, overrides: ScanOverrides, origin: String, reply: @escaping @Sendable (ControlReply) -> Void) {
        guard context.configuration.profiles[profile] != nil else {
            let error = PipelineError.unknownProfile(profile, known: Array(context.configuration.profiles.keys))
            reply(ControlReply(event: .error, error: ErrorPayload(error)))
            return
        }
        condition.withLock {
            if stopping {
                reply(ControlReply(event: .error, error: ErrorPayload(code: "stopping", message: "The service is stopping — try again in a minute.", detail: "")))
            } else if jobs.count >= 4 {
                reply(ControlReply(event: .error, error: ErrorPayload(PipelineError.busy)))
            } else {
                jobs.append(Job(profile: profile, overrides: overrides, origin: origin, reply: reply))
                reply(ControlReply(event: .accepted))
                condition.broadcast()
            }
        }
    }

    public func requestRescan() {
        condition.withLock {
            rescanRequested = true
            condition.broadcast()
        }
    }

    public func snapshot() -> StatusReport.Daemon {
        updateOffline()
        return condition.withLock {
            StatusReport.Daemon(pid: getpid(), state: state, since: started, device: deviceName, deviceState: deviceState,
                                lastError: lastError ?? targetProblem, offlineSince: offlineSince, lastDocument: lastDocument)
        }
    }

    private func serve(_ connection: UnixConnection) {
        do {
            let request: ControlRequest
            do {
                guard let received = try connection.receive(ControlRequest.self) else { return }
                request = received
            } catch let error as DecodingError {
                throw ControlError.invalidRequest(Self.explain(error))
            }
            switch request.command {
            case .status:
                let report = try StatusReport.collect(context, daemon: snapshot())
                try connection.send(ControlReply(event: .status, status: report))
            case .rescan:
                requestRescan()
                try connection.send(ControlReply(event: .ok))
            case .mark:
                guard let correction = request.correction else {
                    throw ControlError(code: .protocolViolation, message: "The request is incomplete.", detail: "mark without correction")
                }
                try connection.send(ControlReply(event: .registered, document: try correctSecrecy(correction, origin: "cli")))
            case .scan:
                try (request.overrides ?? ScanOverrides()).validate()
                let done = DispatchSemaphore(value: 0)
                submit(profile: request.profile ?? "default", overrides: request.overrides ?? ScanOverrides(), origin: "cli") { reply in
                    try? connection.send(reply)
                    if reply.event == .registered || reply.event == .error { done.signal() }
                }
                done.wait()
            }
        } catch {
            logger.warning("control request refused", metadata: ["code": "\(ErrorPayload(error).code)"])
            try? connection.send(ControlReply(event: .error, error: ErrorPayload(error)))
        }
    }

    /// A malformed request in one line, naming the field (the words a field allows included).
    static func explain(_ error: DecodingError) -> String {
        switch error {
        case let .dataCorrupted(context), let .typeMismatch(_, context), let .valueNotFound(_, context):
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return field.isEmpty ? "not a JSON request line" : "\(field): \(context.debugDescription)"
        case let .keyNotFound(key, _):
            return "\(key.stringValue) is missing"
        @unknown default:
            return "malformed request"
        }
    }

    // MARK: - Scanner thread

    private func scannerLoop() {
        var scanner: (any Scanning.Scanner)?
        var lastAttempt = ContinuousClock.now - .seconds(3600)
        var pressed = Set<String>()
        var debouncer = Debouncer()
        let device = context.configuration.device

        while true {
            let buttonTriggers = context.configuration.triggers.filter { $0.kind == .button }
            let (job, stop, rescan): (Job?, Bool, Bool) = condition.withLock {
                heartbeat = .now
                let job = jobs.isEmpty ? nil : jobs.removeFirst()
                let rescan = rescanRequested
                rescanRequested = false
                return (job, stopping, rescan)
            }
            if stop { break }

            if scanner == nil, rescan || ContinuousClock.now - lastAttempt >= device.rescanInterval {
                lastAttempt = .now
                do {
                    let opened = try locateScanner()
                    opened.configureButtons(device.buttonMap(forDevice: opened.info.name))
                    scanner = opened
                    pressed = (try? opened.pressedButtons()) ?? []
                    setDevice(name: opened.info.name, state: "connected", error: nil)
                    logger.notice("scanner connected", metadata: ["device": "\(opened.info.name)", "model": "\(opened.info.vendor) \(opened.info.model)"])
                } catch {
                    if condition.withLock({ deviceState }) != "not connected" || rescan {
                        logger.warning("scanner not found", metadata: ["error": "\(error)"])
                    }
                    setDevice(name: nil, state: "not connected", error: ErrorPayload(error).message)
                }
            }

            if let job {
                if let active = scanner {
                    let keep = runJob(job, on: active)
                    if !keep {
                        active.close()
                        scanner = nil
                        lastAttempt = .now
                        setDevice(name: nil, state: "not connected", error: "scanner disconnected")
                    }
                } else {
                    _ = runJob(job, on: nil)   // numbers it if no page is to be kept, else "no scanner"
                }
                continue
            }

            if let active = scanner, device.pollButtons, !buttonTriggers.isEmpty {
                do {
                    let now = try active.pressedButtons()
                    for button in now.subtracting(pressed) {
                        guard let trigger = buttonTriggers.first(where: { $0.button == button }) else { continue }
                        guard debouncer.accept("button:\(button)") else { continue }
                        logger.info("scanner button pressed", metadata: ["button": "\(button)", "profile": "\(trigger.profile)"])
                        enqueueTrigger(trigger, origin: "button \(button)")
                    }
                    pressed = now
                } catch let error as ScanError where error.code == .deviceGone || error.code == .ioError {
                    logger.warning("scanner gone while idle", metadata: ["error": "\(error.detail)"])
                    active.close()
                    scanner = nil
                    lastAttempt = .now
                    setDevice(name: nil, state: "not connected", error: error.message)
                } catch {
                    logger.debug("button poll failed", metadata: ["error": "\(error)"])
                }
            }

            let wait = scanner == nil ? device.rescanInterval : (device.pollButtons && !buttonTriggers.isEmpty ? device.buttonPollInterval : .seconds(5))
            condition.withLock {
                if jobs.isEmpty && !stopping && !rescanRequested {
                    _ = condition.wait(until: Date().addingTimeInterval(wait.seconds))
                }
            }
        }
        // Jobs that never started get a clear answer.
        let abandoned = condition.withLock { defer { jobs.removeAll() }; return jobs }
        for job in abandoned {
            job.reply(ControlReply(event: .error, error: ErrorPayload(code: "stopping", message: "The service stopped before this scan started — press scan again.", detail: "")))
        }
        scanner?.close()
        condition.withLock { scannerThreadDone = true }
    }

    /// Runs one scan; returns false when the scanner must be reopened (unplugged).
    private func runJob(_ job: Job, on scanner: (any Scanning.Scanner)?) -> Bool {
        setState("scanning (\(job.profile))")
        defer { setState("ready") }
        notifier.status("scanning with profile \(job.profile)")
        do {
            // The secrecy rules may keep no page of it: then it is numbered without the scanner.
            let document = try service.registerIfNoPagesKept(profileName: job.profile, overrides: job.overrides) ?? service.scanAndRegister(
                scanner: try scanner ?? { throw PipelineError.noScanner(condition.withLock { lastError } ?? "not found") }(),
                profileName: job.profile, overrides: job.overrides,
                shouldStop: { [self] in condition.withLock { heartbeat = .now; return stopping } },
                progress: { [self] event in
                    if case let .page(number, _, _, blank) = event {
                        setState("scanning (\(job.profile)) page \(number)")
                        job.reply(ControlReply(event: .page, page: number, blank: blank))
                    }
                }
            )
            let summary = DocumentSummary(document)
            condition.withLock {
                lastDocument = summary
                lastError = nil
                screenState.lastNumber = document.numberText
                screenState.lastDetail = ClerkMessage.afterRegistration(document)
                screenState.problem = nil
            }
            job.reply(ControlReply(event: .registered, document: summary))
            screen.ring(.success)
            refreshScreen()
            hooks.fire(.registered, values: Self.hookValues(summary))
            wakeup.signal()
            metrics?.changed()
            return true
        } catch {
            job.reply(ControlReply(event: .error, error: ErrorPayload(error)))
            failed(error, origin: job.origin)
            if let scanError = error as? ScanError, scanError.code == .deviceGone || scanError.code == .noDevice {
                return false
            }
            return true
        }
    }

    private func failed(_ error: any Error, origin: String) {
        let payload = ErrorPayload(error)
        logger.error("scan failed: \(payload.message)", metadata: ["code": "\(payload.code)", "detail": "\(payload.detail)", "origin": "\(origin)"])
        condition.withLock {
            lastError = payload.message
            screenState.problem = ClerkCatalogue.message(for: error)
        }
        screen.ring(.failure)
        refreshScreen()
        hooks.fire(.failed, values: ["code": payload.code, "message": ClerkCatalogue.message(for: error).text, "detail": payload.message, "origin": origin])
    }

    private func enqueueTrigger(_ trigger: Configuration.Trigger, origin: String) {
        if trigger.action == .markMat {
            let request = SecrecyCorrectionRequest(number: nil, secrecy: "mat", reason: "Văn thư bấm phím đánh dấu MẬT (\(origin))")
            _ = try? correctSecrecy(request, origin: origin)
            return
        }
        let logger = self.logger
        submit(profile: trigger.profile, overrides: ScanOverrides(urgency: trigger.urgency), origin: origin) { reply in
            if reply.event == .registered, let document = reply.document {
                logger.info("trigger scan registered", metadata: ["origin": "\(origin)", "number": "\(document.number)"])
            }
        }
    }

    private func startKeyReader(_ trigger: Configuration.Trigger) {
        guard let path = trigger.inputDevice, let code = trigger.keyCode else { return }
        let thread = Thread { [self] in
            var debouncer = Debouncer()
            while !condition.withLock({ stopping }) {
                let reader = EvdevKeyReader(path: path)
                let error = reader.run(shouldStop: { [self] in condition.withLock { stopping } }) { key in
                    guard key == code, debouncer.accept("key:\(key)") else { return }
                    logger.info("key pressed", metadata: ["device": "\(path)", "key": "\(key)", "action": "\(trigger.action.rawValue)", "profile": "\(trigger.profile)"])
                    enqueueTrigger(trigger, origin: "key \(key)")
                }
                if let error {
                    logger.warning("input device unavailable; retrying", metadata: ["error": "\(error)"])
                    Thread.sleep(forTimeInterval: 5)
                }
            }
        }
        thread.name = "intake-evdev"
        thread.start()
    }

    // MARK: - Secrecy

    /// The at-rest key's files on a box on the classified network; nil (logged) elsewhere or
    /// when the key is missing, so sealed documents wait for a technician instead of leaving.
    private func openClassifiedFiles() -> ClassifiedFiles? {
        ClassifiedFiles.removeLeftovers(stagingDirectory: context.configuration.paths.stagingDirectory)
        guard context.configuration.network == .classified else { return nil }
        do {
            let files = try ClassifiedFiles(configuration: context.configuration)
            logger.info("at-rest key loaded for classified documents", metadata: ["source": "\(files.keySource)"])
            return files
        } catch {
            logger.critical("no usable at-rest key: classified documents are neither scanned nor sent", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Corrects a document's secrecy (the last one registered when the request names none),
    /// tells the clerk on the screen and returns the new classified entry.
    @discardableResult
    private func correctSecrecy(_ request: SecrecyCorrectionRequest, origin: String) throws -> DocumentSummary {
        let last = condition.withLock { lastDocument?.id }
        do {
            let outcome = try SecrecyCorrection(context: context).correct(request, lastDocumentID: last)
            var summary = DocumentSummary(outcome.document)
            summary.notice = outcome.message
            logger.notice("secrecy corrected", metadata: [
                "origin": "\(origin)", "voided": "\(outcome.voidedNumber)", "number": "\(outcome.document.number)",
                "book": "\(outcome.document.book)", "secrecy": "\(outcome.document.secrecy.rawValue)", "id": "\(outcome.document.id)",
            ])
            condition.withLock {
                lastDocument = summary
                screenState.lastNumber = "\(outcome.document.number)"
                screenState.lastDetail = outcome.notice
                screenState.problem = nil
            }
            screen.ring(.success)
            refreshScreen()
            return summary
        } catch {
            let payload = ErrorPayload(error)
            logger.error("secrecy correction refused: \(payload.message)", metadata: ["detail": "\(payload.detail)", "origin": "\(origin)"])
            condition.withLock { screenState.problem = ClerkCatalogue.message(for: error) }
            screen.ring(.failure)
            refreshScreen()
            throw error
        }
    }

    // MARK: - Feedback

    private func deliveryEvent(_ event: DeliveryEvent) {
        let summary = DocumentSummary(event.document)
        if event.kind == .delivered { metrics?.delivered(target: event.target, path: event.document.path) } else { metrics?.changed() }
        updateOffline()
        switch event.kind {
        case .delivered:
            hooks.fire(.delivered, values: Self.hookValues(summary).merging(["target": event.target]) { $1 })
        case .retrying:
            break
        case .needsAttention, .corrupt:
            screen.ring(.attention)
            hooks.fire(.needsAttention, values: Self.hookValues(summary).merging(
                ["target": event.target, "message": ClerkMessage.deliveryNeedsAttention.text, "detail": event.message]) { $1 })
        case .held, .deferred:
            break
        }
        refreshScreen()
        notifier.status(statusLine())
    }

    /// Offline while any target's link is down with documents waiting for it (the worker
    /// knows; any answer from the centre, or an empty backlog, ends it).
    private func updateOffline() {
        let down = !(condition.withLock { worker }?.offlineTargets().isEmpty ?? true)
        condition.withLock { offlineSince = down ? (offlineSince ?? Date()) : nil }
    }

    private func refreshScreen() {
        updateOffline()
        let pending: Int = ((try? context.register.queueCounts()) ?? [:])[.pending] ?? 0
        let leases = ScreenLeases.current(context)
        let state = condition.withLock {
            screenState.queueLength = pending
            screenState.leases = leases
            screenState.offlineSince = offlineSince
            screenState.scannerConnected = deviceState == "connected"
            return screenState
        }
        screen.show(state)
    }

    private func setState(_ new: String) {
        condition.withLock { state = new }
    }

    private func setDevice(name: String?, state: String, error: String?) {
        let changed = condition.withLock {
            let changed = deviceState != state
            deviceName = name ?? deviceName
            deviceState = state
            if let error { lastError = error }
            return changed
        }
        if changed {
            refreshScreen()
            notifier.status(statusLine())
        }
    }

    private func statusLine() -> String {
        condition.withLock {
            var parts = [state, "scanner \(deviceState)"]
            if let lastDocument { parts.append("last \(lastDocument.book) \(lastDocument.number)/\(lastDocument.year)") }
            if let offlineSince { parts.append("offline since \(offlineSince.formatted(date: .omitted, time: .shortened))") }
            return parts.joined(separator: ", ")
        }
    }

    private func watchdogLoop() async {
        guard let interval = notifier.watchdogInterval else { return }
        while !Task.isCancelled {
            // A scanner thread stuck in a driver call for minutes, or a dead control socket, stops
            // the pings: systemd restarts us.
            let scannerAlive = condition.withLock { ContinuousClock.now - heartbeat < .seconds(180) }
            let socketAlive = control.map { ContinuousClock.now - $0.lastBeat < .seconds(20) } ?? true
            if scannerAlive && socketAlive {
                notifier.watchdog()
            } else {
                logger.critical("\(scannerAlive ? "control socket loop" : "scanner thread") unresponsive; letting the watchdog restart the service")
            }
            try? await Task.sleep(for: interval / 2)
        }
    }

    // MARK: - Helpers

    static func hookValues(_ document: DocumentSummary) -> [String: String] {
        ["number": "\(document.number)", "book": document.book, "year": "\(document.year)", "id": document.id,
         "pages": "\(document.pages)", "urgency": document.urgency, "path": document.path,
         "urgency_text": Urgency(rawValue: document.urgency)?.decreeName ?? ""]
    }

}
