internal import FoundationEssentials
internal import Glibc

/// Writes down an open device as a `DeviceDescription` (`intake options DEVICE --json`).
public enum DescriptionCapture {
    /// All options as the device reports them now. With `probeRules`, every settable bool and
    /// string-list option is set to each of its values in turn, the options that change with it are
    /// recorded as rules, and the option is set back; button options are never pressed (on a real
    /// scanner one may eject paper or calibrate). Each probe leaves the device as it found it.
    public static func capture(_ scanner: any Scanner, probeRules: Bool, note: String = "") throws -> DeviceDescription {
        let baseline = try scanner.options()
        var rules: [DeviceDescription.Rule] = []
        if probeRules {
            for option in baseline where option.isActive && option.isSettable && !option.isArray {
                let alternatives: [OptionValue]
                switch (option.type, option.constraint) {
                case (.bool, _): alternatives = [.bool(true), .bool(false)]
                case (.string, .stringList(let values)): alternatives = values.map { .string($0) }
                default: continue
                }
                guard let original = option.value else { continue }
                rules += try probe(scanner, option: option, original: original, alternatives: alternatives)
            }
        }
        let info = scanner.info
        let when = Date().formatted(.iso8601)
        return DeviceDescription(
            device: info,
            source: "captured from \(info.name) (\(info.vendor) \(info.model)) by `intake options --json` at \(when)"
                + (probeRules ? ", rules probed one option at a time from the state above" : ", no rules probed")
                + "; read behaviour not captured (defaults: 3 sheets, no failures)" + (note.isEmpty ? "" : "; \(note)"),
            options: baseline.map { DeviceDescription.DescribedOption($0, source: "captured") },
            rules: rules)
    }

    /// Sets `option` to each value and back; returns one rule per value listing the state of every
    /// option that any of the values changed.
    private static func probe(_ scanner: any Scanner, option: ScanOption, original: OptionValue,
                              alternatives: [OptionValue]) throws -> [DeviceDescription.Rule] {
        let before = try scanner.options()
        var states: [(OptionValue, [ScanOption])] = []
        for value in alternatives where value != original {
            do { try scanner.setOption(option.name, to: value) } catch { continue }
            states.append((value, try scanner.options()))
        }
        try scanner.setOption(option.name, to: original)
        let restored = try scanner.options()
        states.append((original, restored))
        // A backend may leave another option where the probe moved it (the test backend's
        // hand-scanner changes the scan area): put every such value back.
        for o in restored where o.isActive && o.isSettable && !o.isArray && o.type != .button && o.name != option.name {
            guard let b = before.first(where: { $0.name == o.name }), let value = b.value, b.isActive, o.value != value else { continue }
            try? scanner.setOption(o.name, to: value)
        }
        // Options that differ (other than the probed one) in any state from the starting state.
        var changed: [String: (active: Bool, settable: Bool, constraint: Bool, value: Bool)] = [:]
        for (_, state) in states {
            for o in state where o.name != option.name {
                guard let b = before.first(where: { $0.name == o.name }) else { continue }
                var c = changed[o.name] ?? (false, false, false, false)
                if o.isActive != b.isActive { c.active = true }
                if o.isSettable != b.isSettable { c.settable = true }
                if o.constraint != b.constraint { c.constraint = true }
                if o.value != b.value, o.value != nil { c.value = true }
                if c != (false, false, false, false) { changed[o.name] = c }
            }
        }
        guard !changed.isEmpty else { return [] }
        return states.map { value, state in
            let effects = changed.keys.sorted().compactMap { name -> DeviceDescription.Effect? in
                guard let o = state.first(where: { $0.name == name }), let c = changed[name] else { return nil }
                return DeviceDescription.Effect(
                    option: name,
                    active: c.active ? o.isActive : nil,
                    settable: c.settable ? o.isSettable : nil,
                    constraint: c.constraint ? o.constraint : nil,
                    value: c.value ? o.value : nil)
            }
            return DeviceDescription.Rule(when: option.name, equals: value, effects: effects, source: "probed")
        }
    }
}
