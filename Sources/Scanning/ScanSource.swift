/// Logical paper source of a profile; `SaneScanner.apply` maps it to the device's own source names.
public enum ScanSource: String, Sendable, Codable, CaseIterable {
    case flatbed = "Flatbed"
    case adf = "ADF"
    case adfDuplex = "ADF Duplex"
}
