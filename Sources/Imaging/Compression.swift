/// How an encoded page's bytes are compressed.
public enum Compression: Sendable, Equatable {
    /// CCITT Group 4 (T.6), MSB-first, 1 = black as produced by libtiff for MinIsWhite.
    case ccittG4
    /// A baseline JFIF stream.
    case jpeg(quality: Int)
}
