/// Độ mật: the secrecy grade of a document. Any grade but `none` goes to the classified book.
public enum Secrecy: String, Codable, Sendable, CaseIterable {
    case none, mat, toiMat, tuyetMat

    public var isClassified: Bool { self != .none }

    /// The label printed on the document and in the register ("" for ordinary documents).
    public var displayName: String {
        switch self {
        case .none: ""
        case .mat: "MẬT"
        case .toiMat: "TỐI MẬT"
        case .tuyetMat: "TUYỆT MẬT"
        }
    }
}
