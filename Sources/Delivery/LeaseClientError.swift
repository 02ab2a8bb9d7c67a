/// Why a lease or confirmation request to the numbering authority got no usable answer.
public struct LeaseClientError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable {
        /// No HTTP answer (offline, timed out, reset): try again later.
        case unreachable
        /// The centre answered with a refusal or an error status.
        case refused
        /// The answer was not the JSON the protocol promises.
        case malformed
    }

    public var code: Code
    public var status: Int?
    public var message: String

    public init(code: Code, status: Int? = nil, message: String) {
        self.code = code
        self.status = status
        self.message = message
    }

    public var description: String {
        status.map { "\(code.rawValue) (HTTP \($0)): \(message)" } ?? "\(code.rawValue): \(message)"
    }
}
