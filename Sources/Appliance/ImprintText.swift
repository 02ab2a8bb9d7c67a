import Foundation
import IntakeCore
import Registry

/// What an imprinter prints on each sheet: endorsers print ASCII only, so the book code, the số
/// đến and the date in Vietnam time, e.g. `DEN 000123 01/12/2026`.
enum ImprintText {
    /// A text as long as a real one (six-digit number), for validating profiles.
    static let sample = "DEN 000000 01/01/2026"

    static func text(for reservation: NumberReservation) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = VietnamTime.zone
        let d = calendar.dateComponents([.day, .month, .year], from: reservation.reservedAt)
        let book = String(reservation.book.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        let number = String(reservation.number)
        let padded = String(repeating: "0", count: max(0, 6 - number.count)) + number
        return String(format: "%@ %@ %02d/%02d/%04d", book.isEmpty ? "SO" : book, padded, d.day ?? 0, d.month ?? 0, d.year ?? 0)
    }
}
