internal import Foundation
public import IntakeCore

/// One consumption task as `GET /api/tasks/?task_id=` describes it, read from either shape:
/// API version 9 and older (paperless-ngx 2.x): a plain JSON list, `status` upper case,
/// `related_document` and a `result` text; API version 10 (paperless-ngx 3.x): a paginated
/// object (`count`, `results`), `status` lower case, `result_data` with `document_id` or
/// `error_message`, `related_document_ids`.
public struct PaperlessTask: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case pending, started, success, failure, revoked
        case other(String)
    }

    public var id: String
    public var status: Status
    /// The paperless document this task created, when it says so.
    public var documentID: Int?
    /// `result` (v9) or `result_data.error_message` (v10): why it failed, or its success text.
    public var message: String?

    public init(id: String, status: Status, documentID: Int? = nil, message: String? = nil) {
        self.id = id
        self.status = status
        self.documentID = documentID
        self.message = message
    }

    public var isFinished: Bool {
        switch status {
        case .success, .failure, .revoked: true
        default: false
        }
    }

    /// The failure says the document is already there: an ASN that exists, or the same file.
    public var isAlreadyThere: Bool {
        guard status == .failure, let text = message?.lowercased() else { return false }
        return (text.contains("asn") && text.contains("already exists")) || text.contains("duplicate of")
            || text.contains("is a duplicate")
    }

    /// The document id named in "… duplicate of … (#12)", if any.
    public var duplicateDocumentID: Int? {
        guard let text = message, let match = text.firstMatch(of: #/\(#(\d+)\)/#) else { return nil }
        return Int(match.1)
    }

    /// Parses the body of `/api/tasks/?task_id=`; an empty list gives `[]` (not known yet).
    public static func parseList(_ body: [UInt8]) throws(PaperlessAnswerError) -> [PaperlessTask] {
        guard let json = JSONValue.read(body) else {
            throw PaperlessAnswerError(message: "the task answer is not JSON")
        }
        let rows: [JSONValue]
        if let list = json.array {
            rows = list
        } else if let results = json["results"]?.array {
            rows = results
        } else {
            throw PaperlessAnswerError(message: "the task answer is neither a list nor a page with 'results'")
        }
        return try rows.map { row throws(PaperlessAnswerError) in
            guard case .object = row else { throw PaperlessAnswerError(message: "a task in the answer is not an object") }
            return try parse(row)
        }
    }

    static func parse(_ object: JSONValue) throws(PaperlessAnswerError) -> PaperlessTask {
        guard let rawStatus = object["status"]?.string else {
            throw PaperlessAnswerError(message: "a task has no 'status'")
        }
        let status: Status = switch rawStatus.uppercased() {
        case "PENDING", "RECEIVED", "RETRY": .pending
        case "STARTED": .started
        case "SUCCESS": .success
        case "FAILURE": .failure
        case "REVOKED": .revoked
        default: .other(rawStatus)
        }
        let resultData = object["result_data"]
        var documentID = object["related_document"]?.int ?? resultData?["document_id"]?.int
            ?? object["related_document_ids"]?.array?.first?.int
        let message = object["result"]?.string ?? resultData?["error_message"]?.string
        if documentID == nil, status == .success, let message,
           let match = message.firstMatch(of: #/document id (\d+)/#) {
            documentID = Int(match.1)
        }
        return PaperlessTask(id: object["task_id"]?.string ?? "", status: status, documentID: documentID, message: message)
    }
}

/// An answer from paperless-ngx that does not have the expected shape.
public struct PaperlessAnswerError: IntakeError, Equatable {
    public var message: String
    public var errorCode: String { "delivery.paperlessAnswer" }
    public var detail: String { "" }
}
