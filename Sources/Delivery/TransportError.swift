public import IntakeCore
/// Why a request got no usable HTTP answer.
public struct TransportError: IntakeError, Equatable {
    public enum Code: String, Sendable {
        case couldNotConnect
        case timedOut
        case tls
        case connectionReset
        case sendError
        case recvError
        case responseTooLarge
        case malformedResponse
        case fileUnreadable
        case invalidRequest
        case cancelled
        case other
    }

    public var code: Code
    /// One line a clerk understands.
    public var message: String
    /// For the technician: libcurl's code and error buffer.
    public var detail: String

    public init(code: Code, message: String, detail: String = "") {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var errorCode: String { "transport.\(code.rawValue)" }
}
