// The only file that calls libsane. Everything else in Scanning is plain Swift.
internal import CSane
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
    /// Pause before the read that ends a frame (see SaneDevice.readStrips).
    static let frameEndSettleMicroseconds: UInt32 = 5_000

    private var driverCallHook: (@Sendable () -> Void)?

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
