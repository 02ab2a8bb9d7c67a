/// A `Scanner` over any `ScanDevice`: maps profiles onto the device's own option vocabulary phase by
/// phase, streams ADF batches, reads the feeder's sensors after a failure and watches the buttons.
/// The same code drives libsane (`SaneDevice`) and replayed descriptions of real scanners (`ReplayDevice`).
final class DeviceScanner: Scanner {
    let device: any ScanDevice
    var info: DeviceInfo { device.info }

    /// Option values before any profile touched them, and the raw options the last profile set:
    /// a device keeps option values while it is open, so one profile's `device_options` (say
    /// a lamp or a test status) must not leak into the next profile's scan.
    private var valuesAtFirstApply: [String: OptionValue]?
    private var extraOptionsSetLast: Set<String> = []
    /// Set when the last profile asked for lineart on a device that offers only gray: pages are
    /// thresholded to 1 bit here.
    private(set) var thresholdInSoftware = false
    /// Option writes the last `apply` made and skipped, for tests and the journal.
    private(set) var lastWrites: [SettingsPlan.Step] = []
    private(set) var lastSkipped: [SettingsPlan.Step] = []
    private var buttons: ButtonWatch

    init(device: any ScanDevice, buttonMap: ButtonMap = ButtonMap()) {
        self.device = device
        buttons = ButtonWatch(map: buttonMap)
    }

    deinit { device.close() }

    func close() { device.close() }

    func options() throws -> [ScanOption] { try device.options() }

    func setOption(_ name: String, to value: OptionValue) throws {
        guard let option = try device.options().first(where: { $0.name == name }) else {
            throw ScanError.invalidOption("\(info.name) has no option '\(name)'")
        }
        if let problem = option.problem(with: value) { throw problem }
        try device.write(value, to: option)
    }

    // MARK: - Profiles

    func apply(_ settings: ScanSettings) throws {
        if valuesAtFirstApply == nil {
            valuesAtFirstApply = Dictionary(try device.settableOptions().compactMap { option in option.value.map { (option.name, $0) } },
                                            uniquingKeysWith: { first, _ in first })
        }
        let stale = extraOptionsSetLast.subtracting(settings.extraOptions.keys)
        if !stale.isEmpty {
            let current = try device.settableOptions()
            for name in stale.sorted() {
                guard let original = valuesAtFirstApply?[name],
                      let option = current.first(where: { $0.name == name }), option.isActive, option.isSettable,
                      option.value != original else { continue }
                try setOption(name, to: original)
            }
        }
        extraOptionsSetLast = Set(settings.extraOptions.keys)
        lastWrites = []
        lastSkipped = []
        thresholdInSoftware = false
        for phase in SettingsPlan.Phase.allCases {
            let plan = SettingsPlan(settings: settings, phase: phase, options: try device.settableOptions(), info: info, live: true)
            if let first = plan.problems.first { throw first }
            if plan.thresholdInSoftware { thresholdInSoftware = true }
            for step in plan.steps {
                // Options are read again before every write: a write may move another option's
                // constraint (fujitsu's page-height caps br-y) or its value.
                let current = try device.settableOptions()
                guard let option = current.first(where: { $0.name == step.name }) else {
                    throw ScanError.invalidOption("\(info.name) has no option '\(step.name)'")
                }
                if option.isActive, option.value.map({ Self.same($0, step.value, type: option.type) }) == true {
                    lastSkipped.append(step)
                    continue
                }
                if let problem = option.problem(with: step.value) { throw problem }
                try device.write(step.value, to: option)
                lastWrites.append(step)
            }
        }
    }

    /// Whether the current value already is the wanted one (fixed values within SANE's 1/65536).
    static func same(_ current: OptionValue, _ wanted: OptionValue, type: ScanOption.ValueType) -> Bool {
        switch (current, wanted) {
        case (.fixed(let a), .fixed(let b)): abs(a - b) <= 1.0 / 65536
        case (.fixed(let a), .int(let b)), (.int(let b), .fixed(let a)): abs(a - Double(b)) <= 1.0 / 65536
        default: current == wanted
        }
    }

    func validate(_ settings: ScanSettings) -> [ScanError] {
        let current: [ScanOption]
        do { current = try device.settableOptions() } catch let error as ScanError { return [error] } catch {
            return [ScanError(code: .other, message: "The scanner reported an error — call the technician.", detail: "\(error)")]
        }
        return SettingsPlan.Phase.allCases.flatMap {
            SettingsPlan(settings: settings, phase: $0, options: current, info: info).problems
        }
    }

    // MARK: - Scanning

    func scan(shouldStop: () -> Bool, onPage: (Page) throws -> Void) throws -> Int {
        try scanStreaming(capacityBytes: Int.max, shouldStop: shouldStop) { strips in try onPage(strips.readAll()) }
    }

    func scanStreaming(capacityBytes: Int, shouldStop: () -> Bool, onPage: (PageStrips) throws -> Void) throws -> Int {
        let current = try options()
        let feeder = FeederDetection.isFeeder(current, info: info)
        let resolution = current.first { $0.name == "resolution" }?.value
            ?? current.first { $0.name == "x-resolution" }?.value
        let dpi: Double = switch resolution {
        case .int(let i): Double(i)
        case .fixed(let d): d
        default: 0
        }
        defer { device.cancel() }
        var count = 0
        while true {
            let strips: PageStrips
            do {
                strips = try device.startPage(index: count + 1, resolution: dpi, capacityBytes: capacityBytes)
            } catch let error as ScanError where error.code == .noDocuments && count > 0 {
                break
            } catch let error as ScanError where error.code == .jammed || error.code == .ioError {
                throw sensorReading(after: error, feeder: feeder)
            }
            if thresholdInSoftware, strips.format.depth == 8, strips.format.channels == 1 {
                RasterAssembly.threshold(strips)
            }
            count += 1
            do {
                try onPage(strips)
            } catch {
                strips.cancel()
                guard let failure = strips.deviceError else { throw error }
                // An empty feeder after the first page ends the batch, as when sane_start reports it.
                if failure.code == .noDocuments, count > 1, strips.deliveredNothing { count -= 1; break }
                throw mapped(failure, feeder: feeder)
            }
            // The consumer may have handed the strips on: the next page starts once this one is read.
            strips.waitUntilRead()
            if let failure = strips.deviceError { throw mapped(failure, feeder: feeder) }
            if !feeder || shouldStop() { break }
        }
        return count
    }

    private func mapped(_ error: ScanError, feeder: Bool) -> ScanError {
        error.code == .jammed || error.code == .ioError ? sensorReading(after: error, feeder: feeder) : error
    }

    /// After a jam or an I/O error, the feeder's own sensors say what happened: a double feed reads
    /// as JAMMED on fujitsu/canon_dr/kodak and as IO_ERROR on epsonds/avision.
    private func sensorReading(after error: ScanError, feeder: Bool) -> ScanError {
        guard error.code != .deviceGone, let options = try? device.options() else { return error }
        defer { device.cancel() }
        for option in options where FeederSensors.doubleFeedSensors.contains(option.name) && option.isActive && option.isReadable {
            let value = (try? device.value(of: option)) ?? option.value
            switch value {
            case .bool(true), .int(1...):
                return .doubleFeed("\(error.detail); sensor '\(option.name)' reads \(value.map(String.init(describing:)) ?? "?")")
            case .string(let s) where !["", "none", "no", "off", "0"].contains(s.lowercased()):
                return .doubleFeed("\(error.detail); sensor '\(option.name)' reads '\(s)'")
            default:
                continue
            }
        }
        // epsonds-cmd.c (err…DFED) and avision.c (sense 80/05 "Multi-feed") return IO_ERROR for a
        // double feed and have no sensor option: the clerk hears that it may have been one.
        let backend = info.name.split(separator: ":").first.map(String.init) ?? ""
        if error.code == .ioError, feeder, ["epsonds", "avision"].contains(backend) {
            return .feedFault(error.detail)
        }
        return error
    }

    // MARK: - Buttons

    func configureButtons(_ map: ButtonMap) {
        buttons = ButtonWatch(map: map)
    }

    func pressedButtons() throws -> Set<String> {
        try buttons.poll(device)
    }
}
