import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGTERM, SIGINT, SIGUSR1 and SIGHUP into an async stream for the daemon.
///
/// SANE backends meddle with signals: the test backend's reader thread sets SIGTERM back to its
/// default and unblocks it in itself on every page. So the daemon defends twice:
/// - a command that takes them (`TakesProcessSignals`: `intake serve`) has them blocked right
///   after the command line is parsed, before it starts a thread (CStartup), and a thread takes
///   them with sigwait() whenever no thread has them unblocked;
/// - a handler (which only writes the number to a pipe) is installed, and put back after every
///   libsane call (`reinstall`), for the moments a driver thread has unblocked them.
public enum SignalWatcher {
    public static let daemonSignals: [Int32] = [SIGTERM, SIGINT, SIGUSR1, SIGHUP]

    nonisolated(unsafe) private static var pipeWrite: Int32 = -1
    nonisolated(unsafe) private static var watched: [Int32] = []

    static func signalSet(_ signals: [Int32]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals { sigaddset(&set, number) }
        return set
    }

    /// Puts the handlers back; cheap (one syscall per signal), safe to call often.
    public static func reinstall() {
        for number in watched {
            var current = sigaction()
            sigaction(number, nil, &current)
            let installed = current.__sigaction_handler.sa_handler.map { unsafeBitCast($0, to: UInt.self) }
            if installed != unsafeBitCast(handler, to: UInt.self) { install(number) }
        }
    }

    private static let handler: @convention(c) (Int32) -> Void = { number in
        var byte = UInt8(truncatingIfNeeded: number)
        _ = write(SignalWatcher.pipeWrite, &byte, 1)
    }

    private static func install(_ number: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(number, &action, nil)
    }

    static func watch(_ signals: [Int32]) -> AsyncStream<Int32> {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return AsyncStream { $0.finish() } }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        pipeWrite = fds[1]
        watched = signals
        let readEnd = fds[0]
        for number in signals { install(number) }

        let reader = Thread {
            var byte: UInt8 = 0
            while true {
                let n = read(readEnd, &byte, 1)
                if n == 1 { continuation.yield(Int32(byte)) }
                else if n < 0 && errno == EINTR { continue }
                else { break }
            }
            continuation.finish()
        }
        reader.name = "intake-signals"
        reader.start()

        var current = sigset_t()
        pthread_sigmask(SIG_BLOCK, nil, &current)
        if signals.allSatisfy({ sigismember(&current, $0) == 1 }) {
            let waiter = Thread {
                var set = signalSet(signals)
                while true {
                    var number: Int32 = 0
                    if sigwait(&set, &number) == 0 {
                        var byte = UInt8(truncatingIfNeeded: number)
                        _ = write(pipeWrite, &byte, 1)
                    }
                }
            }
            waiter.name = "intake-sigwait"
            waiter.start()
        }
        return stream
    }
}
