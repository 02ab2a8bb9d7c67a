import IntakeCore
import Foundation
import GRDB

extension Register {
    /// Cuts a copy of a registered PDF back to the scan as it was before its ĐẾN stamp, using
    /// the size and hash its registration's audit entry recorded (`scan_bytes`, `scan_sha256`),
    /// so the document can be registered, and stamped, again under another number. A file that
    /// was registered without a stamp is left as it is.
    func restoreScannedCopy(at path: String, documentID: String) throws {
        let text = try read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT detail FROM audit WHERE documentID = ? AND action IN ('register', 'recover-register', 'attach')
                    ORDER BY seq DESC LIMIT 1
                    """,
                arguments: [documentID])
        }
        guard let text, let detail = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)),
              let bytes = detail["scan_bytes"].flatMap(Int.init), let sha256 = detail["scan_sha256"]
        else { return }
        guard let size = try? DocumentFiles.size(path), size >= bytes, truncate(path, off_t(bytes)) == 0 else {
            throw RegistryError.storage("Không tách được dấu ĐẾN cũ khỏi văn bản.", detail: "truncate \(path) to \(bytes): errno \(errno)")
        }
        guard try Hashing.file(path) == sha256 else {
            throw RegistryError(
                .integrity, "Bản quét gốc của văn bản không còn khớp với sổ — gọi kỹ thuật viên.",
                detail: "\(documentID): the first \(bytes) bytes of its PDF do not hash to the scan_sha256 recorded at registration")
        }
    }
}
