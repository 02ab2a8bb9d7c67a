import Foundation
import IntakeCore
import Logging

/// Serves the control socket: one accept loop that never dies of a transient error (EMFILE and
/// friends are logged and backed off from), at most `limit` connections at once (the next gets
/// "busy" at once instead of a thread), and a read timeout on every connection so a client that
/// says nothing cannot hold a slot. `lastBeat` tells the watchdog the loop is alive.
final class ControlServer: @unchecked Sendable {
    static let connectionLimit = 32
    /// How long a client may take to send its request (and to read each reply).
    static let requestTimeout: Duration = .seconds(5)

    private let listener: UnixListener
    private let logger: Logger
    private let handle: @Sendable (UnixConnection) -> Void
    private let lock = NSLock()
    private var active = 0
    private var beat = ContinuousClock.now

    init(listener: UnixListener, logger: Logger, handle: @escaping @Sendable (UnixConnection) -> Void) {
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

    private func acceptLoop() {
        var backoff: Duration = .milliseconds(10)
        var lastWarning = ContinuousClock.now - .seconds(60)
        loop: while true {
            lock.withLock { beat = .now }
            switch listener.accept(wait: .seconds(1)) {
            case .idle:
                continue
            case .closed:
                break loop
            case .failed(let code):
                // Out of descriptors or memory: nothing is wrong with the socket itself. Say so
                // (at most once a minute) and try again after a growing pause.
                if ContinuousClock.now - lastWarning >= .seconds(60) {
                    logger.warning("control socket: accept failed; retrying", metadata: [
                        "error": "\(String(cString: strerror(code)))", "open_connections": "\(activeConnections)"])
                    lastWarning = .now
                }
                Thread.sleep(forTimeInterval: backoff.seconds)
                backoff = min(backoff * 2, .seconds(1))
            case .connection(let connection):
                backoff = .milliseconds(10)
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
                let worker = Thread { [self] in
                    handle(connection)
                    lock.withLock { active -= 1 }
                }
                worker.name = "intake-control"
                worker.start()
            }
        }
        logger.debug("control socket closed")
    }
}
