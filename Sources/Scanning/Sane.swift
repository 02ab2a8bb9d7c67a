// The only file that calls libsane. Everything else in Scanning is plain Swift.
internal import CSane
internal import CSaneThreads
internal import FoundationEssentials
internal import Glibc
internal import IntakeCore

let statusGood = Int(SANE_STATUS_GOOD.rawValue)
let statusEOF = Int(SANE_STATUS_EOF.rawValue)
let statusIOError = Int(SANE_STATUS_IO_ERROR.rawValue)

/// The process-wide SANE library. `sane_init` runs once, lazily, on first use (so a test can set
/// `SANE_CONFIG_DIR` before that); every libsane call goes through one lock.
public final class SaneRuntime: @unchecked Sendable {
    public static let shared = SaneRuntime()

    private let lock = RecursiveLock()
    private var initialised = false
    /// Size of each `sane_read` request.
    static let readChunk = 64 * 1024

    private var driverCallHook: (@Sendable () -> Void)?

    /// sanei_thread, compiled into the test backend and many real ones, hands each new reader
    /// thread its device through one static variable per backend, read after `sane_start` has
    /// returned. A second `sane_start` (another device) before that read gives both readers the
    /// second device; the first device's pipe then has no writer and its `sane_read` blocks
    /// forever. So a start waits until the previous start on another device has shown its reader
    /// at work: first bytes read, any other status, a cancel or a close.
    private let startGate = ConditionLock()
    /// The device whose reader has not shown itself yet.
    private var unprovenStart: SANE_Handle?
    /// How long a start waits for another device's reader before going ahead anyway (a device
    /// started and then left unread must not stop every other scanner).
    static let startGateSeconds = 2.0

    private init() {}

    /// Runs after every libsane call. Backends change process state behind our back (the test
    /// backend's reader thread resets SIGTERM to its default on every page); the daemon uses this
    /// to put its signal handlers back at once.
    public func afterEveryDriverCall(_ hook: @escaping @Sendable () -> Void) {
        locked { driverCallHook = hook }
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer {
            driverCallHook?()
            lock.unlock()
        }
        return try body()
    }

    // MARK: - Starting and reading frames

    /// `sane_start`, after any other device's start has shown its reader (see `startGate`).
    func start(_ h: SANE_Handle) -> SANE_Status {
        startGate.lock()
        var waited = 0.0
        while let other = unprovenStart, other != h, waited < Self.startGateSeconds {
            startGate.wait(seconds: 0.05)
            waited += 0.05
        }
        unprovenStart = h
        startGate.unlock()
        let status = locked { sane_start(h) }
        if Int(status.rawValue) != statusGood { proven(h) }
        return status
    }

    /// `sane_read`; bytes or any status other than GOOD prove the reader (see `startGate`).
    func read(_ h: SANE_Handle, into buffer: UnsafeMutablePointer<UInt8>?, count: Int32, got: inout SANE_Int) -> SANE_Status {
        let status = locked { sane_read(h, buffer, count, &got) }
        if got > 0 || Int(status.rawValue) != statusGood { proven(h) }
        return status
    }

    func cancel(_ h: SANE_Handle) {
        locked { sane_cancel(h) }
        proven(h)
    }

    func close(_ h: SANE_Handle) {
        locked { sane_close(h) }
        proven(h)
    }

    private func proven(_ h: SANE_Handle) {
        startGate.lock()
        if unprovenStart == h {
            unprovenStart = nil
            startGate.broadcast()
        }
        startGate.unlock()
    }

    /// Whether backends' reader threads can only be cancelled at cancellation points, never
    /// asynchronously inside malloc (CSaneThreads/cancel.c): true when this binary exports its
    /// `pthread_setcanceltype` to the backends it loads.
    public static var readerCancelIsDeferred: Bool { intake_sane_cancel_is_deferred() == 1 }

    /// Call with the lock held.
    private func ensureInitialised() throws {
        if initialised { return }
        var version: SANE_Int = 0
        let status = sane_init(&version, nil)
        guard Int(status.rawValue) == statusGood else {
            throw ScanError.sane(status: Int(status.rawValue), operation: "sane_init")
        }
        initialised = true
    }

    // MARK: - Devices

    public func devices(localOnly: Bool = true) throws -> [DeviceInfo] {
        try locked {
            try ensureInitialised()
            var list: UnsafeMutablePointer<UnsafePointer<SANE_Device>?>?
            let status = sane_get_devices(&list, localOnly ? 1 : 0)
            guard Int(status.rawValue) == statusGood else {
                throw ScanError.sane(status: Int(status.rawValue), operation: "sane_get_devices")
            }
            var result: [DeviceInfo] = []
            guard let list else { return result }
            var i = 0
            while let device = list[i] {
                let d = device.pointee
                result.append(DeviceInfo(
                    name: saneString(d.name), vendor: saneString(d.vendor), model: saneString(d.model), type: saneString(d.type)))
                i += 1
            }
            return result
        }
    }

    /// The device with this exact name if it is there; otherwise the first whose vendor and model match
    /// (case-insensitive), preferring the same backend — a re-plugged USB scanner gets a new name.
    public func find(vendor: String?, model: String?, name: String?) throws -> DeviceInfo? {
        let all = try devices(localOnly: true)
        if let name, let exact = all.first(where: { $0.name == name }) { return exact }
        if vendor == nil && model == nil { return nil }
        func same(_ a: String, _ b: String?) -> Bool { b.map { a.lowercased() == $0.lowercased() } ?? true }
        let matches = all.filter { same($0.vendor, vendor) && same($0.model, model) }
        if let name, let backend = name.split(separator: ":").first,
           let sameBackend = matches.first(where: { $0.name.hasPrefix(backend + ":") }) {
            return sameBackend
        }
        return matches.first
    }

    /// Opens a device by its SANE name. Unknown names give `.noDevice`.
    public func open(_ name: String) throws -> any Scanner {
        let opened: Result<SANE_Handle, ScanError> = try locked {
            try ensureInitialised()
            var handle: SANE_Handle?
            let raw = Int(sane_open(name, &handle).rawValue)
            guard raw == statusGood, let handle else {
                return .failure(ScanError.sane(status: raw, operation: "sane_open \(name)"))
            }
            return .success(handle)
        }
        // Local listing only: a network probe can take seconds and is not needed to describe the device.
        let known = (try? devices(localOnly: true)) ?? []
        switch opened {
        case .success(let handle):
            let info = known.first { $0.name == name } ?? DeviceInfo(name: name, vendor: "", model: "", type: "")
            return DeviceScanner(device: SaneDevice(runtime: self, handle: handle, info: info))
        case .failure(let error):
            if error.code != .deviceBusy, error.code != .accessDenied, !known.contains(where: { $0.name == name }) {
                throw ScanError.noDevice("\(error.detail); no such device is listed")
            }
            throw error
        }
    }
}

func saneString(_ p: UnsafePointer<CChar>?) -> String {
    p.map { String(cString: $0) } ?? ""
}
