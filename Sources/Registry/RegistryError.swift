public import IntakeCore
/// A failure of the register, with a clerk message and a technician detail.
public struct RegistryError: IntakeError, Equatable {
    public enum Code: String, Sendable, CaseIterable {
        case clockWrong, notFound, alreadyVoided, invalidField, storage, integrity, invalidState, identity, duplicate, outOfOrder, newerSchema
    }

    public var code: Code
    /// One line a clerk understands.
    public var message: String
    /// For the technician's journal.
    public var detail: String

    public init(_ code: Code, _ message: String, detail: String = "") {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var errorCode: String { "register.\(code.rawValue)" }

    static func clockWrong(_ message: String, detail: String) -> RegistryError {
        RegistryError(.clockWrong, message, detail: detail)
    }

    static func notFound(_ what: String) -> RegistryError {
        RegistryError(.notFound, "Không tìm thấy \(what) trong sổ.", detail: "not found: \(what)")
    }

    static func invalidField(_ message: String, detail: String) -> RegistryError {
        RegistryError(.invalidField, message, detail: detail)
    }

    static func storage(_ message: String, detail: String) -> RegistryError {
        RegistryError(.storage, message, detail: detail)
    }

    static func database(_ error: any Error) -> RegistryError {
        if let error = error as? RegistryError { return error }
        return RegistryError(.storage, "Không ghi được sổ đăng ký (cơ sở dữ liệu).", detail: String(describing: error))
    }
}
