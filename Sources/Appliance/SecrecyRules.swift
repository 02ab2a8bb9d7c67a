public import Registry

/// How the box keeps a document of each secrecy, by its declared network (Decree 30/2020 and
/// the rules on state secrets): what is scanned, what is kept and how, and what the clerk is told.
public enum SecrecyRules {
    /// How the pages of a document are kept on a box on `network`.
    /// - ordinary: kept as scanned;
    /// - TUYỆT MẬT: never scanned or kept, on any box;
    /// - MẬT, TỐI MẬT, sensitive: sealed (encrypted at rest) on the classified network, never
    ///   kept on a box that reaches the Internet.
    public static func storage(for secrecy: Secrecy, on network: NetworkPosture) -> DocumentStorage {
        switch secrecy {
        case .none: .plain
        case .tuyetMat: .none
        case .mat, .toiMat, .sensitive: network == .classified ? .sealed : .none
        }
    }

    /// What the register's note says about a document numbered without its pages.
    public static func registerNote(for secrecy: Secrecy) -> String {
        if secrecy == .tuyetMat {
            return "TUYỆT MẬT: chỉ cấp số; không quét, không lưu, không gửi bản quét."
        }
        return "\(secrecy.displayName): chỉ cấp số; máy nối Internet nên không quét, không lưu, không gửi bản quét."
    }

    /// What the clerk is told after a registration, in plain Vietnamese (`ClerkMessage`); nil
    /// for an ordinary one.
    public static func clerkNotice(for document: RegisteredDocument) -> String? {
        ClerkMessage.secrecyNotice(for: document)?.text
    }
}
