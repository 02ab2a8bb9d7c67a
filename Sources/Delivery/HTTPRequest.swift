/// One HTTP request as the transport sends it.
public struct HTTPRequest: Sendable {
    /// A request header, in the order given.
    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// What travels after the headers.
    public enum Body: Sendable {
        case none
        case bytes([UInt8])
        /// multipart/form-data; file parts are streamed from disk by the transport.
        case multipart([MultipartPart])
    }

    public var method: String
    public var url: String
    public var headers: [Header]
    public var body: Body

    public init(method: String, url: String, headers: [Header] = [], body: Body = .none) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
