internal import Foundation
internal import IntakeCore

/// Finds (and, when allowed, creates) the paperless-ngx objects a document is filed under —
/// tags, correspondent, document type, the số đến custom field — and remembers their ids.
final class PaperlessNames: @unchecked Sendable {
    // @unchecked: `cache` is only touched under `lock`.
    enum Kind: String, Sendable {
        case tag = "tags"
        case correspondent = "correspondents"
        case documentType = "document_types"
        case customField = "custom_fields"

        var plural: String { rawValue.replacingOccurrences(of: "_", with: " ") }
        var model: String {
            switch self {
            case .tag: "tag"
            case .correspondent: "correspondent"
            case .documentType: "documenttype"
            case .customField: "customfield"
            }
        }
    }

    /// A lookup that ended in an outcome for the delivery (permission missing, server down).
    struct Failure: Error {
        var outcome: DeliveryOutcome
    }

    private let lock = NSLock()
    private var cache: [String: Int] = [:]
    private let baseURL: String
    private let headers: [HTTPRequest.Header]
    private let transport: any Transport
    private let createMissing: Bool

    init(baseURL: String, headers: [HTTPRequest.Header], transport: any Transport, createMissing: Bool) {
        self.baseURL = baseURL
        self.headers = headers
        self.transport = transport
        self.createMissing = createMissing
    }

    /// The id of the object of `kind` called `name` (compared without regard to case).
    func id(_ kind: Kind, _ name: String) async throws(Failure) -> Int {
        let key = "\(kind.rawValue)/\(name.lowercased())"
        if let cached = lock.withLock({ cache[key] }) { return cached }
        if let found = try await find(kind, name) {
            lock.withLock { cache[key] = found }
            return found
        }
        guard createMissing else {
            throw Failure(outcome: .permanent(status: nil, message: "paperless-ngx has no \(kind.model) named '\(name)'; create it there or set create_missing = true"))
        }
        let created = try await create(kind, name)
        lock.withLock { cache[key] = created }
        return created
    }

    private func find(_ kind: Kind, _ name: String) async throws(Failure) -> Int? {
        let url = "\(baseURL)/api/\(kind.rawValue)/?name__iexact=\(PaperlessAnswer.encode(name))&page_size=25"
        let response = try await perform(HTTPRequest(method: "GET", url: url, headers: headers), .view(kind))
        guard response.status == 200 else { throw Failure(outcome: PaperlessAnswer.failure(response, .view(kind))) }
        guard let results = JSONValue.read(response.body)?["results"]?.array else {
            throw Failure(outcome: .transient(status: 200, message: "paperless-ngx answered the \(kind.plural) list with something that is not a page of results", retryAfter: nil))
        }
        let match = results.first { $0["name"]?.string?.lowercased() == name.lowercased() }
        return match.flatMap { $0["id"]?.int }
    }

    private func create(_ kind: Kind, _ name: String) async throws(Failure) -> Int {
        var body: [String: JSONValue] = ["name": .string(name)]
        switch kind {
        case .customField: body["data_type"] = .string("integer")
        default: body["matching_algorithm"] = .int(0)  // none: paperless must not file other documents under it
        }
        guard let json = try? JSONEncoder().encode(body) else {
            throw Failure(outcome: .permanent(status: nil, message: "the name '\(name)' cannot be encoded"))
        }
        let request = HTTPRequest(method: "POST", url: "\(baseURL)/api/\(kind.rawValue)/",
                                  headers: headers + [.init(name: "Content-Type", value: "application/json")], body: .bytes(Array(json)))
        let response = try await perform(request, .add(kind))
        if response.status == 201 || response.status == 200,
           let id = JSONValue.read(response.body)?["id"]?.int {
            return id
        }
        // Another box created it at the same moment: it is there now.
        if response.status == 400, let found = try await find(kind, name) { return found }
        throw Failure(outcome: PaperlessAnswer.failure(response, .add(kind)))
    }

    private func perform(_ request: HTTPRequest, _ action: PaperlessAnswer.Action) async throws(Failure) -> HTTPResponse {
        do {
            return try await transport.perform(request)
        } catch {
            throw Failure(outcome: PaperlessAnswer.failure(error))
        }
    }
}
