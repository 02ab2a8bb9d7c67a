public import IntakeCore
import Foundation
public import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// Encrypts a classified PDF at rest with AES-256-GCM, in chunks, so neither sealing nor
/// opening holds the document in memory (one chunk of 1 MiB at a time).
///
/// File layout: "INTKSEAL" | version 1 | chunk size (UInt32 BE) | 8-byte random nonce prefix,
/// then chunks of ciphertext + 16-byte tag. Chunk i uses nonce = prefix | i (UInt32 BE) and
/// authenticates the header plus a flag saying whether it is the last chunk, so a file cut short,
/// reordered or spliced fails to open (the STREAM construction). An empty file is one empty last chunk.
public struct AtRestCipher: Sendable {
    public static let magic: [UInt8] = Array("INTKSEAL".utf8)
    static let version: UInt8 = 1
    static let headerSize = 8 + 1 + 4 + 8
    static let tagSize = 16

    /// The key's bytes (SymmetricKey is not Sendable).
    private let keyBytes: [UInt8]
    let chunkSize: Int
    var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public init(key: SymmetricKey, chunkSize: Int = 1 << 20) {
        precondition(chunkSize > 0 && chunkSize <= Int(UInt32.max), "chunk size out of range")
        self.keyBytes = key.withUnsafeBytes { Array($0) }
        self.chunkSize = chunkSize
    }

    /// Whether the file at `path` starts like a sealed file.
    public static func isSealed(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: magic.count)).map { Array($0) == magic } ?? false
    }

    /// Encrypts `source` into a new file `destination` (mode 0600, fsynced). Returns the SHA-256
    /// of the plaintext, computed in the same pass.
    @discardableResult
    public func seal(_ source: String, to destination: String) throws(SecrecyError) -> String {
        let input = try Self.openRead(source)
        defer { close(input) }
        let output = try SealingFile(cipher: self, path: destination)
        do {
            while true {
                let chunk = try Self.readChunk(input, chunkSize, source)
                if chunk.isEmpty { break }
                try output.append(chunk)
            }
            return try output.finish()
        } catch {
            output.abandon()
            throw error
        }
    }

    /// Decrypts `source` into a new file `destination` (mode 0600); returns the plaintext's
    /// SHA-256. A wrong key, a changed byte or a cut file fails and leaves no destination behind.
    @discardableResult
    public func open(_ source: String, to destination: String) throws(SecrecyError) -> String {
        let input = try Self.openRead(source)
        defer { close(input) }
        let header = try Self.readChunk(input, Self.headerSize, source)
        guard header.count == Self.headerSize, Array(header.prefix(8)) == Self.magic, header[8] == Self.version else {
            throw SecrecyError(.sealedFileDamaged, "Tệp văn bản mật bị hỏng — báo người phụ trách kỹ thuật.", detail: "\(source): not a sealed file")
        }
        let size = Int(header[9]) << 24 | Int(header[10]) << 16 | Int(header[11]) << 8 | Int(header[12])
        guard size > 0 else { throw SecrecyError(.sealedFileDamaged, "Tệp văn bản mật bị hỏng.", detail: "\(source): chunk size 0") }
        let prefix = Array(header[13..<21])
        let output = try Self.create(destination)
        var complete = false
        defer {
            close(output)
            if !complete { unlink(destination) }
        }
        var hasher = SHA256()
        var current = try Self.readChunk(input, size + Self.tagSize, source)
        var index: UInt32 = 0
        while true {
            guard current.count >= Self.tagSize else {
                throw SecrecyError(.sealedFileDamaged, "Tệp văn bản mật bị hỏng hoặc bị cắt — báo người phụ trách kỹ thuật.",
                                   detail: "\(source): chunk \(index) too short")
            }
            let next = current.count == size + Self.tagSize ? try Self.readChunk(input, size + Self.tagSize, source) : []
            let last = next.isEmpty
            let plain: Data
            do {
                let box = try AES.GCM.SealedBox(nonce: try Self.nonce(prefix, index),
                                                ciphertext: current.prefix(current.count - Self.tagSize),
                                                tag: current.suffix(Self.tagSize))
                plain = try AES.GCM.open(box, using: key, authenticating: header + [last ? 1 : 0])
            } catch {
                throw SecrecyError(.sealedFileDamaged, "Không giải mã được văn bản mật (sai khóa hoặc tệp bị sửa) — báo người phụ trách kỹ thuật.",
                                   detail: "\(source): chunk \(index): \(error)")
            }
            hasher.update(data: plain)
            try Self.write(output, Array(plain), destination)
            if last { break }
            index += 1
            current = next
        }
        complete = true
        return Self.hex(hasher.finalize())
    }

    // MARK: - helpers

    static func nonce(_ prefix: [UInt8], _ index: UInt32) throws(SecrecyError) -> AES.GCM.Nonce {
        do {
            return try AES.GCM.Nonce(data: prefix + bigEndian(index))
        } catch {
            throw SecrecyError(.storage, "Không mã hóa được văn bản mật.", detail: "nonce: \(error)")
        }
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    private static func openRead(_ path: String) throws(SecrecyError) -> Int32 {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw SecrecyError(.storage, "Không đọc được tệp văn bản.", detail: "open \(path): \(String(cString: strerror(errno)))")
        }
        return fd
    }

    /// A new file only its owner can read, whatever the umask.
    static func create(_ path: String) throws(SecrecyError) -> Int32 {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SecrecyError(.storage, "Không ghi được tệp văn bản mật.", detail: "create \(path): \(String(cString: strerror(errno)))")
        }
        fchmod(fd, 0o600)
        return fd
    }

    /// Reads up to `count` bytes (fewer only at the end of the file).
    private static func readChunk(_ fd: Int32, _ count: Int, _ path: String) throws(SecrecyError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = buffer.withUnsafeMutableBytes { raw in raw.baseAddress.map { read(fd, $0 + filled, count - filled) } ?? 0 }
            if n < 0 {
                if errno == EINTR { continue }
                throw SecrecyError(.storage, "Không đọc được tệp văn bản.", detail: "read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            filled += n
        }
        buffer.removeSubrange(filled...)
        return buffer
    }

    static func write(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws(SecrecyError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in raw.baseAddress.map { Glibc.write(fd, $0 + written, bytes.count - written) } ?? 0 }
            if n < 0 {
                if errno == EINTR { continue }
                throw SecrecyError(.storage, "Không ghi được tệp văn bản mật (đĩa đầy?).", detail: "write \(path): \(String(cString: strerror(errno)))")
            }
            written += n
        }
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
