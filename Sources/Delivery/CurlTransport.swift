import IntakeCore
internal import Dispatch
internal import Foundation

/// `Transport` over libcurl: one easy handle reused across requests (keep-alive), used by one
/// request at a time; the blocking `curl_easy_perform` runs on a private dispatch queue, never on
/// the cooperative thread pool.
public final class CurlTransport: Transport, @unchecked Sendable {
    // @unchecked: `easy` is only touched inside `lock`, on `queue`.
    public let settings: TransportSettings
    private let easy: CurlEasy
    private let lock = NSLock()
    private let queue: DispatchQueue

    public init(settings: TransportSettings = TransportSettings()) throws {
        CurlGlobal.initialiseOnce()
        guard let easy = CurlEasy() else {
            throw TransportError(code: .other, message: "the network library could not start", detail: "curl_easy_init returned NULL")
        }
        self.settings = settings
        self.easy = easy
        self.queue = DispatchQueue(label: "intake.delivery.curl")
    }

    public func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        let cancel = CancelFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                queue.async { [self] in
                    lock.lock()
                    defer { lock.unlock() }
                    continuation.resume(with: Result { try easy.perform(request, settings: settings, cancel: cancel) })
                }
            }
        } onCancel: {
            cancel.set()
        }
    }
}

/// Set from any thread when the awaiting task is cancelled; read by libcurl's progress callback.
final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

// MARK: - Per-request state reached from the C callbacks

final class ResponseSink {
    let limit: Int
    var body: [UInt8] = []
    var headers: [String: String] = [:]
    var tooLarge = false
    /// The centre's handshake carried a CertificateRequest (seen in libcurl's TLS trace).
    var certificateRequested = false
    let cancel: CancelFlag

    init(limit: Int, cancel: CancelFlag) {
        self.limit = limit
        self.cancel = cancel
    }

    func appendHeaderLine(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            headers = [:]  // a new response (after 100 Continue or a redirect) starts afresh
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = trimmed[..<colon].lowercased()
        let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        if let existing = headers[name] {
            headers[name] = existing + ", " + value
        } else {
            headers[name] = value
        }
    }
}
