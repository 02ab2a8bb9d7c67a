/// Which Huffman tables a JPEG page is coded with.
public enum HuffmanTables: String, Sendable, CaseIterable {
    /// JPEG's Annex K example tables.
    case standard
    /// Tables optimised for each page: the last 1–8 % of size, but libjpeg keeps the whole page's
    /// DCT coefficients in memory to count them first (the profile option `jpeg_optimize = true`).
    case optimised
    /// Tables trained on document pages, shipped with the encoder: the default.
    case trained

    public static let `default` = HuffmanTables.trained
}
