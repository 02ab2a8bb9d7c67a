/// How an encoded page's bytes are compressed.
public enum Compression: Sendable, Equatable {
    /// CCITT Group 4 (T.6) raw strip, MSB first; black runs are ink (libtiff MinIsWhite, PDF BlackIs1 false).
    case ccittG4
    /// A baseline JFIF stream.
    case jpeg(quality: Int)
}
