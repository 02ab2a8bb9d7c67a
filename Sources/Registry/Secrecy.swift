/// Độ mật: the secrecy grade of a document. Any grade but `none` goes to the classified book.
///
/// `sensitive` is not a grade of the decree: it is the class of complaints and denunciations
/// (đơn thư khiếu nại, tố cáo) that the office must keep off the ordinary system, handled like MẬT.
public enum Secrecy: String, Codable, Sendable, CaseIterable {
    case none, mat, toiMat, tuyetMat, sensitive

    public var isClassified: Bool { self != .none }

    /// The label printed on the document and in the register ("" for ordinary documents).
    public var displayName: String {
        switch self {
        case .none: ""
        case .mat: "MẬT"
        case .toiMat: "TỐI MẬT"
        case .tuyetMat: "TUYỆT MẬT"
        case .sensitive: "ĐƠN THƯ KHIẾU NẠI, TỐ CÁO"
        }
    }
}
