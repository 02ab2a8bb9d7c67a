/// An open scanner. Not `Sendable`: its owner uses it from one thread.
/// Production hands in `DeviceScanner` over `SaneDevice` (via `SaneRuntime.open`); tests of higher layers hand in fakes.
public protocol Scanner: AnyObject {
    var info: DeviceInfo { get }
    /// All options with type, unit, constraint, current value and capabilities.
    func options() throws -> [ScanOption]
    /// Checks `value` against the option's constraint before setting it.
    func setOption(_ name: String, to value: OptionValue) throws
    /// Maps the logical source/mode to the device's own names and sets everything the settings ask for.
    func apply(_ settings: ScanSettings) throws
    /// Every problem the settings would meet on this device, without setting anything.
    func validate(_ settings: ScanSettings) -> [ScanError]
    /// Scans one page (flatbed) or pages until the feeder is empty (ADF), handing each to `onPage`.
    /// `shouldStop` is asked between pages. Returns the page count. An empty feeder before the first page
    /// throws `.noDocuments`; after it, it ends the batch normally. A failure mid-batch (jam, cover) throws,
    /// and the pages already handed to `onPage` stay delivered. Errors thrown by `onPage` cancel the scan
    /// and are rethrown unchanged.
    func scan(shouldStop: () -> Bool, onPage: (Page) throws -> Void) throws -> Int
    /// As `scan`, but each page is handed over as soon as it starts, its rows following in strips
    /// while the device reads (no whole-page raster). `onPage` may read the strips itself or hand
    /// them to another thread and return; the next page starts once this one is read from the device,
    /// and the reader holds at most `capacityBytes` of a page the consumer has not taken yet.
    /// A device failure mid-page (jam, cover) is thrown by the strips' `next()` and by this method.
    func scanStreaming(capacityBytes: Int, shouldStop: () -> Bool, onPage: (PageStrips) throws -> Void) throws -> Int
    /// The buttons pressed now: a bool button while it reads true; an int or string button once
    /// per change to a non-idle value, as `name` and `name=value`. Sensors, settings and counters
    /// never count (see `ButtonKind`). Reads only the button options.
    func pressedButtons() throws -> Set<String>
    /// Which options are buttons on this device's backend, beyond the built-in rules.
    func configureButtons(_ map: ButtonMap)
    func close()
}

extension Scanner {
    public func configureButtons(_ map: ButtonMap) {}

    /// Scanners that deliver whole pages (test fakes) hand each over as strips of that page.
    public func scanStreaming(capacityBytes: Int, shouldStop: () -> Bool, onPage: (PageStrips) throws -> Void) throws -> Int {
        try scan(shouldStop: shouldStop) { page in try onPage(PageStrips(page: page)) }
    }
}
