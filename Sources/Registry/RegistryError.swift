public import IntakeCore

/// A failure of the register, with a clerk message and a technician detail.
public typealias RegistryError = CodedError<RegistryErrorCode>

public enum RegistryErrorCode: String, ErrorCodes {
    public static let family = "register"
    case clockWrong, notFound, alreadyVoided, invalidField, storage, integrity, invalidState, identity, duplicate, outOfOrder, newerSchema
    /// The ĐẾN stamp could not be drawn (or redrawn) on the document.
    case stamp
}

extension RegistryError {
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
