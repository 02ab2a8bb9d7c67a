/// One part of a multipart/form-data body.
public struct MultipartPart: Sendable {
    /// Where the part's bytes come from.
    public enum Content: Sendable {
        case bytes([UInt8])
        /// Read from disk while sending; never loaded whole into memory.
        case file(path: String)
    }

    public var name: String
    public var filename: String?
    public var contentType: String
    public var content: Content

    public init(name: String, filename: String? = nil, contentType: String, content: Content) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.content = content
    }
}
