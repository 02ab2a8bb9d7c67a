import IntakeCore
import Foundation

/// `GET {baseURL}/documents`: what the central system says it holds, as the reference receiver
/// (intake-receiver) lists it — a JSON array of objects with a `metadata` object. Used after a
/// restore to learn numbers given after the backup was taken.
public struct CentreListing: Sendable {
    public let baseURL: String
    private let token: String?
    private let transport: any Transport

    public init(baseURL: String, token: String?, transport: any Transport) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.transport = transport
    }

    /// The metadata of every document the centre holds; throws when it cannot be asked or answers
    /// something else than the listing.
    public func documents() async throws -> [DocumentMetadata] {
        var headers = [HTTPRequest.Header(name: "Accept", value: "application/json")]
        if let token { headers.append(.init(name: "Authorization", value: "Bearer \(token)")) }
        let response = try await transport.perform(HTTPRequest(method: "GET", url: baseURL + "/documents", headers: headers))
        guard response.status == 200 else {
            throw DeliveryError(code: .listingUnavailable, message: "the centre did not list its documents",
                                detail: "GET \(baseURL)/documents answered HTTP \(response.status)")
        }
        struct Entry: Decodable { var metadata: DocumentMetadata? }
        struct Wrapped: Decodable { var documents: [Entry] }
        do {
            let body = Data(response.body)
            let entries: [Entry]
            if let list = try? JSONDecoder().decode([Entry].self, from: body) {
                entries = list
            } else {
                entries = try JSONDecoder().decode(Wrapped.self, from: body).documents
            }
            return entries.compactMap(\.metadata)
        } catch {
            throw DeliveryError(code: .listingUnavailable, message: "the centre's document list could not be read",
                                detail: "GET \(baseURL)/documents: \(error)")
        }
    }
}
