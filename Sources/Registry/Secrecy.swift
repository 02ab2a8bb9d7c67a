public import IntakeCore

/// Độ mật: the secrecy grade of a document. Any grade but `none` goes to the classified book.
/// `stored` is the register's spelling (StoredWord.swift), `rawValue` the JSON's; `word` the configuration's.
///
/// `sensitive` is not a grade of the decree: it is the class of complaints and denunciations
/// (đơn thư khiếu nại, tố cáo) that the office must keep off the ordinary system, handled like
/// MẬT; it ranks below MẬT so a complaint found to carry a MẬT mark can still be raised.
public enum Secrecy: String, Codable, Sendable, CaseIterable, Comparable, DomainWord {
    case none, sensitive, mat, toiMat, tuyetMat

    public static let vocabularyName = "secrecy"

    public var word: String {
        switch self {
        case .none: "none"
        case .sensitive: "sensitive"
        case .mat: "mat"
        case .toiMat: "toi_mat"
        case .tuyetMat: "tuyet_mat"
        }
    }

    public var isClassified: Bool { self != .none }

    /// Grades in increasing order of secrecy; a correction may only go up.
    public static func < (lhs: Secrecy, rhs: Secrecy) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }

    /// The label printed on the document and in the register ("" for ordinary documents).
    public var displayName: String {
        switch self {
        case .none: ""
        case .sensitive: "ĐƠN THƯ KHIẾU NẠI, TỐ CÁO"
        case .mat: "MẬT"
        case .toiMat: "TỐI MẬT"
        case .tuyetMat: "TUYỆT MẬT"
        }
    }

    /// The decree's words as the centre receives them ("" for an ordinary document);
    /// `sensitive` is named by its class of documents.
    public var decreeName: String {
        switch self {
        case .none: ""
        case .sensitive: "Đơn thư khiếu nại, tố cáo"
        case .mat: "Mật"
        case .toiMat: "Tối mật"
        case .tuyetMat: "Tuyệt mật"
        }
    }

    /// Reads a stored value; anything unknown is read as the highest grade (fails closed).
    public init(stored: String) {
        self = Secrecy.fromStored(stored) ?? .tuyetMat
    }
}
