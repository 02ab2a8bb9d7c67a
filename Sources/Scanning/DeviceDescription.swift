/// A scanner written down: its options (as `intake options DEVICE --json` prints them), the rules by
/// which setting one option changes another, and how it reads (sheets, failures, sensors). A
/// `ReplayDevice` scans from it, so profile mapping can be tested against the vocabulary of scanners
/// this machine does not have. `source` fields say where each value came from (a capture, or a file
/// and line of sane-backends).
public struct DeviceDescription: Sendable, Codable, Equatable {
    public static let formatName = "intake-device-description/1"

    public var format: String
    public var device: DeviceInfo
    /// Where the description as a whole came from.
    public var source: String
    public var options: [DescribedOption]
    public var rules: [Rule]
    public var read: ReadBehaviour

    public init(device: DeviceInfo, source: String, options: [DescribedOption], rules: [Rule] = [], read: ReadBehaviour = ReadBehaviour()) {
        format = Self.formatName
        self.device = device
        self.source = source
        self.options = options
        self.rules = rules
        self.read = read
    }

    /// One option and where its values were taken from. Encodes flat: the option's fields plus `source`.
    public struct DescribedOption: Sendable, Codable, Equatable {
        public var option: ScanOption
        public var source: String?

        public init(_ option: ScanOption, source: String? = nil) {
            self.option = option
            self.source = source
        }

        private enum Keys: String, CodingKey { case source }

        public init(from decoder: any Decoder) throws {
            option = try ScanOption(from: decoder)
            source = try decoder.container(keyedBy: Keys.self).decodeIfPresent(String.self, forKey: .source)
        }

        public func encode(to encoder: any Encoder) throws {
            try option.encode(to: encoder)
            var c = encoder.container(keyedBy: Keys.self)
            try c.encodeIfPresent(source, forKey: .source)
        }
    }

    /// Setting option `when` to `equals` (any value when absent; any value but `unless` when that is
    /// given) changes other options.
    public struct Rule: Sendable, Codable, Equatable {
        public var when: String
        public var equals: OptionValue?
        public var unless: OptionValue?
        public var effects: [Effect]
        public var source: String?

        public init(when: String, equals: OptionValue? = nil, unless: OptionValue? = nil, effects: [Effect], source: String? = nil) {
            self.when = when
            self.equals = equals
            self.unless = unless
            self.effects = effects
            self.source = source
        }
    }

    /// What happens to one option when a rule fires. Absent fields stay as they are.
    public struct Effect: Sendable, Codable, Equatable {
        public var option: String
        public var active: Bool?
        public var settable: Bool?
        public var constraint: ScanOption.Constraint?
        public var value: OptionValue?
        /// The option's range maximum becomes the value just set and its value is clamped into it
        /// (fujitsu.c and canon_dr.c cap br-y by page-height, br-x by page-width).
        public var maxFromValue: Bool?

        public init(option: String, active: Bool? = nil, settable: Bool? = nil, constraint: ScanOption.Constraint? = nil,
                    value: OptionValue? = nil, maxFromValue: Bool? = nil) {
            self.option = option
            self.active = active
            self.settable = settable
            self.constraint = constraint
            self.value = value
            self.maxFromValue = maxFromValue
        }
    }

    /// How the device reads: sheets in its feeder, which sheet fails and how, what its sensors then say.
    public struct ReadBehaviour: Sendable, Codable, Equatable {
        /// Sheets in the feeder when the device is opened (a flatbed always gives one page).
        public var sheets: Int
        /// Failures by sheet number (1-based).
        public var failures: [Failure]
        /// Conditions under which each sheet gives two pages (front and back).
        public var duplexWhen: [Condition]
        /// Page size in mm when the device has no tl/br options.
        public var pageWidthMM: Double
        public var pageHeightMM: Double
        /// Options whose value the device reports only after this button option is written
        /// (pixma.c: button-1/button-2 after button-update).
        public var refreshedBy: [String: String]

        public init(sheets: Int = 3, failures: [Failure] = [], duplexWhen: [Condition] = [],
                    pageWidthMM: Double = 210, pageHeightMM: Double = 297, refreshedBy: [String: String] = [:]) {
            self.sheets = sheets
            self.failures = failures
            self.duplexWhen = duplexWhen
            self.pageWidthMM = pageWidthMM
            self.pageHeightMM = pageHeightMM
            self.refreshedBy = refreshedBy
        }

        private enum CodingKeys: String, CodingKey { case sheets, failures, duplexWhen, pageWidthMM, pageHeightMM, refreshedBy }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            sheets = try c.decodeIfPresent(Int.self, forKey: .sheets) ?? 3
            failures = try c.decodeIfPresent([Failure].self, forKey: .failures) ?? []
            duplexWhen = try c.decodeIfPresent([Condition].self, forKey: .duplexWhen) ?? []
            pageWidthMM = try c.decodeIfPresent(Double.self, forKey: .pageWidthMM) ?? 210
            pageHeightMM = try c.decodeIfPresent(Double.self, forKey: .pageHeightMM) ?? 297
            refreshedBy = try c.decodeIfPresent([String: String].self, forKey: .refreshedBy) ?? [:]
        }
    }

    /// One sheet that fails: the SANE status `sane_start` returns (`SANE_STATUS_JAMMED`, …) and the
    /// sensor values the device reports afterwards.
    public struct Failure: Sendable, Codable, Equatable {
        public var sheet: Int
        public var status: String
        public var sensors: [String: OptionValue]
        public var source: String?

        public init(sheet: Int, status: String, sensors: [String: OptionValue] = [:], source: String? = nil) {
            self.sheet = sheet
            self.status = status
            self.sensors = sensors
            self.source = source
        }
    }

    public struct Condition: Sendable, Codable, Equatable {
        public var option: String
        public var equals: OptionValue

        public init(option: String, equals: OptionValue) {
            self.option = option
            self.equals = equals
        }
    }
}

extension DeviceDescription {
    /// A scanner that replays this description (profile checks against a scanner that is not here).
    public func openReplay(buttons: ButtonMap = ButtonMap()) -> any Scanner {
        ReplayDevice.open(self, buttons: buttons)
    }
}
