import Foundation
import Registry
import Testing

/// Numbers reserved for an imprinter (Register+Reservation.swift).
@Suite struct ReservationTests {
    @Test func aReservedNumberIsTheOneRegisteredAndNeverGivenToAnotherDocument() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        #expect(try register.register(fixture.newDocument()).number == 1)
        let reservation = try register.reserveNumber(profile: "imprint", secrecy: .none)
        #expect(reservation.number == 2 && reservation.book == "DEN")
        // Another document registered meanwhile (another profile) does not take the reserved number.
        #expect(try register.register(fixture.newDocument()).number == 3)
        var doc = try fixture.newDocument()
        doc.reservation = reservation.id
        let registered = try register.register(doc)
        #expect(registered.number == reservation.number)
        #expect(try register.openReservations().isEmpty)
        #expect(try register.register(fixture.newDocument()).number == 4)
        #expect(try register.verifyAuditChain().isValid)
    }

    @Test func aBatchFedAgainAfterAJamKeepsItsNumber() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let first = try register.reserveNumber(profile: "imprint", secrecy: .none)
        // The jam: nothing registered; the clerk feeds the same paper again.
        let again = try register.reserveNumber(profile: "imprint", secrecy: .none)
        #expect(again == first)
        var doc = try fixture.newDocument()
        doc.reservation = again.id
        #expect(try register.register(doc).number == first.number)
        // The next batch gets the next number.
        #expect(try register.reserveNumber(profile: "imprint", secrecy: .none).number == first.number + 1)
    }

    @Test func anAbandonedReservationIsVoidedWithItsReasonAndStaysInTheRegister() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let reservation = try register.reserveNumber(profile: "imprint", secrecy: .none)
        #expect(throws: RegistryError.self) { try register.voidReservation(id: reservation.id, reason: "  ") }
        try register.voidReservation(id: reservation.id, reason: "Giấy bị rách khi kẹt, không quét lại")
        let listed = try register.list(book: "DEN", year: reservation.year)
        let entry = try #require(listed.first { $0.number == reservation.number })
        #expect(entry.state == .voided)
        #expect(entry.voidReason == "Giấy bị rách khi kẹt, không quét lại")
        #expect(try register.openReservations().isEmpty)
        #expect(try register.register(fixture.newDocument()).number == reservation.number + 1)
        #expect(throws: RegistryError.self) { try register.voidReservation(id: reservation.id, reason: "again") }
        // A used or voided reservation cannot number a document.
        var doc = try fixture.newDocument()
        doc.reservation = reservation.id
        #expect(throws: RegistryError.self) { try register.register(doc) }
        #expect(try register.verifyAuditChain().isValid)
    }

    @Test func recoveryDoesNotVoidANumberThatIsReservedForPaperOnItsWay() throws {
        let fixture = try Fixture()
        let reservation: NumberReservation
        do {
            let register = try fixture.open()
            _ = try register.register(fixture.newDocument())
            reservation = try register.reserveNumber(profile: "imprint", secrecy: .none)
            _ = try register.register(fixture.newDocument())   // 3, while 2 waits for its paper
        }
        let reopened = try fixture.open()
        let report = try reopened.recover()
        #expect(report.gapsFilled.isEmpty)
        var doc = try fixture.newDocument()
        doc.reservation = reservation.id
        #expect(try reopened.register(doc).number == 2)
    }

    @Test func theClassifiedBookHasItsOwnReservations() throws {
        let fixture = try Fixture()
        let register = try fixture.open()
        let ordinary = try register.reserveNumber(profile: "imprint", secrecy: .none)
        let classified = try register.reserveNumber(profile: "imprint", secrecy: .mat)
        #expect(ordinary.book != classified.book)
        #expect(ordinary.number == 1 && classified.number == 1)
    }
}
