public import IntakeCore
/// A local problem in Delivery that is not about the network: token file, document file.
public struct DeliveryError: IntakeError, Equatable {
    public enum Code: String, Sendable {
        case tokenFileUnreadable
        case tokenFileInsecure
        case tokenFileEmpty
        case fileUnreadable
        case listingUnavailable
    }

    public var code: Code
    public var message: String
    public var detail: String

    public init(code: Code, message: String, detail: String = "") {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var errorCode: String { "delivery.\(code.rawValue)" }
}
