internal import FoundationEssentials
internal import Glibc
internal import IntakeCore

/// A device that behaves as a `DeviceDescription` says: its options, the rules between them, its
/// feeder and its failures. `DeviceScanner` drives it exactly as it drives libsane. One lock
/// guards its state: a test presses buttons while the daemon's scanner thread polls them.
final class ReplayDevice: ScanDevice, @unchecked Sendable {
    private let lock = RecursiveLock()
    let info: DeviceInfo
    private let description: DeviceDescription
    private var current: [ScanOption]
    private var sheetsLeft: Int
    private var sheetsFed = 0
    /// Back side of the current sheet still to come (duplex).
    private var backPending = false
    /// Hardware values waiting for their refresh button (pixma's button-update).
    private var staged: [String: OptionValue] = [:]
    private var closed = false
    /// Every write in order, and every single-option read, for tests.
    private(set) var writes: [(name: String, value: OptionValue)] = []
    private(set) var reads: [String] = []

    init(_ description: DeviceDescription) {
        self.description = description
        info = description.device
        current = description.options.map { Self.typed($0.option) }
        sheetsLeft = description.read.sheets
    }

    /// Opens a description as a scanner, as `SaneRuntime.open` opens a device.
    static func open(_ description: DeviceDescription, buttons: ButtonMap = ButtonMap()) -> DeviceScanner {
        DeviceScanner(device: ReplayDevice(description), buttonMap: buttons)
    }

    // MARK: - Options

    func options() throws -> [ScanOption] {
        try lock.withLock {
            try checkOpen()
            return current.map { o in
                var o = o
                if !o.isActive || !o.isReadable || o.isArray { o.value = nil }
                return o
            }
        }
    }

    func settableOptions() throws -> [ScanOption] {
        try lock.withLock {
            try options().map { o in
                var o = o
                if !o.isSettable { o.value = nil }
                return o
            }
        }
    }

    func value(of option: ScanOption) throws -> OptionValue? {
        try lock.withLock {
            try checkOpen()
            reads.append(option.name)
            guard let o = current.first(where: { $0.name == option.name }), o.isActive, o.isReadable else { return nil }
            return o.value
        }
    }

    func write(_ value: OptionValue, to option: ScanOption) throws {
        try lock.withLock {
            try checkOpen()
            guard let i = current.firstIndex(where: { $0.name == option.name }) else {
                throw ScanError.sane(status: 4, operation: "setting option '\(option.name)' on \(info.name) (replay): no such option")
            }
            guard current[i].isActive, current[i].isSettable else {
                throw ScanError.sane(status: 4, operation: "setting option '\(option.name)' on \(info.name) (replay): inactive or read-only")
            }
            let typed = Self.coerce(value, to: current[i].type)
            writes.append((option.name, typed))
            if current[i].type != .button { current[i].value = typed }
            for (name, button) in description.read.refreshedBy where button == option.name {
                if let v = staged.removeValue(forKey: name), let j = current.firstIndex(where: { $0.name == name }) { current[j].value = v }
            }
            fireRules(for: option.name, value: typed)
        }
    }

    private func fireRules(for name: String, value: OptionValue) {
        for rule in description.rules where rule.when == name {
            if let equals = rule.equals, !DeviceScanner.same(value, equals, type: .fixed) { continue }
            if let unless = rule.unless, DeviceScanner.same(value, unless, type: .fixed) { continue }
            for effect in rule.effects {
                guard let j = current.firstIndex(where: { $0.name == effect.option }) else { continue }
                if let active = effect.active { current[j].isActive = active }
                if let settable = effect.settable { current[j].isSettable = settable }
                if let constraint = effect.constraint { current[j].constraint = constraint }
                if let v = effect.value { current[j].value = Self.coerce(v, to: current[j].type) }
                if effect.maxFromValue == true, case .range(let lo, _, let q) = current[j].constraint, let hi = Self.number(value) {
                    current[j].constraint = .range(min: lo, max: hi, quant: q)
                    if let v = current[j].value.flatMap(Self.number), v > hi {
                        current[j].value = Self.coerce(.fixed(hi), to: current[j].type)
                    }
                }
            }
        }
    }

    /// A value the device itself changes: a button pressed, a sensor tripped. Options listed in
    /// `read.refreshedBy` show it only after their refresh button is written.
    func hardware(_ name: String, _ value: OptionValue) {
        lock.withLock {
            guard let j = current.firstIndex(where: { $0.name == name }) else { return }
            let typed = Self.coerce(value, to: current[j].type)
            if description.read.refreshedBy[name] != nil {
                staged[name] = typed
            } else {
                current[j].value = typed
            }
        }
    }

    /// Puts sheets in the feeder.
    func load(sheets: Int) {
        lock.withLock {
            sheetsLeft = sheets
            backPending = false
        }
    }

    // MARK: - Pages

    func readPage(index: Int, resolution: Double) throws -> Page {
        try lock.withLock {
            try checkOpen()
            let opts = try options()
            let feeder = FeederDetection.isFeeder(opts, info: info)
            if feeder {
                if backPending {
                    backPending = false
                } else {
                    guard sheetsLeft > 0 else {
                        throw ScanError.sane(status: 7, operation: "sane_start on \(info.name) (replay)")
                    }
                    sheetsLeft -= 1
                    sheetsFed += 1
                    if let failure = description.read.failures.first(where: { $0.sheet == sheetsFed }) {
                        for (name, value) in failure.sensors { hardware(name, value) }
                        throw ScanError.sane(status: Self.statusNumber(failure.status), operation: "sane_start on \(info.name) (replay, sheet \(sheetsFed))")
                    }
                    backPending = isDuplex(opts)
                }
            }
            return page(index: index, options: opts, resolution: resolution)
        }
    }

    private func isDuplex(_ opts: [ScanOption]) -> Bool {
        description.read.duplexWhen.contains { condition in
            guard let o = opts.first(where: { $0.name == condition.option }), let v = o.value else { return false }
            return DeviceScanner.same(v, condition.equals, type: o.type)
        }
    }

    private func page(index: Int, options opts: [ScanOption], resolution: Double) -> Page {
        func mm(_ name: String) -> Double? { opts.first { $0.name == name }?.value.flatMap(Self.number) }
        let widthMM = mm("br-x").map { $0 - (mm("tl-x") ?? 0) } ?? description.read.pageWidthMM
        let heightMM = mm("br-y").map { $0 - (mm("tl-y") ?? 0) } ?? description.read.pageHeightMM
        let dpi = resolution > 0 ? resolution : 100
        let width = max(Int(widthMM / 25.4 * dpi), 1)
        let height = max(Int(heightMM / 25.4 * dpi), 1)
        var depth = 8
        var channels = 3
        if case .string(let mode)? = opts.first(where: { $0.name == "mode" })?.value {
            let m = mode.lowercased()
            if m.contains("lineart") || m.contains("binary") || m.contains("halftone") || m == "bw" || m.contains("black") || m.contains("diffusion") {
                depth = 1
                channels = 1
            } else if m.contains("gray") || m.contains("grey") {
                channels = 1
                if case .int(1)? = opts.first(where: { $0.name == "depth" })?.value { depth = 1 }
            }
        }
        let bytesPerLine = depth == 1 ? (width + 7) / 8 : width * channels
        // White paper: 0 bits in lineart (bit set = black), 255 otherwise.
        let pixels = [UInt8](repeating: depth == 1 ? 0 : 255, count: bytesPerLine * height)
        return Page(index: index, width: width, height: height, depth: depth, channels: channels,
                    bytesPerLine: bytesPerLine, resolution: dpi, pixels: pixels)
    }

    func cancel() { backPending = false }

    func close() { closed = true }

    private func checkOpen() throws {
        if closed { throw ScanError.noDevice("scanner \(info.name) is closed") }
    }

    // MARK: - Values

    static func statusNumber(_ name: String) -> Int {
        let upper = name.uppercased()
        let full = upper.hasPrefix("SANE_STATUS_") ? upper : "SANE_STATUS_" + upper
        return ScanError.saneStatusNames.firstIndex(of: full) ?? 9
    }

    static func number(_ value: OptionValue) -> Double? {
        switch value {
        case .int(let i): Double(i)
        case .fixed(let d): d
        default: nil
        }
    }

    static func coerce(_ value: OptionValue, to type: ScanOption.ValueType) -> OptionValue {
        switch (type, value) {
        case (.fixed, .int(let i)): .fixed(Double(i))
        case (.int, .fixed(let d)): .int(Int(d.rounded()))
        default: value
        }
    }

    private static func typed(_ option: ScanOption) -> ScanOption {
        var o = option
        if let v = o.value { o.value = coerce(v, to: o.type) }
        return o
    }
}
