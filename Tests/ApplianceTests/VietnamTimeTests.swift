import Foundation
import IntakeCore
import Testing

/// VietnamTime spells ISO 8601 without Foundation's formatter (IntakeCore links
/// FoundationEssentials only); it must say exactly what ISO8601DateFormatter says.
@Suite struct VietnamTimeTests {
    @Test(arguments: [1_764_556_200.0, 1_764_599_999.999, 1_798_761_599.5, 946_684_800.0])
    func iso8601IsFoundationsInternetDateTimeInVietnamTime(_ seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = VietnamTime.zone
        formatter.formatOptions = [.withInternetDateTime]
        #expect(VietnamTime.iso8601(date) == formatter.string(from: date))
        #expect(VietnamTime.iso8601(date).hasSuffix("+07:00"))
    }
}
