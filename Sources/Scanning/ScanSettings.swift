/// What a profile asks of the scanner. `nil` leaves the device's current value alone.
public struct ScanSettings: Sendable, Codable, Equatable {
    public var source: ScanSource?
    public var mode: ScanMode?
    /// Dots per inch.
    public var resolution: Int?
    /// Scan area measured from the top-left corner (tl-x = tl-y = 0, br-x = width, br-y = height), in mm.
    public var pageWidthMM: Double?
    public var pageHeightMM: Double?
    /// Raw device options by SANE name; each value is parsed by the option's own type.
    public var extraOptions: [String: String]
    /// Switch on the feeder's double-feed detection where the device has it (fujitsu df-*, canon_dr df-*,
    /// kvs double-feed/dfeed, hpaio multi-pick); `nil` means yes.
    public var detectDoubleFeed: Bool?
    /// Text the scanner's imprinter/endorser prints on each sheet (fujitsu endorser, canon_dr
    /// post/pre-imprint-string): printable ASCII, no `%`. `nil` switches the imprinter off.
    public var imprint: String?

    public init(
        source: ScanSource? = nil,
        mode: ScanMode? = nil,
        resolution: Int? = nil,
        pageWidthMM: Double? = nil,
        pageHeightMM: Double? = nil,
        extraOptions: [String: String] = [:],
        detectDoubleFeed: Bool? = nil,
        imprint: String? = nil
    ) {
        self.imprint = imprint
        self.detectDoubleFeed = detectDoubleFeed
        self.source = source
        self.mode = mode
        self.resolution = resolution
        self.pageWidthMM = pageWidthMM
        self.pageHeightMM = pageHeightMM
        self.extraOptions = extraOptions
    }
}
