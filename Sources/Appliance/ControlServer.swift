import Foundation
import IntakeCore
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Serves the control socket: one thread runs poll() over the listener and every connection
/// still sending its request, so a silent client costs a descriptor and a slot, never a thread.
/// The accept loop never dies of a transient error (EMFILE and friends are logged and backed
/// off from); at most `connectionLimit` connections are served at once (the next gets "busy"
/// at once); a client that has not sent its request line within `requestTimeout` gets a timeout
/// error. A complete request is answered by `handle` in a task of its own on the control
/// executor's thread (ControlExecutor), which may wait (a scan) without holding that thread.
/// `lastBeat` tells the watchdog the loop is alive.
final class ControlServer: @unchecked Sendable {
    static let connectionLimit = DaemonLimits.controlConnections
    /// How long a client may take to send its request (and to read each reply).
    static let requestTimeout = DaemonLimits.controlRequestTimeout

    typealias Handler = @Sendable (UnixConnection, Result<ControlRequest, any Error>) async -> Void

    private let listener: UnixListener
    private let logger: Logger
    private let handle: Handler
    private let lock = NSLock()
    private var active = 0
    private var beat = ContinuousClock.now

    init(listener: UnixListener, logger: Logger, handle: @escaping Handler) {
        self.listener = listener
        self.logger = logger
        self.handle = handle
    }

    /// When the accept loop last went round (at least once a second while it lives).
    var lastBeat: ContinuousClock.Instant { lock.withLock { beat } }

    var activeConnections: Int { lock.withLock { active } }

    /// Starts the accept loop on its own thread; it ends when the listener is shut down.
    func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "intake-socket"
        thread.start()
    }

    /// A connection admitted but still sending its request line.
    private struct Reading {
        let connection: UnixConnection
        let deadline: ContinuousClock.Instant
    }

    private func acceptLoop() {
        var reading: [Reading] = []
        var backoff = DaemonLimits.acceptBackoff.lowerBound
        var lastWarning = ContinuousClock.now - DaemonLimits.acceptWarningInterval
        loop: while true {
            let now = ContinuousClock.now
            lock.withLock { beat = now }
            for late in reading where late.deadline <= now {
                dispatch(late.connection, .failure(ControlError.timeout(Int(Self.requestTimeout.components.seconds))))
            }
            reading.removeAll { $0.deadline <= now }
            let wait = reading.map { $0.deadline - now }.reduce(DaemonLimits.acceptWait) { min($0, $1) }

            var descriptors = [pollfd(fd: listener.descriptor, events: Int16(POLLIN), revents: 0)]
                + reading.map { pollfd(fd: $0.connection.descriptor, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), Int32(wait.pollMilliseconds))
            if ready < 0 && errno != EINTR {
                let code = errno
                warnAcceptFailed(code, lastWarning: &lastWarning)
                Thread.sleep(forTimeInterval: backoff.seconds)
                backoff = min(backoff * 2, DaemonLimits.acceptBackoff.upperBound)
                continue
            }
            guard ready > 0 else { continue }

            // Requests first: a connection whose line is complete (or which hung up) leaves the loop.
            var stillReading: [Reading] = []
            for (index, entry) in reading.enumerated() {
                guard descriptors[index + 1].revents != 0 else { stillReading.append(entry); continue }
                do {
                    let open = try entry.connection.readAvailable()
                    if entry.connection.hasLine {
                        dispatch(entry.connection, Self.decode(entry.connection))
                    } else if open {
                        stillReading.append(entry)
                    } else {
                        release()   // hung up without a request: nothing to answer
                    }
                } catch {
                    dispatch(entry.connection, .failure(error))
                }
            }
            reading = stillReading

            let listenerEvents = descriptors[0].revents
            guard listenerEvents != 0 else { continue }
            if listenerEvents & Int16(POLLNVAL) != 0 { break loop }
            switch listener.acceptReady() {
            case .idle:
                continue
            case .closed:
                break loop
            case .failed(let code):
                // Out of descriptors or memory: nothing is wrong with the socket itself. Say so
                // (at most once a minute) and try again after a growing pause.
                warnAcceptFailed(code, lastWarning: &lastWarning)
                Thread.sleep(forTimeInterval: backoff.seconds)
                backoff = min(backoff * 2, DaemonLimits.acceptBackoff.upperBound)
            case .connection(let connection):
                backoff = DaemonLimits.acceptBackoff.lowerBound
                connection.setTimeout(Self.requestTimeout)
                let admitted = lock.withLock {
                    guard active < Self.connectionLimit else { return false }
                    active += 1
                    return true
                }
                guard admitted else {
                    try? connection.send(ControlReply(event: .error, error: ErrorPayload(ControlError.busy(Self.connectionLimit))))
                    continue
                }
                reading.append(Reading(connection: connection, deadline: .now + Self.requestTimeout))
            }
        }
        for _ in reading { release() }
        logger.debug("control socket closed")
    }

    /// The request line that has arrived (receive answers from what is buffered, without waiting).
    private static func decode(_ connection: UnixConnection) -> Result<ControlRequest, any Error> {
        do {
            guard let request = try connection.receive(ControlRequest.self) else {
                return .failure(ControlError.protocolViolation("no request line"))
            }
            return .success(request)
        } catch {
            return .failure(error)
        }
    }

    /// Hands a request (or why there is none) to `handle` in a task; the slot is freed when it ends.
    private func dispatch(_ connection: UnixConnection, _ request: Result<ControlRequest, any Error>) {
        let handle = self.handle
        Task(executorPreference: ControlExecutor.shared) { [self] in
            await handle(connection, request)
            release()
        }
    }

    private func release() {
        lock.withLock { active -= 1 }
    }

    private func warnAcceptFailed(_ code: Int32, lastWarning: inout ContinuousClock.Instant) {
        guard ContinuousClock.now - lastWarning >= DaemonLimits.acceptWarningInterval else { return }
        logger.warning("control socket: accept failed; retrying", metadata: [
            "error": "\(String(cString: strerror(code)))", "open_connections": "\(activeConnections)"])
        lastWarning = .now
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so a short wait never becomes a busy loop of zero waits.
    fileprivate var pollMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return max(0, seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
