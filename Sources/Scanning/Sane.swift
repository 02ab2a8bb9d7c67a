// The only file that calls libsane. Everything else in Scanning is plain Swift.
internal import CSane
#if canImport(FoundationEssentials)
internal import FoundationEssentials
internal import Glibc
#else
internal import Foundation
#endif
internal import IntakeCore

// SANE's #define constants (sane.h) re-spelled as Swift values; the importer does not bring in `(1 << n)` macros reliably.
private enum Cap {
    static let softSelect: Int32 = 1 << 0
    static let hardSelect: Int32 = 1 << 1
    static let softDetect: Int32 = 1 << 2
    static let inactive: Int32 = 1 << 5
    static let advanced: Int32 = 1 << 6
}

private let statusGood = Int(SANE_STATUS_GOOD.rawValue)
private let statusEOF = Int(SANE_STATUS_EOF.rawValue)
private let statusIOError = Int(SANE_STATUS_IO_ERROR.rawValue)

/// The process-wide SANE library. `sane_init` runs once, lazily, on first use (so a test can set
/// `SANE_CONFIG_DIR` before that); every libsane call goes through one lock.
public final class SaneRuntime: @unchecked Sendable {
    public static let shared = SaneRuntime()

    private let lock = RecursiveLock()
    private var initialised = false
    /// Size of each `sane_read` request.
    static let readChunk = 64 * 1024

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
                    name: string(d.name), vendor: string(d.vendor), model: string(d.model), type: string(d.type)))
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

private func string(_ p: UnsafePointer<CChar>?) -> String {
    p.map { String(cString: $0) } ?? ""
}

// MARK: - SaneDevice

/// An open SANE device. Owns the `SANE_Handle`; `close()` or `deinit` releases it.
/// The mapping of profiles onto it lives in `DeviceScanner`.
final class SaneDevice: ScanDevice {
    let info: DeviceInfo
    private let runtime: SaneRuntime
    private var handle: SANE_Handle?

    init(runtime: SaneRuntime, handle: SANE_Handle, info: DeviceInfo) {
        self.runtime = runtime
        self.handle = handle
        self.info = info
    }

    deinit { close() }

    func close() {
        runtime.locked {
            if let handle { sane_close(handle) }
            handle = nil
        }
    }

    private func liveHandle() throws -> SANE_Handle {
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
                    group = string(d.title)
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
            index: Int(index), name: string(d.name), title: string(d.title), description: string(d.desc),
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

    // MARK: - Pages

    func readPage(index: Int, resolution: Double) throws -> Page {
        try readPage(try liveHandle(), index: index, resolution: resolution)
    }

    func cancel() {
        guard let h = handle else { return }
        runtime.locked { sane_cancel(h) }
    }

    private struct Frame {
        var format: SANE_Frame
        var width: Int
        var lines: Int
        var depth: Int
        var bytesPerLine: Int
        var data: [UInt8]
    }

    /// One page: one frame (gray/RGB) or three (red, green, blue).
    private func readPage(_ h: SANE_Handle, index: Int, resolution: Double) throws -> Page {
        var planes: [UInt32: Frame] = [:]
        while true {
            try call("sane_start", h) { sane_start(h) }
            var p = SANE_Parameters()
            try call("sane_get_parameters", h) { sane_get_parameters(h, &p) }
            var frame = try readFrame(h, p)
            if frame.depth == 16 {
                let reduced = RasterAssembly.reduce16To8(frame.data, bytesPerLine: frame.bytesPerLine, lines: frame.lines)
                frame.data = reduced.pixels
                frame.bytesPerLine = reduced.bytesPerLine
                frame.depth = 8
            }
            switch frame.format {
            case SANE_FRAME_GRAY, SANE_FRAME_RGB:
                let channels = frame.format == SANE_FRAME_RGB ? 3 : 1
                return Page(index: index, width: frame.width, height: frame.lines, depth: frame.depth, channels: channels,
                            bytesPerLine: frame.bytesPerLine, resolution: resolution, pixels: frame.data)
            case SANE_FRAME_RED, SANE_FRAME_GREEN, SANE_FRAME_BLUE:
                if frame.depth == 1 {
                    frame.data = RasterAssembly.expand1To8(frame.data, bytesPerLine: frame.bytesPerLine, width: frame.width, lines: frame.lines)
                    frame.bytesPerLine = frame.width
                    frame.depth = 8
                }
                planes[frame.format.rawValue] = frame
            default:
                throw ScanError.unsupported("\(info.name) sent an unknown frame format \(frame.format.rawValue)")
            }
            if p.last_frame != 0 { break }
        }
        guard let r = planes[SANE_FRAME_RED.rawValue], let g = planes[SANE_FRAME_GREEN.rawValue], let b = planes[SANE_FRAME_BLUE.rawValue] else {
            throw ScanError.ioError("\(info.name) ended a three-pass page without all of red, green and blue frames")
        }
        let lines = min(r.lines, g.lines, b.lines)
        let width = min(r.width, g.width, b.width)
        guard r.bytesPerLine == g.bytesPerLine, g.bytesPerLine == b.bytesPerLine else {
            throw ScanError.ioError("\(info.name) sent three-pass frames of different line lengths")
        }
        let rgb = RasterAssembly.interleave(red: r.data, green: g.data, blue: b.data, planeBytesPerLine: r.bytesPerLine,
                                            width: width, lines: lines)
        return Page(index: index, width: width, height: lines, depth: 8, channels: 3, bytesPerLine: width * 3,
                    resolution: resolution, pixels: rgb)
    }

    /// Reads one frame into one array, preallocated when the line count is known, grown when it is not.
    private func readFrame(_ h: SANE_Handle, _ p: SANE_Parameters) throws -> Frame {
        let bpl = Int(p.bytes_per_line)
        let expectedLines = Int(p.lines)
        guard bpl > 0 else { throw ScanError.ioError("\(info.name) reported \(bpl) bytes per line") }
        var data = [UInt8](repeating: 0, count: expectedLines > 0 ? bpl * expectedLines : bpl * 64)
        var filled = 0
        var scratch = [UInt8](repeating: 0, count: SaneRuntime.readChunk)
        while true {
            var got: SANE_Int = 0
            let status: SANE_Status
            if filled < data.count {
                let want = Int32(min(SaneRuntime.readChunk, data.count - filled))
                status = data.withUnsafeMutableBufferPointer { buffer in
                    runtime.locked { sane_read(h, buffer.baseAddress.map { $0 + filled }, want, &got) }
                }
            } else {
                // Array full: the announced size is reached (expect EOF now) or the height is unknown (grow).
                status = scratch.withUnsafeMutableBufferPointer { buffer in
                    runtime.locked { sane_read(h, buffer.baseAddress, Int32(buffer.count), &got) }
                }
                if Int(status.rawValue) == statusGood, got > 0 {
                    data.removeSubrange(filled...)
                    data.append(contentsOf: scratch[0..<Int(got)])
                    if expectedLines <= 0 {
                        data.append(contentsOf: [UInt8](repeating: 0, count: max(data.count / 2, SaneRuntime.readChunk)))
                    }
                }
            }
            let raw = Int(status.rawValue)
            if raw == statusEOF { break }
            guard raw == statusGood else { throw failure(raw, "sane_read") }
            filled += Int(got)
        }
        let lines = filled / bpl
        if lines == 0 {
            throw ScanError.ioError("sane_read on \(info.name): end of frame after \(filled) bytes, not one whole line (\(bpl) bytes)")
        }
        data.removeSubrange((lines * bpl)...)
        return Frame(format: p.format, width: Int(p.pixels_per_line), lines: lines, depth: Int(p.depth),
                     bytesPerLine: bpl, data: data)
    }

    private func call(_ what: String, _ h: SANE_Handle, _ body: () -> SANE_Status) throws {
        let raw = Int(runtime.locked(body).rawValue)
        guard raw == statusGood else { throw failure(raw, what) }
    }

    /// Maps a failing status; after an I/O error, asks SANE whether the device is still listed.
    private func failure(_ status: Int, _ what: String) -> ScanError {
        var gone = false
        if status == statusIOError {
            if let h = handle { runtime.locked { sane_cancel(h) } }
            gone = (try? runtime.devices(localOnly: true).contains { $0.name == info.name }) == false
        }
        return ScanError.sane(status: status, operation: "\(what) on \(info.name)", deviceGone: gone)
    }
}
