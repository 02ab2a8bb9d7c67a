import Foundation
import IntakeCore
import Logging
import Delivery
import Registry

/// What `run()` starts beside the scanner thread and the control socket: recovery first, then
/// the outbox worker, the lease keeper, the metrics file, the clock probe, the retention sweep
/// and the watchdog — child tasks of one group, all cancelled when the daemon stops.
extension Daemon {
    /// Finishes or voids whatever an interruption left half-done, before anything is numbered.
    func recoverRegister() throws {
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
    }

    /// The outbox worker over the configured targets; unusable targets are reported, and the
    /// documents are numbered and kept until a technician fixes them.
    func makeOutboxWorker() -> OutboxWorker {
        var targets: [any DeliveryTarget] = []
        do {
            targets = try context.makeTargets()
        } catch {
            state.withLock { $0.targetProblem = "\(error)" }
            logger.critical("delivery targets unusable; documents are numbered and kept until this is fixed", metadata: ["error": "\(error)"])
        }
        return OutboxWorker(register: context.register, organisationCode: context.configuration.organisationCode, targets: targets,
                            policy: context.retryPolicy, clock: context.clock, logger: logger, gate: ReleaseGate(context.configuration),
                            classifiedFiles: openClassifiedFiles()) { [weak self] event in self?.deliveryEvent(event) }
    }

    func makeMetricsPublisher() -> MetricsPublisher? {
        guard let path = context.configuration.metrics.textfile else { return nil }
        return MetricsPublisher(context: context, path: path, interval: context.configuration.metrics.interval, version: version,
                                logger: logger) { [weak self] in self?.snapshot() }
    }

    /// Starts every service as a child task of `group`; each ends when the group is cancelled.
    func startServices(in group: inout DiscardingTaskGroup, worker: OutboxWorker, metrics: MetricsPublisher?) {
        let (context, logger, wakeup, live) = (self.context, self.logger, self.wakeup, self.live)
        group.addTask { await worker.run(wake: wakeup) }
        // Header OCR after registration (issue 17): the marks check the release gate waits on.
        group.addTask {
            await HeaderStage(context: { live.context }, logger: logger) { [weak self] outcome in
                wakeup.signal()
                self?.headerChecked(outcome)
            }.run()
        }
        group.addTask {
            do {
                // Leased numbering: blocks topped up, provisional numbers confirmed (LeaseKeeper).
                guard let keeper = try LeaseKeeper.forDaemon(context: context, logger: logger, onConfirmed: { wakeup.signal() }) else { return }
                await keeper.run(every: context.configuration.books.leaseCheck)
            } catch {
                logger.critical("numbering authority unusable; numbers come from the blocks held, then provisional", metadata: ["error": "\(error)"])
            }
        }
        if let metrics { group.addTask { await metrics.run() } }
        // The centre's Date header, now and then: the clock check's reference when NTP is not
        // synchronised (a clock that jumps ahead by a day stops numbering, even offline later).
        group.addTask {
            while !Task.isCancelled {
                await context.trustedClock.probe(context.configuration.targets)
                try? await Task.sleep(for: DaemonLimits.clockProbeInterval)
            }
        }
        group.addTask { [weak self] in await self?.watchdogLoop() }
        group.addTask { await RetentionSweeper.runPeriodically(live, logger: logger) }
        forwardSignals(in: &group)
    }

    /// Pings systemd's watchdog while the scanner thread and the control socket's loop live.
    private func watchdogLoop() async {
        guard let interval = notifier.watchdogInterval else { return }
        while !Task.isCancelled {
            // A scanner thread stuck in a driver call for minutes, or a dead control socket, stops
            // the pings: systemd restarts us.
            let (heartbeat, control) = state.withLock { ($0.heartbeat, $0.control) }
            let scannerAlive = ContinuousClock.now - heartbeat < DaemonLimits.scannerHeartbeat
            let socketAlive = control.map { ContinuousClock.now - $0.lastBeat < DaemonLimits.controlHeartbeat } ?? true
            if scannerAlive && socketAlive {
                notifier.watchdog()
            } else {
                logger.critical("\(scannerAlive ? "control socket loop" : "scanner thread") unresponsive; letting the watchdog restart the service")
            }
            try? await Task.sleep(for: interval / 2)
        }
    }

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
}
