@testable import Delivery
import Foundation
import Testing

/// The answers recorded from a real paperless-ngx 3.0.5 (API version 10), in third_party/.
private func recorded(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("third_party/paperless-ngx/recorded-3.0.5/\(name)")
    return Array(try Data(contentsOf: url))
}

struct PaperlessTaskParsingTests {
    @Test func version10SuccessPageGivesTheDocumentID() throws {
        let tasks = try PaperlessTask.parseList(try recorded("task-success-api10.json"))
        #expect(tasks == [PaperlessTask(id: "da81988a-d638-4125-989e-d8087e370561", status: .success, documentID: 1, message: nil)])
    }

    @Test func version10DuplicateASNIsAFailureThatMeansAlreadyThere() throws {
        let tasks = try PaperlessTask.parseList(try recorded("task-duplicate-asn-api10.json"))
        #expect(tasks.count == 1)
        #expect(tasks[0].status == .failure)
        #expect(tasks[0].isAlreadyThere)
        #expect(tasks[0].message?.contains("202600001 already exists") == true)
    }

    @Test func version9PlainListWithUpperCaseStatusParses() throws {
        let tasks = try PaperlessTask.parseList(try recorded("task-duplicate-file-api9.json"))
        #expect(tasks == [PaperlessTask(id: "470fbe9b-4285-4530-af0d-2b970c3b114a", status: .success, documentID: 2,
                                        message: "Success. New document id 2 created")])
    }

    @Test func version9DuplicateFileFailureNamesTheExistingDocument() throws {
        let body = Array(#"[{"task_id":"x","status":"FAILURE","result":"scan.pdf: Not consuming scan.pdf: It is a duplicate of scan (#12).","related_document":null}]"#.utf8)
        let task = try #require(try PaperlessTask.parseList(body).first)
        #expect(task.isAlreadyThere)
        #expect(task.duplicateDocumentID == 12)
    }

    @Test func anEmptyListMeansTheTaskIsNotKnownYet() throws {
        #expect(try PaperlessTask.parseList(Array("[]".utf8)).isEmpty)
        #expect(try PaperlessTask.parseList(Array(#"{"count":0,"results":[]}"#.utf8)).isEmpty)
    }

    @Test(arguments: ["<html>", #"{"detail":"x"}"#, #"[{"task_id":"x"}]"#])
    func garbageIsATypedError(_ text: String) {
        #expect(throws: PaperlessAnswerError.self) { try PaperlessTask.parseList(Array(text.utf8)) }
    }
}

struct ArchiveSerialNumberTests {
    @Test func bookYearAndNumberMapToTheDocumentedASN() throws {
        let mapping = PaperlessMapping()
        #expect(try mapping.archiveSerialNumber(book: "DEN", year: 2026, number: 1) == 202_600_001)
        #expect(try mapping.archiveSerialNumber(book: "MAT", year: 2026, number: 1) == 1_202_600_001)
        #expect(try mapping.archiveSerialNumber(book: "DEN", year: 2027, number: 99_999) == 202_799_999)
    }

    @Test func aBookWithoutASlotOrANumberTooLargeIsRefused() {
        let mapping = PaperlessMapping()
        #expect(throws: PaperlessMappingError.self) { try mapping.archiveSerialNumber(book: "XYZ", year: 2026, number: 1) }
        #expect(throws: PaperlessMappingError.self) { try mapping.archiveSerialNumber(book: "DEN", year: 2026, number: 100_000) }
    }
}

/// A paperless-ngx played by a script: tags, correspondents, types and the custom field exist
/// with fixed ids; `documents` holds ASN → id; the task answers come from `taskAnswer`.
final class FakePaperless: @unchecked Sendable {
    let lock = NSLock()
    var documents: [Int: Int] = [:]
    var posts = 0
    var postStatus = 200
    var taskAnswer: (Int) -> HTTPResponse = { _ in json([]) }
    var lookUpStatus = 200

    func answer(_ request: HTTPRequest) -> HTTPResponse {
        lock.withLock {
            let url = request.url
            if url.contains("/api/documents/post_document/") {
                posts += 1
                if postStatus != 200 { return HTTPResponse(status: postStatus, body: Array("Insufficient permissions".utf8)) }
                return json("task-\(posts)", status: 200)
            }
            if url.contains("/api/documents/?archive_serial_number=") {
                if lookUpStatus != 200 { return HTTPResponse(status: lookUpStatus) }
                let asn = Int(url.split(separator: "=")[1].split(separator: "&")[0]) ?? -1
                let rows: [[String: Any]] = documents[asn].map { [["id": $0, "archive_serial_number": asn]] } ?? []
                return json(["count": rows.count, "results": rows])
            }
            if url.contains("/api/tasks/") { return taskAnswer(posts) }
            for (kind, id) in [("tags", 10), ("correspondents", 20), ("document_types", 30), ("custom_fields", 40)] where url.contains("/api/\(kind)/") {
                let name = url.components(separatedBy: "name__iexact=").last?.components(separatedBy: "&").first?.removingPercentEncoding ?? ""
                let nameID = id + abs(name.hashValue % 5)
                return json(["count": 1, "results": [["id": nameID, "name": name]]])
            }
            return HTTPResponse(status: 404)
        }
    }
}

struct PaperlessTargetTests {
    func target(_ fake: FakePaperless) -> (PaperlessTarget, ScriptedTransport) {
        let transport = ScriptedTransport { fake.answer($0) }
        return (PaperlessTarget(name: "pl", baseURL: "http://pl/", token: "tok", taskTimeout: .seconds(2), pollInterval: .milliseconds(10),
                                transport: transport), transport)
    }

    @Test func urgencyAndSecrecyTagsAreFoundByTheDecreesWordsTheMetadataCarries() async throws {
        for (urgency, secrecy, expected) in [("Thường", "Tối mật", ["Intake", "Tối mật"]), ("Hỏa tốc", "Mật", ["Intake", "Hỏa tốc", "Mật"]),
                                             ("Khẩn", "", ["Intake", "Khẩn"]), ("hoaToc", "mat", ["Intake"])] {
            let fake = FakePaperless()
            fake.taskAnswer = { _ in json([["task_id": "task-1", "status": "SUCCESS", "related_document": 55]]) }
            let (target, transport) = target(fake)
            let file = try temporaryFile(bytes: Array("%PDF-1.4".utf8))
            _ = await target.deliver(DeliveryItem(metadata: sampleMetadata(urgency: urgency, secrecy: secrecy), filePath: file, saveResumeState: { _ in }))
            let looked = transport.requests.map(\.url).filter { $0.contains("/api/tags/") }
                .compactMap { $0.components(separatedBy: "name__iexact=").last?.components(separatedBy: "&").first?.removingPercentEncoding }
            #expect(looked == expected, "\(urgency), \(secrecy): \(looked)")
        }
    }

    @Test func postCarriesTitleCreatedInVietnamTimeASNTagsAndTheNumberField() async throws {
        let fake = FakePaperless()
        fake.taskAnswer = { _ in json([["task_id": "task-1", "status": "SUCCESS", "related_document": 55]]) }
        let (target, transport) = target(fake)
        let file = try temporaryFile(bytes: Array("%PDF-1.4".utf8))
        let state = StateBox()
        let outcome = await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file, saveResumeState: { state.save($0) }))
        #expect(outcome == .delivered(status: 200, receipt: "55"))
        let post = try #require(transport.requests.first { $0.url.hasSuffix("/post_document/") })
        let parts = post.textParts
        #expect(parts["title"] == ["Đến số 7/2026 (DEN) – Về việc thử nghiệm"])
        #expect(parts["created"] == ["2026-12-01T08:30:00+07:00"])
        #expect(parts["archive_serial_number"] == ["202600007"])
        #expect(parts["tags"]?.count == 2)  // "Intake" and "Hỏa tốc"
        #expect(parts["correspondent"]?.count == 1)
        #expect(parts["document_type"]?.count == 1)
        let custom = try #require(parts["custom_fields"]?.first)
        #expect(custom.hasSuffix(": 7}"))
        #expect(post.header("Authorization") == "Token tok")
        #expect(post.header("Accept") == "application/json; version=9")
        #expect(state.saves == ["paperless-task:task-1"])
    }

    @Test func aDocumentAlreadyHoldingTheASNIsDeliveredWithoutPosting() async throws {
        let fake = FakePaperless()
        fake.documents[202_600_007] = 99
        let (target, _) = target(fake)
        let file = try temporaryFile(bytes: Array("%PDF".utf8))
        #expect(await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file)) == .delivered(status: 200, receipt: "99"))
        #expect(fake.posts == 0)
    }

    @Test func aResumedTaskIsFollowedInsteadOfPostingAgain() async throws {
        let fake = FakePaperless()
        fake.taskAnswer = { _ in json(["count": 1, "results": [["task_id": "old", "status": "success", "result_data": ["document_id": 31]]]]) }
        let (target, _) = target(fake)
        let file = try temporaryFile(bytes: Array("%PDF".utf8))
        let outcome = await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file, resumeState: "paperless-task:old"))
        #expect(outcome == .delivered(status: 200, receipt: "31"))
        #expect(fake.posts == 0)
    }

    @Test func aFailedTaskSayingASNExistsIsDeliveredWithTheExistingID() async throws {
        let fake = FakePaperless()
        fake.taskAnswer = { _ in
            fake.documents[202_600_007] = 8  // the earlier upload finished meanwhile
            return json([["task_id": "task-1", "status": "FAILURE", "result": "Not consuming x.pdf: Given ASN 202600007 already exists!"]])
        }
        let (target, _) = target(fake)
        let file = try temporaryFile(bytes: Array("%PDF".utf8))
        #expect(await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file)) == .delivered(status: 200, receipt: "8"))
    }

    @Test func anOtherFailureWaitsForATechnician() async throws {
        let fake = FakePaperless()
        fake.taskAnswer = { _ in json([["task_id": "task-1", "status": "FAILURE", "result": "Unsupported mime type"]]) }
        let (target, _) = target(fake)
        let file = try temporaryFile(bytes: Array("%PDF".utf8))
        guard case .permanent(_, let message) = await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file)) else {
            Issue.record("expected permanent"); return
        }
        #expect(message.contains("Unsupported mime type"))
    }

    @Test func aTaskStillRunningAtTheTimeoutIsRetriedLater() async throws {
        let fake = FakePaperless()
        fake.taskAnswer = { _ in json([["task_id": "task-1", "status": "STARTED"]]) }
        let (target, _) = target(fake)
        let file = try temporaryFile(bytes: Array("%PDF".utf8))
        guard case .transient = await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file)) else {
            Issue.record("expected transient"); return
        }
    }

    @Test(arguments: [(401, "token_file"), (403, "documents.add_document"), (413, "upload limit")])
    func refusedUploadsArePermanentAndSayWhy(_ status: Int, _ words: String) async throws {
        let fake = FakePaperless()
        fake.postStatus = status
        let (target, _) = target(fake)
        let file = try temporaryFile(bytes: Array("%PDF".utf8))
        guard case .permanent(let got, let message) = await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file)) else {
            Issue.record("expected permanent"); return
        }
        #expect(got == status)
        #expect(message.contains(words))
    }

    @Test func aLookupForbiddenNamesTheViewPermission() async throws {
        let fake = FakePaperless()
        fake.lookUpStatus = 403
        let (target, _) = target(fake)
        let file = try temporaryFile(bytes: Array("%PDF".utf8))
        guard case .permanent(_, let message) = await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file)) else {
            Issue.record("expected permanent"); return
        }
        #expect(message.contains("documents.view_document"))
    }

    @Test func aServerErrorIsTransient() async throws {
        let fake = FakePaperless()
        fake.postStatus = 502
        let (target, _) = target(fake)
        let file = try temporaryFile(bytes: Array("%PDF".utf8))
        guard case .transient(let status, _, _) = await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file)) else {
            Issue.record("expected transient"); return
        }
        #expect(status == 502)
    }
}
