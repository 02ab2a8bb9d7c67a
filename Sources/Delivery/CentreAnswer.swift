internal import Foundation

/// What a centre (or a proxy on the way) answered, read leniently: each field is taken only when
/// it is there with the right type, so a body that is not the centre's JSON reads as empty.
struct CentreAnswer: Decodable {
    var receipt: String?
    var sha256: String?
    var sameDocument: Bool?
    var error: String?
    var message: String?

    private enum Key: String, CodingKey { case receipt, sha256, sameDocument, error, message }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        receipt = try? container.decodeIfPresent(String.self, forKey: .receipt)
        sha256 = try? container.decodeIfPresent(String.self, forKey: .sha256)
        sameDocument = try? container.decodeIfPresent(Bool.self, forKey: .sameDocument)
        error = try? container.decodeIfPresent(String.self, forKey: .error)
        message = try? container.decodeIfPresent(String.self, forKey: .message)
    }

    /// nil when the body is not a JSON object.
    static func read(_ body: [UInt8]) -> CentreAnswer? {
        try? JSONDecoder().decode(CentreAnswer.self, from: Data(body))
    }
}
