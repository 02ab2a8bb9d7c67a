/// The colour model of a page as stored in the output.
public enum ColorSpace: String, Sendable, Codable {
    case bilevel, gray, rgb
}
