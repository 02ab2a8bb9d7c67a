import Crypto
import Foundation

enum Hashing {
    static func hex(_ string: String) -> String {
        hex(digest: SHA256.hash(data: Data(string.utf8)))
    }

    static func hex(digest: SHA256.Digest) -> String {
        digest.map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }

    /// SHA-256 of a file, read in 1 MiB chunks.
    static func file(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RegistryError.storage("Không đọc được tệp văn bản.", detail: "open for hashing failed: \(path)")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        } catch {
            throw RegistryError.storage("Không đọc được tệp văn bản.", detail: "read \(path): \(error)")
        }
        return hex(digest: hasher.finalize())
    }
}
