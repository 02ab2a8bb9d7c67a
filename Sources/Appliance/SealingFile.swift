public import IntakeCore
import Crypto
import Foundation
public import Imaging
#if canImport(Glibc)
import Glibc
#endif

/// A sealed file (AtRestCipher's format) written as the bytes come: each full chunk is encrypted
/// before it is written, so the plaintext never reaches the disk — at most one chunk of it is in
/// memory. A classified scan's PDF goes straight into one (PDFWriter(sink:)), with no plain
/// staging file in between.
///
/// A chunk is sealed only once a byte after it has arrived, because the last chunk is sealed
/// with the "last" flag: the output is byte-for-byte the layout `AtRestCipher.seal` writes and
/// `AtRestCipher.open` reads.
public final class SealingFile: ByteSink {
    public let path: String
    private let cipher: AtRestCipher
    private let header: [UInt8]
    private let prefix: [UInt8]
    private var fd: Int32
    private var pending: [UInt8] = []
    private var index: UInt32 = 0
    private var hasher = SHA256()
    /// The plaintext's SHA-256 once finished.
    public private(set) var sha256: String?

    /// Creates `path` (0600, must not exist) and writes the header.
    public init(cipher: AtRestCipher, path: String) throws(SecrecyError) {
        self.cipher = cipher
        self.path = path
        var prefix = [UInt8](repeating: 0, count: 8)
        var rng = SystemRandomNumberGenerator()
        for i in prefix.indices { prefix[i] = rng.next() }
        self.prefix = prefix
        header = AtRestCipher.magic + [AtRestCipher.version] + AtRestCipher.bigEndian(UInt32(cipher.chunkSize)) + prefix
        fd = try AtRestCipher.create(path)
        pending.reserveCapacity(cipher.chunkSize * 2)
        do {
            try AtRestCipher.write(fd, header, path)
        } catch {
            abandon()
            throw error
        }
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Takes plaintext; seals and writes every chunk that is followed by more bytes.
    public func append(_ bytes: some Collection<UInt8>) throws(SecrecyError) {
        guard fd >= 0, sha256 == nil else {
            throw SecrecyError(.storage, "Không ghi được tệp văn bản mật.", detail: "\(path): written after it was finished")
        }
        pending.append(contentsOf: bytes)
        let size = cipher.chunkSize
        guard pending.count > size else { return }
        var start = 0
        while pending.count - start > size {
            try sealChunk(pending[start..<(start + size)], last: false)
            start += size
        }
        pending.removeSubrange(0..<start)
    }

    /// Seals what is left as the last chunk, fsyncs and closes; returns the plaintext's SHA-256.
    @discardableResult
    public func finish() throws(SecrecyError) -> String {
        if let sha256 { return sha256 }
        guard fd >= 0 else { throw SecrecyError(.storage, "Không ghi được tệp văn bản mật.", detail: "\(path): abandoned") }
        try sealChunk(pending[...], last: true)
        pending = []
        guard fsync(fd) == 0 else {
            throw SecrecyError(.storage, "Không ghi bền được văn bản mật.", detail: "fsync \(path): \(String(cString: strerror(errno)))")
        }
        Glibc.close(fd)
        fd = -1
        let digest = AtRestCipher.hex(hasher.finalize())
        sha256 = digest
        return digest
    }

    /// Closes and removes the file (a scan that failed half-way).
    public func abandon() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        pending = []
        unlink(path)
    }

    // MARK: - ByteSink (PDFWriter's output)

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try append(bytes)
    }

    public func close() throws {
        try finish()
    }

    private func sealChunk(_ plain: ArraySlice<UInt8>, last: Bool) throws(SecrecyError) {
        hasher.update(data: plain)
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.seal(plain, using: cipher.key, nonce: try AtRestCipher.nonce(prefix, index),
                                   authenticating: header + [last ? 1 : 0])
        } catch let error as SecrecyError {
            throw error
        } catch {
            throw SecrecyError(.storage, "Không mã hóa được văn bản mật.", detail: "AES-GCM seal: \(error)")
        }
        try AtRestCipher.write(fd, Array(box.ciphertext) + Array(box.tag), path)
        guard index < UInt32.max else { throw SecrecyError(.storage, "Văn bản quá lớn.", detail: "too many chunks") }
        index += 1
    }
}
