@testable import Delivery
import Foundation

/// A fake transport for unit tests: each request goes to `answer`, which may throw a
/// `TransportError` to play a dropped link; every request is recorded.
final class ScriptedTransport: Transport, @unchecked Sendable {
    private let lock = NSLock()
    private var _requests: [HTTPRequest] = []
    private let answer: @Sendable (HTTPRequest) throws -> HTTPResponse

    init(_ answer: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) {
        self.answer = answer
    }

    var requests: [HTTPRequest] { lock.withLock { _requests } }

    func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        lock.withLock { _requests.append(request) }
        return try answer(request)
    }
}

extension HTTPRequest {
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var bodyBytes: [UInt8] {
        if case .bytes(let bytes) = body { return bytes }
        return []
    }

    /// The text parts of a multipart body, by name (repeated names keep every value).
    var textParts: [String: [String]] {
        guard case .multipart(let parts) = body else { return [:] }
        var result: [String: [String]] = [:]
        for part in parts {
            if case .bytes(let bytes) = part.content { result[part.name, default: []].append(String(decoding: bytes, as: UTF8.self)) }
        }
        return result
    }
}

func json(_ object: Any, status: Int = 200) -> HTTPResponse {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed])) ?? Data()
    return HTTPResponse(status: status, headers: ["content-type": "application/json"], body: Array(data))
}

func sampleMetadata(number: Int = 7, book: String = "DEN", urgency: String = "Hỏa tốc", secrecy: String = "",
                    sender: String? = "UBND tỉnh Hà Giang") -> DocumentMetadata {
    var fields: [String: String] = ["summary": "Về việc thử nghiệm"]
    if let sender { fields["sender"] = sender }
    return DocumentMetadata(documentID: "000.00.00.H49-\(book)-2026-\(number)", organisationCode: "000.00.00.H49", book: book,
                            year: 2026, number: number, arrivedAt: "2026-12-01T08:30:00+07:00", urgency: urgency, secrecy: secrecy,
                            classified: false, pages: 2, sha256: String(repeating: "a", count: 64), fields: fields)
}

func temporaryFile(bytes: [UInt8]) throws -> String {
    let path = NSTemporaryDirectory() + "intake-unit-\(UUID().uuidString).pdf"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

/// Keeps what a target saves as its resume state, like the register does.
final class StateBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: String?
    private var _saves: [String?] = []
    init(_ value: String? = nil) { _value = value }
    var value: String? { lock.withLock { _value } }
    var saves: [String?] { lock.withLock { _saves } }
    func save(_ state: String?) { lock.withLock { _value = state; _saves.append(state) } }
}
