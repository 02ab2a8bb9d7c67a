internal import Foundation

/// How paperless-ngx answers map to outcomes: one place that knows which permission each
/// request needs, so a 403 names it, and what a 413 from a proxy means.
enum PaperlessAnswer {
    /// What a request was for: named in messages, with the Django permission it needs.
    struct Action {
        var what: String
        var permission: String

        static let lookUpDocument = Action(what: "look documents up", permission: "documents.view_document")
        static let postDocument = Action(what: "upload documents", permission: "documents.add_document")
        static let readTask = Action(what: "read consumption tasks", permission: "documents.view_paperlesstask")
        static func view(_ kind: PaperlessNames.Kind) -> Action {
            Action(what: "read \(kind.plural)", permission: "documents.view_\(kind.model)")
        }
        static func add(_ kind: PaperlessNames.Kind) -> Action {
            Action(what: "create \(kind.plural)", permission: "documents.add_\(kind.model)")
        }
    }

    /// The outcome of a non-2xx answer.
    static func failure(_ response: HTTPResponse, _ action: Action, fileBytes: Int64? = nil) -> DeliveryOutcome {
        let status = response.status
        let text = HTTPTarget.serverMessage(response.body)
        switch status {
        case 401:
            return .permanent(status: status, message: "paperless-ngx refused the API token (HTTP 401): check the target's token_file (\(text))")
        case 403:
            return .permanent(status: status, message: "the paperless-ngx user may not \(action.what): give it the permission \(action.permission) (HTTP 403: \(text))")
        case 413:
            let size = fileBytes.map { String(format: " (%.1f MB)", Double($0) / 1_000_000) } ?? ""
            return .permanent(status: status, message: "the PDF\(size) is larger than paperless-ngx or a proxy in front of it accepts (HTTP 413): raise the upload limit (e.g. nginx client_max_body_size); retrying will not help")
        case 408, 425, 429, 500..<600:
            return .transient(status: status, message: "paperless-ngx is busy or failing (HTTP \(status)) while trying to \(action.what): \(text)", retryAfter: retryAfter(response))
        case 400..<500:
            return .permanent(status: status, message: "paperless-ngx refused to \(action.what) (HTTP \(status)): \(text)")
        default:
            return .transient(status: status, message: "unexpected answer from paperless-ngx (HTTP \(status)) while trying to \(action.what)", retryAfter: retryAfter(response))
        }
    }

    static func retryAfter(_ response: HTTPResponse) -> Duration? {
        RetryAfter.of(response)
    }

    /// No HTTP answer at all.
    static func failure(_ error: any Error) -> DeliveryOutcome {
        DeliveryOutcome.noAnswer(error, from: "paperless-ngx")
    }

    /// A query-string value.
    static func encode(_ value: String) -> String {
        // ASCII only: CharacterSet.alphanumerics would let Vietnamese letters through unencoded.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
