import IntakeCore
public import Foundation

/// Delivers by `POST {baseURL}/documents` as multipart/form-data: part "metadata" (JSON) and part
/// "file" (the PDF, streamed from disk), with `Idempotency-Key: <documentID>` so retries never make
/// a second copy at the centre.
public struct HTTPTarget: DeliveryTarget {
    public let name: String
    public let secureNetwork: Bool
    public let baseURL: String
    private let token: String?
    private let transport: any Transport
    private let now: @Sendable () -> Date

    public init(
        name: String, baseURL: String, token: String?, secureNetwork: Bool = false,
        transport: any Transport, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.secureNetwork = secureNetwork
        self.transport = transport
        self.now = now
    }

    public func deliver(_ item: DeliveryItem) async -> DeliveryOutcome {
        if item.metadata.classified && !secureNetwork {
            return .permanent(status: nil, message: Self.classifiedRefusal)
        }
        let request: HTTPRequest
        do {
            request = try makeRequest(item)
        } catch {
            return .permanent(status: nil, message: "the document's details could not be encoded: \(error)")
        }
        let response: HTTPResponse
        do {
            response = try await transport.perform(request)
        } catch let error as TransportError {
            switch error.code {
            case .fileUnreadable, .invalidRequest:
                return .permanent(status: nil, message: error.description)
            default:
                return .transient(status: nil, message: error.description, retryAfter: nil)
            }
        } catch {
            return .transient(status: nil, message: "the upload failed: \(error)", retryAfter: nil)
        }
        return outcome(for: response, item: item)
    }

    // MARK: - Request

    /// The request `deliver` sends (public for tools and tests).
    public func makeRequest(_ item: DeliveryItem) throws -> HTTPRequest {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metadata = try encoder.encode(item.metadata)
        var headers = [HTTPRequest.Header(name: "Idempotency-Key", value: item.metadata.documentID)]
        if let token {
            headers.append(.init(name: "Authorization", value: "Bearer \(token)"))
        }
        headers.append(.init(name: "Accept", value: "application/json"))
        return HTTPRequest(
            method: "POST", url: baseURL + "/documents", headers: headers,
            body: .multipart([
                MultipartPart(name: "metadata", contentType: "application/json", content: .bytes(Array(metadata))),
                MultipartPart(
                    name: "file", filename: Self.safeFileName(item.metadata.documentID) + ".pdf",
                    contentType: "application/pdf", content: .file(path: item.filePath)),
            ]))
    }

    // MARK: - Response

    /// Maps an HTTP answer to an outcome. A 2xx counts as delivered only with the receipt the
    /// protocol promises (and the document's own sha256, when the answer carries one): a captive
    /// portal's page or a proxy's bare "OK" is not the centre's word. The retry is answered from
    /// the centre's idempotency record, so nothing is stored twice.
    public func outcome(for response: HTTPResponse, item: DeliveryItem) -> DeliveryOutcome {
        let status = response.status
        let json = CentreAnswer.read(response.body)
        switch status {
        case 200..<300:
            guard let receipt = json?.receipt, !receipt.isEmpty,
                  json?.sha256.map({ $0 == item.metadata.sha256 }) ?? true
            else {
                return .transient(status: status, message: "HTTP \(status) without the centre's receipt (a captive portal or proxy on the way?): "
                                      + Self.serverMessage(response.body), retryAfter: retryAfter(response))
            }
            return .delivered(status: status, receipt: receipt)
        case 409:
            // Delivered only when the server says it holds this very document.
            if let json, json.sha256 == item.metadata.sha256 || json.sameDocument == true {
                return .delivered(status: status, receipt: json.receipt)
            }
            return .transient(status: status, message: "the central system reports a conflict: \(Self.serverMessage(response.body))", retryAfter: retryAfter(response))
        case 408, 425, 429, 500..<600:
            return .transient(status: status, message: "the central system is busy or failing (HTTP \(status)): \(Self.serverMessage(response.body))", retryAfter: retryAfter(response))
        case 400..<500:
            return .permanent(status: status, message: "the central system refused the document (HTTP \(status)): \(Self.serverMessage(response.body))")
        default:
            return .transient(status: status, message: "unexpected answer from the central system (HTTP \(status))", retryAfter: retryAfter(response))
        }
    }

    private func retryAfter(_ response: HTTPResponse) -> Duration? {
        response.headers["retry-after"].flatMap { RetryAfter.parse($0, now: now()) }
    }

    /// The server's own words: the "error"/"message" field of a JSON body, or the body's text;
    /// first 300 characters, control characters replaced, so it is safe for a log line.
    static func serverMessage(_ body: [UInt8]) -> String {
        var text = String(decoding: body, as: UTF8.self)
        if let json = CentreAnswer.read(body), let message = json.error ?? json.message {
            text = message
        }
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control || scalar == "\u{FFFD}" ? " " : scalar
        })).trimmingCharacters(in: .whitespaces)
        if cleaned.isEmpty { return "(no message)" }
        return cleaned.count > 300 ? String(cleaned.prefix(300)) + "…" : cleaned
    }

    static func safeFileName(_ id: String) -> String {
        let mapped = id.unicodeScalars.map { scalar -> Character in
            CharacterSet.alphanumerics.contains(scalar) || "-._".unicodeScalars.contains(scalar) ? Character(scalar) : "_"
        }
        let name = String(mapped)
        return name.isEmpty || name.allSatisfy({ $0 == "." }) ? "document" : name
    }
}
