internal import IntakeCore
internal import Foundation

extension DeliveryOutcome {
    /// A request that got no HTTP answer: a file or request problem is permanent, anything on
    /// the way (connection, timeout, TLS) is transient.
    static func noAnswer(_ error: any Error, from server: String) -> DeliveryOutcome {
        if let error = error as? TransportError {
            switch error.code {
            case .fileUnreadable, .invalidRequest:
                return .permanent(status: nil, message: error.description)
            default:
                return .transient(status: nil, message: error.description, retryAfter: nil)
            }
        }
        return .transient(status: nil, message: "the request to \(server) failed: \(error)", retryAfter: nil)
    }
}

extension RetryAfter {
    /// The answer's Retry-After, read against the system clock.
    static func of(_ response: HTTPResponse) -> Duration? {
        response.headers["retry-after"].flatMap { parse($0, now: Date()) }
    }
}
