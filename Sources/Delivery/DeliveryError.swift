public import IntakeCore

/// A local problem in Delivery that is not about the network: token file, document file.
public typealias DeliveryError = CodedError<DeliveryErrorCode>

public enum DeliveryErrorCode: String, ErrorCodes {
    public static let family = "delivery"
    case tokenFileUnreadable
    case tokenFileInsecure
    case tokenFileEmpty
    case tokenFileTooLarge
    case fileUnreadable
    case listingUnavailable
}
