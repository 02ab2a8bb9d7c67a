/// Every fixed limit and interval of `intake serve`, in one place.
enum DaemonLimits {
    /// Scans waiting for the scanner; the next request is refused as busy.
    static let queuedScans = 4
    /// How long `stop` waits for the page in hand before giving up on the scanner thread.
    static let stopGrace: Duration = .seconds(80)
    /// The scanner thread beats at least this often unless a driver call hangs (watchdog).
    static let scannerHeartbeat: Duration = .seconds(180)
    /// The control socket's accept loop beats at least this often while it lives (watchdog).
    static let controlHeartbeat: Duration = .seconds(20)
    /// The scanner thread's longest sleep while a scanner is open and no button is polled.
    static let idleWait: Duration = .seconds(5)
    /// A key reader whose input device is gone tries again after this long.
    static let keyReaderRetry: Duration = .seconds(5)
    /// How often the centre's Date header is read for the clock check.
    static let clockProbeInterval: Duration = .seconds(600)

    /// Control connections served at once; the next gets "busy" at once.
    static let controlConnections = 32
    /// How long a control client may take to send its request (and to read each reply).
    static let controlRequestTimeout: Duration = .seconds(5)
    /// The accept loop wakes at least this often to beat and to drop silent clients.
    static let acceptWait: Duration = .seconds(1)
    /// A failing accept() is journalled at most this often.
    static let acceptWarningInterval: Duration = .seconds(60)
    /// The pause after a failed accept(): doubled each time up to the maximum.
    static let acceptBackoff: ClosedRange<Duration> = .milliseconds(10) ... .seconds(1)

    /// How long a command waits for the daemon's answer (DaemonClient).
    static let clientReplyTimeout: Duration = .seconds(10)
    /// How long `intake scan` waits for the next reply of a scan (a warming scanner, a long page).
    static let clientScanReplyTimeout: Duration = .seconds(180)
}
