/// Named paper sizes as scanners list them in `paper-size` (kvs1025.c, kvs20xx_opt.c, kvs40xx_opt.c).
enum PaperSizes {
    /// Width × height in mm by the lower-cased names devices use.
    static let sizes: [(names: [String], width: Double, height: Double)] = [
        (["a3"], 297, 420), (["a4"], 210, 297), (["a5"], 148, 210), (["a6"], 105, 148),
        (["b4"], 257, 364), (["b5"], 182, 257), (["b6"], 128, 182),
        (["letter"], 215.9, 279.4), (["legal"], 215.9, 355.6),
    ]

    /// The device's name for a size within 1 mm of width × height, if it lists one.
    static func name(width: Double, height: Double, in list: [String]) -> String? {
        for size in sizes where abs(size.width - width) <= 1 && abs(size.height - height) <= 1 {
            if let found = list.first(where: { size.names.contains($0.lowercased()) }) { return found }
        }
        return nil
    }
}
