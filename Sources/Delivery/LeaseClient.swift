import Foundation

/// The box's side of the numbering protocol (README "Number leases") against the one target
/// marked `numbering_authority = true`: asks for blocks of số đến (`POST /leases`) and for the
/// final numbers of provisional entries (`POST /confirmations`), over the same `Transport` as
/// deliveries. Knows nothing of the register: Appliance records what it gets.
public struct LeaseClient: Sendable {
    public struct Grant: Sendable, Equatable {
        public var book: String
        public var year: Int
        public var first: Int
        public var last: Int
    }

    public struct Confirmation: Sendable, Equatable {
        /// "T-3".
        public var provisional: String
        public var number: Int
    }

    public let baseURL: String
    /// Who is asking (the register's identity): confirmations are remembered per box.
    public let box: String
    private let token: String?
    private let transport: any Transport

    public init(baseURL: String, box: String, token: String?, transport: any Transport) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.box = box
        self.token = token
        self.transport = transport
    }

    /// A block of `count` numbers. The same `requestID` gets the same block again.
    public func requestLease(book: String, year: Int, count: Int, requestID: String) async throws -> Grant {
        struct Ask: Encodable { var box: String; var book: String; var year: Int; var count: Int; var requestID: String }
        struct Answer: Decodable { var first: Int?; var last: Int? }
        let answer = try await post("/leases", Ask(box: box, book: book, year: year, count: count, requestID: requestID), Answer.self)
        guard let first = answer.first, let last = answer.last, first >= 1, last >= first, last - first + 1 == count else {
            throw LeaseClientError(code: .malformed, message: "the lease answer has no valid first/last: \(answer)")
        }
        return Grant(book: book, year: year, first: first, last: last)
    }

    /// Final numbers for provisional entries sent in arrival order: (T-number, arrival time ISO 8601).
    public func confirm(book: String, year: Int, entries: [(provisional: String, arrivedAt: String)]) async throws -> [Confirmation] {
        struct Entry: Encodable { var provisional: String; var arrivedAt: String }
        struct Ask: Encodable { var box: String; var book: String; var year: Int; var entries: [Entry] }
        struct Confirmed: Decodable { var provisional: String?; var number: Int? }
        struct Answer: Decodable { var confirmations: [Confirmed]? }
        let answer = try await post(
            "/confirmations",
            Ask(box: box, book: book, year: year, entries: entries.map { Entry(provisional: $0.provisional, arrivedAt: $0.arrivedAt) }),
            Answer.self)
        guard let list = answer.confirmations else {
            throw LeaseClientError(code: .malformed, message: "the confirmation answer has no \"confirmations\" list")
        }
        let confirmations = try list.map { item -> Confirmation in
            guard let provisional = item.provisional, let number = item.number, number >= 1 else {
                throw LeaseClientError(code: .malformed, message: "a confirmation lacks provisional/number: \(item)")
            }
            return Confirmation(provisional: provisional, number: number)
        }
        guard confirmations.map(\.provisional) == entries.map({ $0.provisional }) else {
            throw LeaseClientError(code: .malformed, message: "the confirmations do not answer the entries sent, in order")
        }
        return confirmations
    }

    private struct ErrorAnswer: Decodable { var error: String? }

    private func post<Ask: Encodable, Answer: Decodable>(_ path: String, _ body: Ask, _ answer: Answer.Type) async throws -> Answer {
        let data: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            data = try encoder.encode(body)
        } catch {
            throw LeaseClientError(code: .malformed, message: "the request could not be encoded: \(error)")
        }
        var headers = [
            HTTPRequest.Header(name: "Content-Type", value: "application/json"),
            HTTPRequest.Header(name: "Accept", value: "application/json"),
        ]
        if let token { headers.append(.init(name: "Authorization", value: "Bearer \(token)")) }
        let response: HTTPResponse
        do {
            response = try await transport.perform(HTTPRequest(method: "POST", url: baseURL + path, headers: headers, body: .bytes(Array(data))))
        } catch {
            throw LeaseClientError(code: .unreachable, message: "\(error)")
        }
        guard (200..<300).contains(response.status) else {
            let why = (try? JSONDecoder().decode(ErrorAnswer.self, from: Data(response.body)))?.error
                ?? String(decoding: response.body.prefix(200), as: UTF8.self)
            throw LeaseClientError(code: .refused, status: response.status, message: why)
        }
        do {
            return try JSONDecoder().decode(Answer.self, from: Data(response.body))
        } catch {
            throw LeaseClientError(code: .malformed, status: response.status, message: "the answer is not a JSON object")
        }
    }
}
