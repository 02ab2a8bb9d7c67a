public import Scanning

extension Configuration {
    /// Which options of one SANE backend are buttons, beyond the built-in rules
    /// (`[device.buttons.pixma]` with `watch`, `ignore`, `refresh`).
    public struct ButtonRules: Sendable, Equatable {
        /// Options read as buttons whatever their name.
        public var watch: [String] = []
        /// Options never read as buttons (say a sensor the built-in rules take for a button).
        public var ignore: [String] = []
        /// A button-type option pressed before each poll (pixma's `button-update` is used by default).
        public var refresh: String?

        public init(watch: [String] = [], ignore: [String] = [], refresh: String? = nil) {
            self.watch = watch
            self.ignore = ignore
            self.refresh = refresh
        }

        public var buttonMap: ButtonMap { ButtonMap(watch: watch, ignore: ignore, refresh: refresh) }
    }
}

extension Configuration.Device {
    /// The button map for a SANE device name such as `pixma:04A9176C_123456` (its backend is `pixma`).
    public func buttonMap(forDevice name: String) -> ButtonMap {
        let backend = name.split(separator: ":").first.map(String.init) ?? name
        return buttons[backend]?.buttonMap ?? ButtonMap()
    }
}
