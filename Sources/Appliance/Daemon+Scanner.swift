import Foundation
import IntakeCore
import Logging
import Registry
import PagePipeline
import Scanning

/// The scanner thread: it alone talks to the scanner — opens it (and again after an unplug),
/// runs the queued scans one at a time, and polls the scanner's buttons while idle. Key readers
/// (USB keypad, foot switch) feed the same queue from threads of their own.
extension Daemon {
    /// Starts the scanner thread; the stream ends when the thread has closed the scanner.
    func startScannerThread() -> AsyncStream<Void> {
        let (done, finish) = AsyncStream.makeStream(of: Void.self)
        let thread = Thread { [self] in
            scannerLoop()
            finish.finish()
        }
        thread.name = "intake-scanner"
        thread.start()
        return done
    }

    private func scannerLoop() {
        var scanner: (any Scanning.Scanner)?
        var lastAttempt = ContinuousClock.now - .seconds(3600)
        var pressed = Set<String>()
        var debouncer = Debouncer()
        let device = context.configuration.device

        while true {
            let buttonTriggers = context.configuration.triggers.filter { $0.kind == .button }
            let (job, stop, rescan): (ScanJob?, Bool, Bool) = state.withLock { state in
                state.heartbeat = .now
                let job = state.jobs.isEmpty ? nil : state.jobs.removeFirst()
                let rescan = state.rescanRequested
                state.rescanRequested = false
                return (job, state.stopping, rescan)
            }
            if stop { break }

            if scanner == nil, rescan || ContinuousClock.now - lastAttempt >= device.rescanInterval {
                lastAttempt = .now
                do {
                    let opened = try locateScanner()
                    opened.configureButtons(device.buttonMap(forDevice: opened.info.name))
                    scanner = opened
                    pressed = (try? opened.pressedButtons()) ?? []
                    setDevice(name: opened.info.name, .connected, error: nil)
                    logger.notice("scanner connected", metadata: ["device": "\(opened.info.name)", "model": "\(opened.info.vendor) \(opened.info.model)"])
                } catch {
                    if state.withLock({ $0.device }) != .notConnected || rescan {
                        logger.warning("scanner not found", metadata: ["error": "\(error)"])
                    }
                    setDevice(name: nil, .notConnected, error: ErrorPayload(error).message)
                }
            }

            if let job {
                if let active = scanner {
                    let keep = runJob(job, on: active)
                    if !keep {
                        active.close()
                        scanner = nil
                        lastAttempt = .now
                        setDevice(name: nil, .notConnected, error: "scanner disconnected")
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
                    setDevice(name: nil, .notConnected, error: error.message)
                } catch {
                    logger.debug("button poll failed", metadata: ["error": "\(error)"])
                }
            }

            let wait = scanner == nil ? device.rescanInterval
                : (device.pollButtons && !buttonTriggers.isEmpty ? device.buttonPollInterval : DaemonLimits.idleWait)
            state.wait(for: wait) { !$0.jobs.isEmpty || $0.stopping || $0.rescanRequested }
        }
        // Jobs that never started get a clear answer.
        let abandoned = state.withLock { state in
            defer { state.jobs.removeAll() }
            return state.jobs
        }
        for job in abandoned {
            job.reply(ControlReply(event: .error, error: ErrorPayload(code: "stopping", message: "The service stopped before this scan started — press scan again.", detail: "")))
        }
        scanner?.close()
    }

    /// Runs one scan; returns false when the scanner must be reopened (unplugged).
    private func runJob(_ job: ScanJob, on scanner: (any Scanning.Scanner)?) -> Bool {
        setActivity(.scanning(profile: job.profile, page: nil))
        defer { setActivity(.ready) }
        notifier.status("scanning with profile \(job.profile)")
        do {
            // The secrecy rules may keep no page of it: then it is numbered without the scanner.
            let document = try service.registerIfNoPagesKept(profileName: job.profile, overrides: job.overrides) ?? service.scanAndRegister(
                scanner: try scanner ?? { throw PipelineError.noScanner(state.withLock { $0.lastError } ?? "not found") }(),
                profileName: job.profile, overrides: job.overrides,
                shouldStop: { [state] in state.withLock { $0.heartbeat = .now; return $0.stopping } },
                progress: { [self] event in
                    if case let .page(number, _, _, blank) = event {
                        setActivity(.scanning(profile: job.profile, page: number))
                        job.reply(ControlReply(event: .page, page: number, blank: blank))
                    }
                }
            )
            let summary = recordRegistered(document)
            job.reply(ControlReply(event: .registered, document: summary))
            announceRegistered(summary)
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

    func enqueueTrigger(_ trigger: Configuration.Trigger, origin: String) {
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

    /// A thread reading one evdev input device for the trigger's key, reopening it while it is
    /// unplugged, until the daemon stops.
    func startKeyReader(_ trigger: Configuration.Trigger) {
        guard let path = trigger.inputDevice, let code = trigger.keyCode else { return }
        let thread = Thread { [self] in
            var debouncer = Debouncer()
            while !state.withLock({ $0.stopping }) {
                let reader = EvdevKeyReader(path: path)
                let error = reader.run(shouldStop: { [state] in state.withLock { $0.stopping } }) { key in
                    guard key == code, debouncer.accept("key:\(key)") else { return }
                    logger.info("key pressed", metadata: ["device": "\(path)", "key": "\(key)", "action": "\(trigger.action.rawValue)", "profile": "\(trigger.profile)"])
                    enqueueTrigger(trigger, origin: "key \(key)")
                }
                if let error {
                    logger.warning("input device unavailable; retrying", metadata: ["error": "\(error)"])
                    state.wait(for: DaemonLimits.keyReaderRetry) { $0.stopping }
                }
            }
        }
        thread.name = "intake-evdev"
        thread.start()
    }
}
