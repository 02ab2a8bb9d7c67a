import Crypto
import Foundation
import IntakeCore
import IntakeDigest
import MultipartKit
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads a `multipart/form-data` upload as it arrives, with MultipartKit's streaming parser:
/// the "file" part goes straight to a temporary file (hashed on the way), the small "metadata"
/// part is kept in memory up to `metadataLimit`; nothing else is held, so a 64 MiB upload costs
/// the receiver a few chunks of memory, not 64 MiB.
struct UploadReader {
    struct Upload {
        /// The metadata part's bytes as received.
        var metadata: [UInt8]
        /// The file part, fsynced, in the temporary directory; the caller moves or removes it.
        var filePath: String
        var fileSHA256: String
        var fileBytes: Int
    }

    enum Failure: Error, CustomStringConvertible {
        case tooLarge(limit: Int)
        case malformed(String)
        case missingPart(String)
        case storage(String)

        var description: String {
            switch self {
            case .tooLarge(let limit): "the upload is larger than \(limit) bytes"
            case .malformed(let text): "the multipart body could not be read: \(text)"
            case .missingPart(let name): "the multipart part \"\(name)\" is missing"
            case .storage(let text): "the receiver could not store the document: \(text)"
            }
        }
    }

    let temporaryDirectory: String
    let maxBodyBytes: Int
    var metadataLimit = 1 << 20

    /// The boundary parameter of a `multipart/form-data; boundary=…` content type (1 to 70
    /// characters, RFC 2046), or nil.
    static func boundary(fromContentType value: String) -> String? {
        let pieces = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let kind = pieces.first, kind.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() where piece.lowercased().hasPrefix("boundary=") {
            var boundary = String(piece.dropFirst("boundary=".count))
            if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 {
                boundary = String(boundary.dropFirst().dropLast())
            }
            return boundary.isEmpty || boundary.count > 70 ? nil : boundary
        }
        return nil
    }

    /// The `name` parameter of a part's Content-Disposition (`form-data; name="file"; filename="d.pdf"`).
    static func partName(fromContentDisposition value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "name" else { continue }
            var name = pair[1]
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
            return name
        }
        return nil
    }

    func read<Body: AsyncSequence>(_ body: Body, boundary: String) async throws -> Upload where Body.Element == ByteBuffer {
        let path = temporaryDirectory + "/" + UUID().uuidString + ".part"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure.storage("cannot create \(path): \(FileFailure.errorText(errno))") }
        var kept = false
        defer {
            close(fd)
            if !kept { unlink(path) }
        }
        let collector = Collector(fd: fd, path: path, metadataLimit: metadataLimit)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in collector.header(name, value) }
        parser.onBody = { buffer in collector.body(&buffer) }
        parser.onPartComplete = { collector.partComplete() }
        var total = 0
        for try await chunk in body {
            total += chunk.readableBytes
            if total > maxBodyBytes { throw Failure.tooLarge(limit: maxBodyBytes) }
            do {
                try parser.execute(chunk)
            } catch {
                throw Failure.malformed("not multipart/form-data with boundary \(boundary)")
            }
            if let failure = collector.failure { throw failure }
        }
        for name in ["metadata", "file"] where !collector.completed.contains(name) {
            throw collector.started.contains(name)
                ? Failure.malformed("the body ended inside the part \"\(name)\"")
                : Failure.missingPart(name)
        }
        guard fsync(fd) == 0 else { throw Failure.storage("cannot flush \(path): \(FileFailure.errorText(errno))") }
        kept = true
        return Upload(metadata: collector.metadata, filePath: path,
                      fileSHA256: FileDigest.hex(collector.hasher.finalize()), fileBytes: collector.fileBytes)
    }

    /// The parser's callbacks land here: one part at a time, in order.
    private final class Collector {
        let fd: Int32
        let path: String
        let metadataLimit: Int
        var headers: [String: String] = [:]
        var current: String?
        var started: Set<String> = []
        var completed: Set<String> = []
        var metadata: [UInt8] = []
        var hasher = SHA256()
        var fileBytes = 0
        var failure: Failure?
        /// File bytes not yet written: at most one block.
        var pending: [UInt8] = []
        static let block = 256 * 1024

        init(fd: Int32, path: String, metadataLimit: Int) {
            self.fd = fd
            self.path = path
            self.metadataLimit = metadataLimit
        }

        func header(_ name: String, _ value: String) {
            headers[name.lowercased()] = value
        }

        /// Which part this is, decided at its first bytes (or its end, for an empty part).
        func begin() -> String? {
            if let current { return current }
            let name = headers["content-disposition"].flatMap(UploadReader.partName(fromContentDisposition:)) ?? ""
            if started.contains(name), name == "file" || name == "metadata" {
                failure = failure ?? .malformed("the part \"\(name)\" comes twice")
            }
            started.insert(name)
            current = name
            return name
        }

        func body(_ buffer: inout ByteBuffer) {
            guard failure == nil else { return buffer.moveReaderIndex(to: buffer.writerIndex) }
            let name = begin()
            let count = buffer.readableBytes
            switch name {
            case "file":
                // The parser hands the body over in slices that end at every CR byte (about every
                // 256 bytes of a binary file): gather them and write in 256 KiB blocks.
                buffer.withUnsafeReadableBytes { raw in
                    hasher.update(bufferPointer: raw)
                    pending.append(contentsOf: raw)
                }
                fileBytes += count
                if pending.count >= Self.block { flush() }
            case "metadata":
                if metadata.count + count > metadataLimit {
                    failure = .malformed("the metadata part is larger than \(metadataLimit) bytes")
                } else {
                    metadata.append(contentsOf: buffer.readableBytesView)
                }
            default:
                break  // parts the protocol does not name are read past, not kept
            }
            buffer.moveReaderIndex(to: buffer.writerIndex)
        }

        /// Writes what is gathered of the file part.
        func flush() {
            guard !pending.isEmpty, failure == nil else { return }
            do {
                try DurableFile.writeAll(fd, pending, path: path)
            } catch {
                failure = .storage("\(error)")
            }
            pending.removeAll(keepingCapacity: true)
        }

        func partComplete() {
            if current == "file" { flush() }
            if let name = begin() { completed.insert(name) }
            headers = [:]
            current = nil
        }
    }
}
