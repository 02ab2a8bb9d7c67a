internal import Foundation
internal import IntakeCore

/// Delivers to paperless-ngx: `POST /api/documents/post_document/` (multipart: the PDF, title,
/// created in Vietnam time, correspondent, document type, tags, archive serial number, the số
/// đến custom field), then follows the consumption task until SUCCESS or FAILURE and records the
/// paperless document id as the receipt.
///
/// Exactly once: the ASN is derived from book, year and số đến, and paperless keeps ASNs unique.
/// A retry first follows the task it started before (its id is the resume state), then looks
/// the ASN up; only when the document is not there does it post again, and a task that fails
/// with "ASN … already exists" or "duplicate of" counts as delivered with the existing id.
public struct PaperlessTarget: DeliveryTarget {
    public let name: String
    public let secureNetwork: Bool
    public let baseURL: String
    public let mapping: PaperlessMapping
    /// How long one attempt follows a task before leaving it for the next attempt.
    public var taskTimeout: Duration
    public var pollInterval: Duration
    private let transport: any Transport
    private let headers: [HTTPRequest.Header]
    private let names: PaperlessNames

    /// Resume states this target writes: the id of the task its POST started.
    static let taskPrefix = "paperless-task:"

    public init(name: String, baseURL: String, token: String, mapping: PaperlessMapping = PaperlessMapping(),
                secureNetwork: Bool = false, taskTimeout: Duration = .seconds(300), pollInterval: Duration = .milliseconds(500),
                transport: any Transport) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.mapping = mapping
        self.secureNetwork = secureNetwork
        self.taskTimeout = taskTimeout
        self.pollInterval = pollInterval
        self.transport = transport
        // Version 9 is the newest 2.x speaks and one 3.x still accepts; both task shapes are read anyway.
        headers = [.init(name: "Authorization", value: "Token \(token)"),
                   .init(name: "Accept", value: "application/json; version=9")]
        names = PaperlessNames(baseURL: self.baseURL, headers: headers, transport: transport, createMissing: mapping.createMissing)
    }

    public func deliver(_ item: DeliveryItem) async -> DeliveryOutcome {
        if item.metadata.classified && !secureNetwork {
            return .permanent(status: nil, message: Self.classifiedRefusal)
        }
        let metadata = item.metadata
        let asn: UInt32
        do {
            asn = try mapping.archiveSerialNumber(book: metadata.book, year: metadata.year, number: metadata.number)
        } catch {
            return .permanent(status: nil, message: error.message)
        }
        do {
            // 1. A task started by an earlier attempt: follow it to its end.
            if let state = item.resumeState, state.hasPrefix(Self.taskPrefix) {
                let taskID = String(state.dropFirst(Self.taskPrefix.count))
                if let outcome = try await follow(taskID: taskID, asn: asn, knownToExist: false) { return outcome }
            }
            // 2. Already there (a lost answer, a task that finished while we were down)?
            if let existing = try await lookUp(asn: asn) { return .delivered(status: 200, receipt: String(existing)) }
            // 3. Post it and follow the new task.
            let taskID = try await post(item, asn: asn)
            do {
                try item.saveResumeState?(Self.taskPrefix + taskID)
            } catch {
                // Not fatal: without the task id a retry still finds the document by its ASN.
            }
            return try await follow(taskID: taskID, asn: asn, knownToExist: true)
                ?? .transient(status: nil, message: "paperless-ngx lost its consumption task \(taskID); looking the ASN up again next time", retryAfter: nil)
        } catch {
            return error.outcome
        }
    }

    // MARK: - Steps

    /// The paperless document holding this ASN, if any.
    func lookUp(asn: UInt32) async throws(PaperlessNames.Failure) -> Int? {
        let response = try await perform(HTTPRequest(
            method: "GET", url: "\(baseURL)/api/documents/?archive_serial_number=\(asn)&fields=id,archive_serial_number", headers: headers))
        guard response.status == 200 else { throw .init(outcome: PaperlessAnswer.failure(response, .lookUpDocument)) }
        guard let results = JSONValue.read(response.body)?["results"]?.array else {
            throw .init(outcome: .transient(status: 200, message: "paperless-ngx answered the document lookup with something that is not a page of results", retryAfter: nil))
        }
        // Older servers ignore unknown filters: trust only a row that carries this very ASN.
        return results.first { $0["archive_serial_number"]?.int == Int(asn) }.flatMap { $0["id"]?.int }
    }

    /// Posts the document; returns the task id paperless answered with.
    func post(_ item: DeliveryItem, asn: UInt32) async throws(PaperlessNames.Failure) -> String {
        let request = try await makeRequest(item, asn: asn)
        let response = try await perform(request)
        let size = (try? FileManager.default.attributesOfItem(atPath: item.filePath)[.size] as? NSNumber)?.int64Value
        guard (200..<300).contains(response.status) else {
            throw .init(outcome: PaperlessAnswer.failure(response, .postDocument, fileBytes: size))
        }
        // The answer is a JSON string: "\"3f1c…\"".
        let text = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let taskID = JSONValue.read(response.body)?.string
            ?? text.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard !taskID.isEmpty, taskID.count <= 100, taskID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw .init(outcome: .transient(status: response.status, message: "paperless-ngx accepted the upload but its answer holds no task id: \(HTTPTarget.serverMessage(response.body))", retryAfter: nil))
        }
        return taskID
    }

    /// Polls the task until it ends or `taskTimeout` passes. Nil when paperless does not know
    /// the task (and `knownToExist` is false: an old id after a reset of paperless).
    func follow(taskID: String, asn: UInt32, knownToExist: Bool) async throws(PaperlessNames.Failure) -> DeliveryOutcome? {
        let clock = ContinuousClock()
        let deadline = clock.now + taskTimeout
        let graceForUnknown = clock.now + .seconds(10)
        let url = "\(baseURL)/api/tasks/?task_id=\(PaperlessAnswer.encode(taskID))"
        while true {
            let response = try await perform(HTTPRequest(method: "GET", url: url, headers: headers))
            guard response.status == 200 else { throw .init(outcome: PaperlessAnswer.failure(response, .readTask)) }
            let tasks: [PaperlessTask]
            do {
                tasks = try PaperlessTask.parseList(response.body)
            } catch {
                throw .init(outcome: .transient(status: 200, message: "paperless-ngx task answer not understood: \(error.message)", retryAfter: nil))
            }
            if let task = tasks.first(where: { $0.id == taskID }) ?? tasks.first {
                if task.isFinished { return try await finished(task, asn: asn) }
            } else if !knownToExist || clock.now > graceForUnknown {
                return nil
            }
            if clock.now > deadline {
                return .transient(status: nil, message: "paperless-ngx is still consuming the document (task \(taskID)); following it again on the next attempt", retryAfter: nil)
            }
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                return .transient(status: nil, message: "stopped while paperless-ngx was consuming the document (task \(taskID))", retryAfter: nil)
            }
        }
    }

    private func finished(_ task: PaperlessTask, asn: UInt32) async throws(PaperlessNames.Failure) -> DeliveryOutcome {
        switch task.status {
        case .success:
            if let id = task.documentID { return .delivered(status: 200, receipt: String(id)) }
            if let id = try await lookUp(asn: asn) { return .delivered(status: 200, receipt: String(id)) }
            // Delivered only with the document id as receipt: look again on the next attempt.
            return .transient(status: 200, message: "paperless-ngx reports SUCCESS for task \(task.id) but no document has ASN \(asn) yet", retryAfter: nil)
        case .failure where task.isAlreadyThere:
            if let id = try await lookUp(asn: asn) ?? task.duplicateDocumentID { return .delivered(status: 200, receipt: String(id)) }
            return .transient(status: nil, message: "paperless-ngx says the document is already there but no document has ASN \(asn) yet: \(task.message ?? "")", retryAfter: nil)
        case .failure:
            return .permanent(status: nil, message: "paperless-ngx could not consume the document: \(Self.clean(task.message ?? "no reason given"))")
        default:
            return .transient(status: nil, message: "paperless-ngx revoked the consumption task \(task.id); posting again", retryAfter: nil)
        }
    }

    // MARK: - Request

    /// The post_document request (internal for tests).
    func makeRequest(_ item: DeliveryItem, asn: UInt32) async throws(PaperlessNames.Failure) -> HTTPRequest {
        let metadata = item.metadata
        var parts: [MultipartPart] = [
            text("title", Self.title(metadata)),
            text("archive_serial_number", String(asn)),
        ]
        if let created = Self.vietnamTime(metadata.arrivedAt) { parts.append(text("created", created)) }
        var tagNames = mapping.tags
        if let tag = mapping.urgencyTags[metadata.urgency] { tagNames.append(tag) }
        if let tag = mapping.secrecyTags[metadata.secrecy] { tagNames.append(tag) }
        var seen = Set<String>()
        for tag in tagNames where !tag.isEmpty && seen.insert(tag.lowercased()).inserted {
            parts.append(text("tags", String(try await names.id(.tag, tag))))
        }
        if mapping.correspondentFromSender, let sender = metadata.fields["sender"], !sender.isEmpty {
            let correspondent = mapping.senderCorrespondents[sender] ?? sender
            parts.append(text("correspondent", String(try await names.id(.correspondent, String(correspondent.prefix(128))))))
        }
        if let type = mapping.documentType, !type.isEmpty {
            parts.append(text("document_type", String(try await names.id(.documentType, type))))
        }
        let field = try await names.id(.customField, mapping.numberField)
        parts.append(text("custom_fields", "{\"\(field)\": \(metadata.number)}"))
        parts.append(MultipartPart(name: "document", filename: HTTPTarget.safeFileName(metadata.documentID) + ".pdf",
                                   contentType: "application/pdf", content: .file(path: item.filePath)))
        return HTTPRequest(method: "POST", url: "\(baseURL)/api/documents/post_document/", headers: headers, body: .multipart(parts))
    }

    private func text(_ name: String, _ value: String) -> MultipartPart {
        MultipartPart(name: name, contentType: "text/plain; charset=utf-8", content: .bytes(Array(value.utf8)))
    }

    /// "Đến số 12/2026 (DEN) – <trích yếu>", at most 128 characters (paperless' limit).
    static func title(_ metadata: DocumentMetadata) -> String {
        var title = "Đến số \(metadata.number)/\(metadata.year) (\(metadata.book))"
        if let summary = metadata.fields["summary"], !summary.isEmpty { title += " – " + summary }
        return String(title.prefix(128))
    }

    /// An ISO 8601 instant written in Vietnam time, e.g. 2026-12-01T08:30:00+07:00.
    static func vietnamTime(_ iso: String) -> String? {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        guard let date = parser.date(from: iso) ?? plain.date(from: iso) else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = VietnamTime.zone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func clean(_ text: String) -> String {
        HTTPTarget.serverMessage(Array(text.utf8))
    }

    private func perform(_ request: HTTPRequest) async throws(PaperlessNames.Failure) -> HTTPResponse {
        do {
            return try await transport.perform(request)
        } catch {
            throw .init(outcome: PaperlessAnswer.failure(error))
        }
    }
}
