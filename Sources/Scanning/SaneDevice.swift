internal import CSane

// SANE's #define constants (sane.h) re-spelled as Swift values; the importer does not bring in `(1 << n)` macros reliably.
private enum Cap {
    static let softSelect: Int32 = 1 << 0
    static let hardSelect: Int32 = 1 << 1
    static let softDetect: Int32 = 1 << 2
    static let inactive: Int32 = 1 << 5
    static let advanced: Int32 = 1 << 6
}

// MARK: - SaneDevice

/// An open SANE device. Owns the `SANE_Handle`; `close()` or `deinit` releases it.
/// The mapping of profiles onto it lives in `DeviceScanner`.
final class SaneDevice: ScanDevice {
    let info: DeviceInfo
    let runtime: SaneRuntime
    var handle: SANE_Handle?

    init(runtime: SaneRuntime, handle: SANE_Handle, info: DeviceInfo) {
        self.runtime = runtime
        self.handle = handle
        self.info = info
    }

    deinit { close() }

    func close() {
        runtime.locked {
            if let handle { runtime.close(handle) }
            handle = nil
        }
    }

    func liveHandle() throws -> SANE_Handle {
        guard let handle else { throw ScanError.noDevice("scanner \(info.name) is closed") }
        return handle
    }

    // MARK: - Options

    func options() throws -> [ScanOption] { try options(readOnlyValues: true) }

    func settableOptions() throws -> [ScanOption] { try options(readOnlyValues: false) }

    private func options(readOnlyValues: Bool) throws -> [ScanOption] {
        let h = try liveHandle()
        return try runtime.locked {
            var count: SANE_Word = 0
            let status = sane_control_option(h, 0, SANE_ACTION_GET_VALUE, &count, nil)
            guard Int(status.rawValue) == statusGood else {
                throw ScanError.sane(status: Int(status.rawValue), operation: "reading option count of \(info.name)")
            }
            var result: [ScanOption] = []
            var group: String?
            for i in 1..<max(Int32(count), 1) {
                guard let d = sane_get_option_descriptor(h, i)?.pointee else { continue }
                if d.type == SANE_TYPE_GROUP {
                    group = saneString(d.title)
                    continue
                }
                result.append(describe(d, index: i, group: group, handle: h, readValue: readOnlyValues || d.cap & Cap.softSelect != 0))
            }
            return result
        }
    }

    /// Call with the lock held.
    private func describe(_ d: SANE_Option_Descriptor, index: Int32, group: String?, handle h: SANE_Handle, readValue wanted: Bool) -> ScanOption {
        let type: ScanOption.ValueType = switch d.type {
        case SANE_TYPE_BOOL: .bool
        case SANE_TYPE_INT: .int
        case SANE_TYPE_FIXED: .fixed
        case SANE_TYPE_STRING: .string
        case SANE_TYPE_BUTTON: .button
        default: .group
        }
        let unit: ScanOption.Unit = switch d.unit {
        case SANE_UNIT_PIXEL: .pixel
        case SANE_UNIT_BIT: .bit
        case SANE_UNIT_MM: .mm
        case SANE_UNIT_DPI: .dpi
        case SANE_UNIT_PERCENT: .percent
        case SANE_UNIT_MICROSECOND: .microsecond
        default: .none
        }
        func number(_ w: SANE_Word) -> Double { type == .fixed ? intake_sane_unfix(w) : Double(w) }
        var constraint = ScanOption.Constraint.none
        switch d.constraint_type {
        case SANE_CONSTRAINT_RANGE:
            if let r = d.constraint.range?.pointee {
                constraint = .range(min: number(r.min), max: number(r.max), quant: number(r.quant))
            }
        case SANE_CONSTRAINT_WORD_LIST:
            if let list = d.constraint.word_list {
                let n = Int(list[0])
                constraint = .wordList(values: (0..<n).map { number(list[$0 + 1]) })
            }
        case SANE_CONSTRAINT_STRING_LIST:
            if let list = d.constraint.string_list {
                var values: [String] = []
                var i = 0
                while let s = list[i] {
                    values.append(String(cString: s))
                    i += 1
                }
                constraint = .stringList(values: values)
            }
        default:
            break
        }
        let size = Int(d.size)
        let count = (type == .int || type == .fixed || type == .bool) ? max(size / MemoryLayout<SANE_Word>.size, 1) : size
        let active = d.cap & Cap.inactive == 0
        let readable = d.cap & Cap.softDetect != 0
        var value: OptionValue?
        if wanted, active, readable, type != .button, type != .group, !((type == .int || type == .fixed) && count > 1) {
            value = readValue(h, index: index, type: type, size: size)
        }
        return ScanOption(
            index: Int(index), name: saneString(d.name), title: saneString(d.title), description: saneString(d.desc),
            group: group, type: type, unit: unit, count: count, constraint: constraint, value: value,
            isSettable: d.cap & Cap.softSelect != 0, isReadable: readable, isActive: active,
            isAdvanced: d.cap & Cap.advanced != 0, isHardwareSelected: d.cap & Cap.hardSelect != 0)
    }

    /// Call with the lock held. `nil` when the backend refuses to report the value.
    private func readValue(_ h: SANE_Handle, index: Int32, type: ScanOption.ValueType, size: Int) -> OptionValue? {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(size, MemoryLayout<SANE_Word>.size) + 1, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: max(size, MemoryLayout<SANE_Word>.size) + 1)
        let status = sane_control_option(h, index, SANE_ACTION_GET_VALUE, buffer, nil)
        guard Int(status.rawValue) == statusGood else { return nil }
        let word = buffer.load(as: SANE_Word.self)
        switch type {
        case .bool: return .bool(word != 0)
        case .int: return .int(Int(word))
        case .fixed: return .fixed(intake_sane_unfix(word))
        case .string: return .string(String(cString: buffer.assumingMemoryBound(to: CChar.self)))
        case .button, .group: return nil
        }
    }

    func value(of option: ScanOption) throws -> OptionValue? {
        let h = try liveHandle()
        return runtime.locked { readValue(h, index: Int32(option.index), type: option.type, size: option.type == .string ? option.count : MemoryLayout<SANE_Word>.size) }
    }

    func write(_ value: OptionValue, to option: ScanOption) throws {
        let name = option.name
        let h = try liveHandle()
        try runtime.locked {
            var info: SANE_Int = 0
            let status: SANE_Status
            switch value {
            case .button:
                status = sane_control_option(h, Int32(option.index), SANE_ACTION_SET_VALUE, nil, &info)
            case .string(let s):
                var bytes = [CChar](repeating: 0, count: max(option.count, s.utf8.count + 1))
                for (i, b) in s.utf8.enumerated() { bytes[i] = CChar(bitPattern: b) }
                status = sane_control_option(h, Int32(option.index), SANE_ACTION_SET_VALUE, &bytes, &info)
            case .bool(let b):
                var w: SANE_Word = b ? 1 : 0
                status = sane_control_option(h, Int32(option.index), SANE_ACTION_SET_VALUE, &w, &info)
            case .int(let i):
                var w: SANE_Word = option.type == .fixed ? intake_sane_fix(Double(i)) : SANE_Word(clamping: i)
                status = sane_control_option(h, Int32(option.index), SANE_ACTION_SET_VALUE, &w, &info)
            case .fixed(let d):
                var w: SANE_Word = option.type == .fixed ? intake_sane_fix(d) : SANE_Word(clamping: Int(d.rounded()))
                status = sane_control_option(h, Int32(option.index), SANE_ACTION_SET_VALUE, &w, &info)
            }
            let raw = Int(status.rawValue)
            guard raw == statusGood else {
                var error = ScanError.sane(
                    status: raw, operation: "setting option '\(name)' to \(value) on \(self.info.name) (allowed: \(option.allowedDescription))")
                if error.code == .invalidOption || error.code == .unsupported {
                    error.message = ScanError.invalidOption("").message
                }
                throw error
            }
        }
    }
}
