/// The few things a device does by itself: describe its options, read and write one option, hand over
/// one page. `DeviceScanner` turns profiles into option writes on top of it, so the same mapping runs
/// on libsane (`SaneDevice`) and on a replayed description of a real scanner (`ReplayDevice`).
/// Not `Sendable`: its owner uses it from one thread.
protocol ScanDevice: AnyObject {
    var info: DeviceInfo { get }
    /// All options with type, unit, constraint, current value and capabilities.
    func options() throws -> [ScanOption]
    /// All options, with the values of the settable ones only: what mapping a profile needs, read
    /// again before every write. A read-only option's value can cost a round trip to the device
    /// (pixma waits up to 300 ms for its button state).
    func settableOptions() throws -> [ScanOption]
    /// The current value of one option (button polling reads only the button options).
    func value(of option: ScanOption) throws -> OptionValue?
    /// Writes a value already checked against `option`'s constraint.
    func write(_ value: OptionValue, to option: ScanOption) throws
    /// Starts the next page (`sane_start`) and reads it whole. An empty feeder throws `.noDocuments`.
    func readPage(index: Int, resolution: Double) throws -> Page
    /// Starts the next page and hands its rows over in strips as they arrive, holding at most
    /// `capacityBytes` of them. An empty feeder throws `.noDocuments`.
    func startPage(index: Int, resolution: Double, capacityBytes: Int) throws -> PageStrips
    /// Ends the current batch (`sane_cancel`).
    func cancel()
    func close()
}

extension ScanDevice {
    /// Devices that read pages whole (replayed descriptions) hand them over as strips of that page.
    func startPage(index: Int, resolution: Double, capacityBytes: Int) throws -> PageStrips {
        PageStrips(page: try readPage(index: index, resolution: resolution))
    }
}
