import IntakeCore
import Foundation
import Registry
import Testing

@Suite struct NumberingTests {
    @Test func numbersStayConsecutiveAcrossRestart() throws {
        let fixture = try Fixture()
        do {
            let register = try fixture.open()
            for expected in 1...3 {
                #expect(try register.register(fixture.newDocument()).number == expected)
            }
        }
        let reopened = try fixture.open()
        let fourth = try reopened.register(fixture.newDocument())
        #expect(fourth.number == 4)
        #expect(fourth.id.hasPrefix("000.00.00.H49-DEN-2026-000004-"))
        #expect(FileManager.default.fileExists(atPath: fourth.path))
        #expect(fourth.path.hasPrefix(fixture.documents + "/2026/"))
        #expect(try reopened.lastNumbers() == [LastNumber(book: "DEN", year: 2026, number: 4)])
    }

    @Test func twoHundredConcurrentRegistrationsGetOneToTwoHundred() async throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let documents = try (0..<200).map { _ in try fixture.newDocument() }
        let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
            for doc in documents {
                group.addTask { try register.register(doc).number }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(numbers.sorted() == Array(1...200))
        #expect(try register.verifyAuditChain().isValid)
    }

    @Test func newYearRestartsNumberingAtOne() throws {
        let fixture = try Fixture(start: vn(2026, 12, 31, 23, 58))
        let register = try fixture.open()
        #expect(try register.register(fixture.newDocument()).number == 1)
        #expect(try register.register(fixture.newDocument()).number == 2)
        fixture.clock.set(vn(2027, 1, 1, 0, 1))
        let first2027 = try register.register(fixture.newDocument())
        #expect(first2027.year == 2027)
        #expect(first2027.number == 1)
        #expect(first2027.path.contains("/2027/"))
        #expect(try register.lastNumbers().map(\.number) == [2, 1])
    }

    @Test(arguments: [Secrecy.mat, .toiMat, .tuyetMat])
    func classifiedDocumentsGoToTheClassifiedBookWithItsOwnSequence(secrecy: Secrecy) throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        _ = try register.register(fixture.newDocument())
        _ = try register.register(fixture.newDocument())
        let secret = try register.register(fixture.newDocument(secrecy: secrecy, targets: []))
        #expect(secret.book == "MAT")
        #expect(secret.number == 1)
        #expect(secret.secrecy == secrecy)
        #expect(try register.register(fixture.newDocument()).number == 3)
    }

    @Test func voidedEntryStaysWithItsReasonAndNumberingContinues() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        _ = try register.register(fixture.newDocument())
        let spoiled = try register.register(fixture.newDocument())
        try register.void(book: "DEN", year: 2026, number: 2, reason: "Quét thiếu trang")
        #expect(try register.register(fixture.newDocument()).number == 3)
        let voided = try #require(try register.document(id: spoiled.id))
        #expect(voided.state == .voided)
        #expect(voided.voidReason == "Quét thiếu trang")
        #expect(try register.list(book: "DEN", year: 2026, from: nil, to: nil).map(\.number) == [1, 2, 3])
        #expect(throws: RegistryError.self) {
            try register.void(book: "DEN", year: 2026, number: 2, reason: "again")
        }
        #expect(throws: RegistryError.self) {
            try register.void(book: "DEN", year: 2026, number: 1, reason: "   ")
        }
        // The voided document's delivery is held, never sent.
        #expect(try register.queue(states: [.held]).map(\.documentID) == [spoiled.id])
    }

    @Test func clockEarlierThanLastRegistrationRefusesNumbering() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        _ = try register.register(fixture.newDocument())
        fixture.clock.set(vn(2026, 3, 9))
        let status = try register.clockCheck()
        #expect(status.verdict == .beforeLastRegistration)
        #expect(status.message.contains("sớm hơn lần đăng ký cuối"))
        let doc = try fixture.newDocument()
        do {
            _ = try register.register(doc)
            Issue.record("registration with a wrong clock succeeded")
        } catch let error as RegistryError {
            #expect(error.code == .clockWrong)
        }
        // Nothing numbered, the caller still has its file.
        #expect(FileManager.default.fileExists(atPath: doc.stagedFile))
        #expect(try register.lastNumbers().map(\.number) == [1])
    }

    @Test func clockBeforeBuildYearRefusesNumbering() throws {
        let fixture = try Fixture(start: vn(2019, 1, 1))
        let register = try fixture.open()
        let status = try register.clockCheck()
        #expect(status.verdict == .beforeBuildYear)
        #expect(status.message.contains("2019"))
        let error = #expect(throws: RegistryError.self) { try register.register(fixture.newDocument()) }
        #expect(error?.code == .clockWrong)
        #expect(try register.lastNumbers().isEmpty)
    }

    @Test func storedFileMatchesItsChecksum() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let doc = try fixture.newDocument()
        let original = try Data(contentsOf: URL(fileURLWithPath: doc.stagedFile))
        let registered = try register.register(doc)
        #expect(!FileManager.default.fileExists(atPath: doc.stagedFile))
        #expect(try Data(contentsOf: URL(fileURLWithPath: registered.path)) == original)
        #expect(registered.sha256.count == 64)
    }

    @Test func inMemoryRegisterNumbersToo() throws {
        let fixture = try Fixture()
        let register = try Register.inMemory(configuration: fixture.configuration, clock: fixture.clock)
        #expect(try register.register(fixture.newDocument()).number == 1)
        #expect(try register.register(fixture.newDocument()).number == 2)
    }
}
