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
///
/// The parts, one file each: the scanner thread (Daemon+Scanner), the control socket's requests
/// (Daemon+Control), what the clerk sees and hears (Daemon+Feedback), and the services started
/// beside them — outbox, leases, metrics, clock probe, retention, watchdog (Daemon+Services).
/// What they share is one `DaemonState` value behind one lock.
public final class Daemon: @unchecked Sendable {
    /// Opens the configured scanner; production finds it through SANE, tests hand in a fake.
    public typealias ScannerLocator = @Sendable () throws -> any Scanning.Scanner

    /// The configuration in force; SIGHUP replaces it (LiveConfiguration.reload).
    let live: LiveConfiguration
    var context: ApplianceContext { live.context }
    var service: ScanService { live.service }
    var hooks: HookRunner { live.hooks }
    let logger: Logger
    let locateScanner: ScannerLocator
    let notifier: SystemdNotifier
    let screen: StatusScreen
    /// Wakes the outbox worker when a document is registered or a number confirmed.
    let wakeup = Wakeup()
    let started = Date()
    /// Shared by every thread and task of the daemon.
    let state = LockedState(DaemonState())

    private let handleSignals: Bool
    private let (stopRequests, stopContinuation) = AsyncStream.makeStream(of: Int32.self)

    /// The version written in the metrics file's intake_build_info (set before `run()`).
    public var version = "unknown"

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

    /// Runs until SIGTERM or SIGINT (or `stop()`); returns after the page in hand is finished
    /// and every service task has ended.
    public func run() async throws {
        try recoverRegister()
        let listener = try UnixListener(path: context.configuration.paths.socket)
        let worker = makeOutboxWorker()
        let metrics = makeMetricsPublisher()
        state.withLock {
            $0.worker = worker
            $0.metrics = metrics
        }
        let scannerDone = startScannerThread()
        let control = ControlServer(listener: listener, logger: logger) { [weak self] connection, request in
            await self?.serve(connection, request)
        }
        state.withLock { $0.control = control }
        control.start()
        for trigger in context.configuration.triggers where trigger.kind == .key {
            startKeyReader(trigger)
        }

        await withDiscardingTaskGroup { group in
            startServices(in: &group, worker: worker, metrics: metrics)
            setActivity(.ready)
            notifier.ready(status: statusLine())
            logger.notice("intake serve ready", metadata: ["socket": "\(listener.path)", "pid": "\(getpid())"])

            await waitForStopSignal()
            notifier.stopping(status: "stopping: finishing the page in hand")
            state.update { $0.stopping = true }
            // The scanner thread finishes the page in hand, then discards the partial document.
            await Self.finished(scannerDone, within: DaemonLimits.stopGrace)
            group.cancelAll()
        }
        listener.shutdown()
        setActivity(.stopped)
        logger.notice("intake serve stopped")
    }

    /// Stops the daemon as SIGTERM would: the page in hand is finished, then `run()` returns.
    public func stop() {
        stopContinuation.yield(SIGTERM)
    }

    /// Takes SIGHUP (reload) and SIGUSR1 (rescan) as they come; returns on SIGTERM or SIGINT.
    private func waitForStopSignal() async {
        for await number in stopRequests {
            switch number {
            case SIGHUP:
                reloadConfiguration()
            case SIGUSR1:
                logger.info("rescan requested (SIGUSR1)")
                requestRescan()
            default:
                logger.notice("stopping on signal \(number == SIGTERM ? "SIGTERM" : "SIGINT"); finishing the page in hand")
                return
            }
        }
    }

    /// The process's signals, forwarded to `waitForStopSignal` (skipped inside the tests).
    func forwardSignals(in group: inout DiscardingTaskGroup) {
        guard handleSignals else { return }
        let signals = SignalWatcher.watch(SignalWatcher.daemonSignals)
        SaneRuntime.shared.afterEveryDriverCall { SignalWatcher.reinstall() }
        let forward = stopContinuation
        group.addTask { for await number in signals { forward.yield(number) } }
    }

    /// Returns when `stream` ends or after `limit`, whichever comes first.
    private static func finished(_ stream: AsyncStream<Void>, within limit: Duration) async {
        await withTaskGroup(of: Void.self) { race in
            race.addTask { for await _ in stream {} }
            race.addTask { try? await Task.sleep(for: limit) }
            await race.next()
            race.cancelAll()
        }
    }

    // MARK: - Requests

    /// Queues a scan; replies arrive on `reply` from the scanner thread.
    public func submit(profile: String, overrides: ScanOverrides, origin: String, reply: @escaping @Sendable (ControlReply) -> Void) {
        guard context.configuration.profiles[profile] != nil else {
            let error = PipelineError.unknownProfile(profile, known: Array(context.configuration.profiles.keys))
            reply(ControlReply(event: .error, error: ErrorPayload(error)))
            return
        }
        state.update { state in
            if state.stopping {
                reply(ControlReply(event: .error, error: ErrorPayload(code: "stopping", message: "The service is stopping — try again in a minute.", detail: "")))
            } else if state.jobs.count >= DaemonLimits.queuedScans {
                reply(ControlReply(event: .error, error: ErrorPayload(PipelineError.busy)))
            } else {
                state.jobs.append(ScanJob(profile: profile, overrides: overrides, origin: origin, reply: reply))
                reply(ControlReply(event: .accepted))
            }
        }
    }

    public func requestRescan() {
        state.update { $0.rescanRequested = true }
    }

    public func snapshot() -> StatusReport.Daemon {
        updateOffline()
        return state.withLock { state in
            StatusReport.Daemon(pid: getpid(), state: state.activity.description, since: started, device: state.deviceName,
                                deviceState: state.device, lastError: state.lastError ?? state.targetProblem,
                                offlineSince: state.offlineSince, lastDocument: state.lastDocument)
        }
    }
}
