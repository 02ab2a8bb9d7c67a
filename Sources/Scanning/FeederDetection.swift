/// Whether the device will feed sheets (scan until NO_DOCS) with its current settings, from `source`
/// when it is there and means something, else from the feeder's own switches.
enum FeederDetection {
    static func isFeeder(_ options: [ScanOption], info: DeviceInfo) -> Bool {
        func option(_ name: String) -> ScanOption? { options.first { $0.name == name && $0.isActive } }
        if let source = option("source"), source.isSettable, case .string(let s)? = source.value {
            return DeviceVocabulary.isFeeder(s)
        }
        // No usable `source` (absent as on kvs20xx, inactive as on epson2/plustek/kodakaio without a
        // feeder, read-only as kvs1025's): the feeder's own switches decide.
        if case .bool(true)? = option("duplex")?.value { return true }
        if case .bool(true)? = option("adf")?.value { return true }
        if case .string(let s)? = option("feeder-mode")?.value, !s.isEmpty { return true }
        if case .string(let s)? = option("adf-mode")?.value, !s.isEmpty { return true }
        if case .string(let s)? = options.first(where: { $0.name == "source" })?.value, DeviceVocabulary.isFeeder(s) { return true }
        return info.type.lowercased().contains("sheetfed")
    }

    /// Whether the device can feed at all (for validating an ADF profile on a device with no usable `source`).
    static func hasFeeder(_ options: [ScanOption], info: DeviceInfo) -> Bool {
        if info.type.lowercased().contains("sheetfed") { return true }
        // An inactive switch is one for hardware that is not there (kodakaio.c:2868 adf-mode without an ADF).
        return options.contains { ["duplex", "adf", "feeder-mode", "adf-mode"].contains($0.name) && $0.isActive }
            || options.contains { o in
                if case .stringList(let values) = o.constraint, o.name == "source" { return values.contains(where: DeviceVocabulary.isFeeder) }
                return false
            }
    }
}

/// The feeder's double-feed switches and sensors by the names backends give them.
enum FeederSensors {
    /// Read after JAMMED/IO_ERROR: fujitsu.c `double-feed`, kvs40xx_opt.c `dfeed`.
    static let doubleFeedSensors: [String] = ["double-feed", "dfeed", "multifeed", "multi-feed"]
}
