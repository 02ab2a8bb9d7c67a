/// How a registered document's pages are kept on the box.
public enum DocumentStorage: String, Codable, Sendable, CaseIterable {
    /// The PDF as it was scanned (ordinary documents).
    case plain
    /// The PDF encrypted at rest (classified documents on a box on the classified network);
    /// the register's sha256 is the sealed file's, so a changed byte is found before decryption.
    case sealed
    /// Numbered, but no page is kept or sent: classified on an Internet box, or TUYỆT MẬT.
    case none
}
