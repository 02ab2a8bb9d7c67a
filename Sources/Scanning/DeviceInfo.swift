/// One scanner as SANE lists it (`sane_get_devices`).
public struct DeviceInfo: Sendable, Codable, Equatable {
    /// SANE device name, e.g. `fujitsu:fi-7160:1234` or `test:0`; changes when a USB scanner is re-plugged.
    public var name: String
    public var vendor: String
    public var model: String
    /// e.g. "flatbed scanner", "sheetfed scanner", "virtual device".
    public var type: String

    public init(name: String, vendor: String, model: String, type: String) {
        self.name = name
        self.vendor = vendor
        self.model = model
        self.type = type
    }
}
