/// The codes of one error family: a `String` enum whose cases are the stable codes, and the
/// family's prefix ("register", "transport"), written once.
public protocol ErrorCodes: RawRepresentable, Hashable, Sendable, CaseIterable where RawValue == String {
    /// The family prefix of `errorCode`: "register" makes `.clockWrong` "register.clockWrong".
    static var family: String { get }
}

/// The one shape of a coded error: a code from its family, one line a person understands, and
/// the technician's detail. Each module names its family once
/// (`public typealias RegistryError = CodedError<RegistryErrorCode>`) and adds its factories in
/// an extension of that name.
public struct CodedError<C: ErrorCodes>: IntakeError, Equatable {
    public typealias Code = C

    public var code: Code
    /// One line a clerk (or, for technician commands, a technician) understands.
    public var message: String
    /// For the technician's journal ("" when nothing to add).
    public var detail: String

    public init(_ code: Code, _ message: String, detail: String = "") {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public init(code: Code, message: String, detail: String = "") {
        self.init(code, message, detail: detail)
    }

    public var errorCode: String { "\(Code.family).\(code.rawValue)" }
}
