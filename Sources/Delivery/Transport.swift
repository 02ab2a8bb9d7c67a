/// Sends one HTTP request and returns the answer.
///
/// Implementations throw `TransportError` when no HTTP answer arrived (could not connect,
/// timed out, connection reset, TLS failure, oversized or malformed answer).
public protocol Transport: Sendable {
    func perform(_ request: HTTPRequest) async throws -> HTTPResponse
}
