import Delivery
import Foundation
import IntakeCore
import Testing
@testable import Registry
@testable import Appliance

/// Secrecy corrected downwards: a document registered MẬT by mistake goes back to the ordinary
/// book, inside its hold window, from its own kept pages; and what the centre is told about it.
extension SecrecyFlowTests {
    @Test func aDocumentRegisteredMatByMistakeOnAClassifiedBoxIsRegisteredAgainInTheOrdinaryBook() async throws {
        let box = try Box(.classified)
        let classified = try box.scan(secrecy: "mat")
        #expect(classified.book == "MAT" && classified.storage == .sealed)
        box.clock.advance(10)
        let outcome = try SecrecyCorrection(context: box.context)
            .correct(SecrecyCorrectionRequest(number: 1, secrecy: "none", reason: "Vào sổ mật nhầm"))
        let ordinary = outcome.document
        #expect(ordinary.book == "DEN" && ordinary.number == 1 && ordinary.secrecy == .none && ordinary.storage == .plain)
        #expect(ordinary.pages == classified.pages)
        #expect(String(decoding: try #require(FileManager.default.contents(atPath: ordinary.path)).prefix(5), as: UTF8.self) == "%PDF-",
                "the ordinary copy is the plain PDF, opened from the sealed one")
        #expect(mode(ordinary.path) & 0o007 == 0, "never world-readable")
        #expect(!FileManager.default.fileExists(atPath: classified.path), "the sealed copy is gone with its entry")
        #expect(outcome.message.contains("thành văn bản thường") && outcome.message.contains("số 1 sổ MAT đã hủy"), "\(outcome.message)")
        let voided = try #require(try box.context.register.document(id: classified.id))
        #expect(voided.state == .voided && voided.voidReason == "Đổi độ mật thành văn bản thường: Vào sổ mật nhầm")
        #expect(try box.context.register.verifyAuditChain().isValid)
        let audit = try box.context.register.unsafeStrings("SELECT detail FROM audit WHERE action = 'reclassify' AND documentID = '\(classified.id)'")
        #expect(audit.count == 1 && audit[0].contains("Vào sổ mật nhầm") && audit[0].contains("\"secrecy\":\"none\""), "\(audit)")

        box.clock.advance(3600)
        _ = try await box.worker().drainDue()
        #expect(box.partyNet.received.map(\.metadata.documentID) == [ordinary.id], "the voided classified entry is never sent")
        let sent = try #require(box.central.received.first)
        #expect(box.central.count == 1 && sent.metadata.documentID == ordinary.id)
        #expect(sent.metadata.secrecy == "" && sent.metadata.urgency == "Thường" && !sent.metadata.classified)
        #expect(sent.metadata.sha256 == ordinary.sha256)
    }

    @Test func anInternetBoxRefusesToLowerAClassifiedEntryWhosePagesItNeverKept() throws {
        let box = try Box(.internet)
        let classified = try box.scan(secrecy: "mat")
        #expect(classified.storage == .none)
        box.clock.advance(10)
        let error = #expect(throws: SecrecyError.self) {
            try SecrecyCorrection(context: box.context).correct(SecrecyCorrectionRequest(number: 1, secrecy: "none", reason: "Nhầm"))
        }
        #expect(error?.code == .pagesNotKept)
        #expect(error?.message.contains("không giữ bản quét") == true)
        #expect(try box.context.register.document(id: classified.id)?.state == .registered, "nothing changed")
        #expect(try box.context.register.list(book: "DEN").isEmpty)
    }

    @Test func loweringAfterTheHoldWindowIsRefusedAndKeepsTheSealedCopy() throws {
        let box = try Box(.classified)
        let classified = try box.scan(secrecy: "toi_mat")
        box.clock.advance(181)
        #expect(throws: RegistryError.self) {
            try SecrecyCorrection(context: box.context).correct(SecrecyCorrectionRequest(number: 1, secrecy: "none", reason: "muộn"))
        }
        #expect(try box.context.register.document(id: classified.id)?.state == .registered)
        #expect(FileManager.default.fileExists(atPath: classified.path))
        #expect(try box.context.register.list(book: "DEN").isEmpty)
    }

    @Test func anOrdinaryEntryCannotBeLoweredAndAClassifiedOneCannotBeRaisedAgain() throws {
        let box = try Box(.classified)
        try box.scan()
        try box.scan(secrecy: "mat")
        let lowering = #expect(throws: SecrecyError.self) {
            try SecrecyCorrection(context: box.context).correct(SecrecyCorrectionRequest(number: 1, book: "DEN", secrecy: "none", reason: "x"))
        }
        #expect(lowering?.code == .notAllowed)
        #expect(throws: RegistryError.self) {
            try SecrecyCorrection(context: box.context).correct(SecrecyCorrectionRequest(number: 1, book: "MAT", secrecy: "toi_mat", reason: "x"))
        }
    }

    @Test func theCentreIsToldTheArrivalInVietnamTimeAndTheDecreesWords() throws {
        let box = try Box(.internet)
        let document = try box.scan(urgency: "hoa_toc")
        let metadata = OutboxWorker.metadata(document, organisationCode: "000.00.00.H49")
        #expect(metadata.arrivedAt.hasSuffix("+07:00"), "\(metadata.arrivedAt)")
        let parsed = try #require(ISO8601DateFormatter().date(from: metadata.arrivedAt))
        #expect(abs(parsed.timeIntervalSince(document.arrivedAt)) < 1, "the same instant, written in Vietnam time")
        #expect(metadata.urgency == "Hỏa tốc" && metadata.secrecy == "")
        #expect(Urgency.allCases.map(\.decreeName) == ["Thường", "Khẩn", "Thượng khẩn", "Hỏa tốc"])
        #expect(Secrecy.allCases.map(\.decreeName) == ["", "Đơn thư khiếu nại, tố cáo", "Mật", "Tối mật", "Tuyệt mật"])
    }
}

extension SecrecyFlowTests {
    @Test func aDocumentRaisedByMistakeCanBeLoweredAgainInsideItsWindow() throws {
        let box = try Box(.classified)
        try box.scan()
        box.clock.advance(5)
        let raised = try SecrecyCorrection(context: box.context)
            .correct(SecrecyCorrectionRequest(number: 1, secrecy: "mat", reason: "Tưởng là MẬT")).document
        box.clock.advance(5)
        let lowered = try SecrecyCorrection(context: box.context)
            .correct(SecrecyCorrectionRequest(number: raised.number, secrecy: "none", reason: "Không phải MẬT")).document
        #expect(lowered.book == "DEN" && lowered.number == 2 && lowered.storage == .plain)
        let stamp = try DocumentOfRecordTests().run("pdftotext", ["-f", "1", "-l", "1", lowered.path, "-"]).output
        #expect(stamp.contains("Số: 2") && !stamp.contains("Số: 1"), "the first stamp is replaced: \(stamp)")
        #expect(try box.context.register.document(id: raised.id)?.state == .voided)
    }
}
