internal import FoundationEssentials
internal import Glibc
internal import IntakeCore

/// Which options of one backend are scanner buttons, for the odd ones the built-in rules
/// (`ButtonKind.classify`) get wrong. Set from `[device.buttons.BACKEND]` in the config.
public struct ButtonMap: Sendable, Equatable {
    /// Options read as buttons whatever their name.
    public var watch: [String]
    /// Options never read as buttons.
    public var ignore: [String]
    /// A button-type option pressed before each read so the backend asks the device for its
    /// buttons (pixma's `button-update`, which is used by default when the device has it).
    public var refresh: String?

    public init(watch: [String] = [], ignore: [String] = [], refresh: String? = nil) {
        self.watch = watch
        self.ignore = ignore
        self.refresh = refresh
    }
}

/// What an option read while idle means. Only `.button` options are polled and only they trigger scans.
enum ButtonKind: Equatable {
    case button, sensor, setting, counter, other

    /// Buttons by the names backends give them (sane-backends source; see Tests/ScanningTests/Devices).
    static let buttonNames: Set<String> = [
        "scan", "email", "copy", "fax", "file", "ocr", "pdf", "print", "start", "stop", "function",
        "newfile", "countonly", "bypassmode", // canon_dr.c panel buttons
        "message",                           // avision.c: text the device sends when a key is used
        "button-pressed",                    // hp5590.c
    ]
    /// Feeder and device sensors: they change with the paper, never with a press.
    static let sensorNames: Set<String> = [
        "page-loaded", "cover-open", "double-feed", "dfeed", "power-save", "doc-in-adf", "adf-loaded", "card-loaded",
        "top-edge", "a3-paper", "b4-paper", "a4-paper", "b5-paper", "omr-df", "manual-feed", "ink-low", "ink-remain",
        "error-code", "skew-angle", "density", "duplex", "hopper", "adf-open", "paper-in", "adf-status",
        "adf-orientation", "original", "target", "scan-resolution", "document-type", "lamp-on", "lamp",
    ]

    static func classify(_ option: ScanOption, map: ButtonMap) -> ButtonKind {
        let n = option.name.lowercased()
        guard [.bool, .int, .string].contains(option.type), !option.name.isEmpty else { return .other }
        if map.ignore.contains(option.name) { return .other }
        if map.watch.contains(option.name) { return .button }
        if n.hasPrefix("wait-for") || n.hasPrefix("wait-") || n == "button-wait" { return .setting }
        if n.contains("counter") || n.hasSuffix("-count") { return .counter }
        if buttonNames.contains(n) || n.hasPrefix("button-") || n.hasSuffix("-button") || n.hasSuffix("-key") { return .button }
        if sensorNames.contains(n) { return .sensor }
        if option.isHardwareSelected, !option.isSettable { return .button }
        return .other
    }
}

/// Watches the button options of one device: bool buttons are pressed while they read true; int and
/// string buttons are pressed once each time their value changes to something other than idle
/// (0, "", "none"). Reads only the button options (on pixma every read can wait 300 ms).
struct ButtonWatch {
    let map: ButtonMap
    private var watched: [ScanOption]?
    private var refresh: ScanOption?
    private var last: [String: OptionValue] = [:]

    init(map: ButtonMap) { self.map = map }

    /// The names of the buttons pressed now; an int or string button also reports `name=value`,
    /// so a trigger can bind one value of it (hp5590's `button-pressed=email`).
    mutating func poll(_ device: any ScanDevice) throws -> Set<String> {
        if watched == nil {
            let all = try device.options()
            watched = all.filter { $0.isActive && $0.isReadable && ButtonKind.classify($0, map: map) == .button }
            let refreshName = map.refresh ?? "button-update"
            refresh = all.first { $0.name == refreshName && $0.type == .button && $0.isActive && $0.isSettable }
        }
        if let refresh { try device.write(.button, to: refresh) }
        var pressed = Set<String>()
        let first = last.isEmpty
        for option in watched ?? [] {
            guard let value = try device.value(of: option) else { continue }
            defer { last[option.name] = value }
            switch value {
            case .bool(true):
                pressed.insert(option.name)
            case .int, .string:
                if first || last[option.name] == value || Self.isIdle(value) { continue }
                pressed.insert(option.name)
                pressed.insert("\(option.name)=\(value)")
            default:
                continue
            }
        }
        return pressed
    }

    static func isIdle(_ value: OptionValue) -> Bool {
        switch value {
        case .int(let i): i == 0
        case .string(let s): ["", "none"].contains(s.trimmingSpaces.lowercased())
        case .bool(let b): !b
        default: true
        }
    }
}
