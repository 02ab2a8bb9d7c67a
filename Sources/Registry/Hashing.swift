import Foundation
import IntakeCore
import IntakeDigest

/// The register's hashes, all the one SHA-256 (IntakeDigest's `FileDigest`), so the register and the
/// outbox worker's corrupt-file check cannot disagree.
enum Hashing {
    static func hex(_ string: String) -> String {
        FileDigest.sha256(Array(string.utf8))
    }

    /// SHA-256 of a file, lowercase hex.
    static func file(_ path: String) throws -> String {
        do {
            return try FileDigest.sha256(path: path)
        } catch {
            throw RegistryError.storage("Không đọc được tệp văn bản.", detail: "\(error.operation) \(path): \(error.detail)")
        }
    }

    /// SHA-256 of a file whose first `digest.byteCount` bytes `digest` has already taken: only
    /// the bytes appended since are read.
    static func file(_ path: String, continuing digest: RunningDigest) throws -> String {
        do {
            return try digest.continued(overTailOf: path).hex
        } catch {
            throw RegistryError.storage("Không đọc được tệp văn bản.", detail: "\(error.operation) \(path): \(error.detail)")
        }
    }
}
