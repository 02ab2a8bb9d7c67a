public import IntakeCore

/// Why a request got no usable HTTP answer.
public typealias TransportError = CodedError<TransportErrorCode>

public enum TransportErrorCode: String, ErrorCodes {
    public static let family = "transport"
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
