internal import IntakeCore
internal import Foundation
internal import Crypto

/// Delivers by the tus 1.0.0 resumable-upload protocol (https://tus.io/protocols/resumable-upload):
/// OPTIONS to learn the server's extensions and maximum size, POST (creation) with Upload-Length
/// and Upload-Metadata, then PATCH in chunks with Upload-Offset. The upload URL is stored through
/// `DeliveryItem.saveResumeState` before the first PATCH, so after a crash, a restart or a dropped
/// link the next attempt asks HEAD for the server's offset and sends only what is missing.
public struct TusTarget: DeliveryTarget {
    public let name: String
    public let secureNetwork: Bool
    /// The creation URL (where POST makes new uploads), e.g. https://host/files/.
    public let endpoint: String
    /// Bytes per PATCH request.
    public let chunkSize: Int
    /// Dropped links in a row without progress before the attempt gives up (the outbox retries later).
    public var maxFailuresWithoutProgress = 3
    /// Pause before asking again after 409, 423 or a dropped link: the server may still be
    /// saving what it received on the dropped connection.
    public var pause: Duration = .seconds(1)
    let transport: any Transport
    let headers: [HTTPRequest.Header]

    static let statePrefix = "tus:"
    static let version = "1.0.0"

    public init(name: String, endpoint: String, token: String? = nil, chunkSize: Int = 1 << 20,
                secureNetwork: Bool = false, transport: any Transport) {
        precondition(chunkSize > 0, "tus chunk size must be positive")
        self.name = name
        self.endpoint = endpoint
        self.chunkSize = chunkSize
        self.secureNetwork = secureNetwork
        self.transport = transport
        // A fresh connection per request: libcurl silently resends a whole request once when a
        // reused connection turns out dead, which after a dropped link would PATCH a chunk at an
        // offset the server has already moved past (409, and the chunk's bytes wasted).
        var headers = [HTTPRequest.Header(name: "Tus-Resumable", value: Self.version),
                       HTTPRequest.Header(name: "Connection", value: "close")]
        if let token { headers.append(.init(name: "Authorization", value: "Bearer \(token)")) }
        self.headers = headers
    }

    /// What OPTIONS told us.
    struct Capabilities: Equatable {
        var extensions: Set<String> = []
        var maxSize: Int64?
        /// The checksum algorithm we use, when the server offers one we know.
        var checksum: String?
    }

    /// An attempt that ends now with this outcome.
    struct Stop: Error {
        var outcome: DeliveryOutcome
    }

    public func deliver(_ item: DeliveryItem) async -> DeliveryOutcome {
        if item.metadata.classified && !secureNetwork {
            return .permanent(status: nil, message: Self.classifiedRefusal)
        }
        let file: TusSourceFile
        do {
            file = try TusSourceFile(path: item.filePath)
        } catch {
            return .permanent(status: nil, message: "\(error)")
        }
        do {
            return try await upload(item, file: file)
        } catch let stop as Stop {
            return stop.outcome
        } catch {
            return .transient(status: nil, message: "the tus upload failed: \(error)", retryAfter: nil)
        }
    }

    private func upload(_ item: DeliveryItem, file: TusSourceFile) async throws -> DeliveryOutcome {
        let capabilities = try await options()
        if let max = capabilities.maxSize, file.size > max {
            return .permanent(status: nil, message: "the PDF (\(file.size) bytes) is larger than the tus server accepts (Tus-Max-Size \(max))")
        }
        var url: String? = item.resumeState.flatMap { $0.hasPrefix(Self.statePrefix) ? String($0.dropFirst(Self.statePrefix.count)) : nil }
        var offset: Int64 = 0
        var newUploads = 0
        var failures = 0
        var checksumRetries = 0
        var needHead = url != nil
        while true {
            if Task.isCancelled { throw Stop(outcome: .transient(status: nil, message: "the tus upload was stopped; it resumes next time", retryAfter: nil)) }
            if url == nil {
                newUploads += 1
                guard newUploads <= 2 else {
                    throw Stop(outcome: .transient(status: nil, message: "the tus server keeps losing the upload; starting again later", retryAfter: nil))
                }
                let created = try await create(item, size: file.size)
                do {
                    try item.saveResumeState?(Self.statePrefix + created)
                } catch {
                    throw Stop(outcome: .transient(status: nil, message: "the upload address could not be stored in the register (\(error)); not sending", retryAfter: nil))
                }
                url = created
                offset = 0
                needHead = false
            }
            guard let current = url else { continue }
            if needHead {
                do {
                    switch try await settledOffset(current, size: file.size) {
                    case .offset(let serverOffset): offset = serverOffset
                    case .gone: url = nil; continue
                    }
                    needHead = false
                } catch let error as TransportError {
                    failures += 1
                    if failures > maxFailuresWithoutProgress { throw Stop(outcome: DeliveryOutcome.noAnswer(error, from: "the tus server")) }
                    try? await Task.sleep(for: pause)
                    continue
                }
            }
            if offset >= file.size {
                return .delivered(status: 204, receipt: current)
            }
            let chunk = try file.read(at: offset, count: chunkSize)
            var request = HTTPRequest(method: "PATCH", url: current, headers: headers + [
                .init(name: "Upload-Offset", value: String(offset)),
                .init(name: "Content-Type", value: "application/offset+octet-stream"),
            ], body: .bytes(chunk))
            if let algorithm = capabilities.checksum {
                request.headers.append(.init(name: "Upload-Checksum", value: "\(algorithm) \(Self.checksum(chunk, algorithm: algorithm))"))
            }
            let response: HTTPResponse
            do {
                response = try await transport.perform(request)
            } catch let error as TransportError {
                // A dropped link: ask the server how much it kept and go on from there.
                if error.code == .fileUnreadable || error.code == .invalidRequest { throw Stop(outcome: .permanent(status: nil, message: error.description)) }
                failures += 1
                if failures > maxFailuresWithoutProgress { throw Stop(outcome: DeliveryOutcome.noAnswer(error, from: "the tus server")) }
                needHead = true
                try? await Task.sleep(for: pause)
                continue
            }
            switch response.status {
            case 200..<300:
                guard let value = response.headers["upload-offset"], let next = Int64(value), next > offset, next <= file.size else {
                    needHead = true
                    failures += 1
                    if failures > maxFailuresWithoutProgress {
                        throw Stop(outcome: .transient(status: response.status, message: "the tus server answered PATCH without a usable Upload-Offset", retryAfter: nil))
                    }
                    continue
                }
                offset = next
                failures = 0
                checksumRetries = 0
            case 409:
                needHead = true  // our offset was wrong: ask again once the server has settled
                failures += 1
                if failures > maxFailuresWithoutProgress {
                    throw Stop(outcome: .transient(status: 409, message: "the tus server keeps disagreeing about the offset; resuming later", retryAfter: nil))
                }
                try? await Task.sleep(for: pause)
            case 460:
                checksumRetries += 1  // the chunk arrived damaged: send it again
                if checksumRetries > 3 {
                    throw Stop(outcome: .transient(status: 460, message: "the tus server rejected the same chunk's checksum 3 times", retryAfter: nil))
                }
            case 423:
                needHead = true  // another request still holds the upload
                failures += 1
                if failures > maxFailuresWithoutProgress { throw Stop(outcome: Self.failure(response, "PATCH")) }
                try? await Task.sleep(for: pause)
            case 404, 410:
                url = nil  // the server forgot or expired it: a new upload
            default:
                throw Stop(outcome: Self.failure(response, "PATCH"))
            }
        }
    }

    // MARK: - Helpers

    /// Upload-Metadata: comma-separated `key base64(value)` pairs.
    static func uploadMetadata(_ metadata: DocumentMetadata) -> String {
        let pairs: [(String, String)] = [
            ("filename", HTTPTarget.safeFileName(metadata.documentID) + ".pdf"),
            ("filetype", "application/pdf"),
            ("document_id", metadata.documentID),
            ("so_den", String(metadata.number)),
            ("book", metadata.book),
            ("year", String(metadata.year)),
            ("sha256", metadata.sha256),
        ]
        return pairs.map { "\($0.0) \(Data($0.1.utf8).base64EncodedString())" }.joined(separator: ",")
    }

    static func checksum(_ bytes: [UInt8], algorithm: String) -> String {
        switch algorithm {
        case "sha256": Data(SHA256.hash(data: bytes)).base64EncodedString()
        default: Data(Insecure.SHA1.hash(data: bytes)).base64EncodedString()
        }
    }

    static func list(_ header: String?) -> [String] {
        (header ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func failure(_ response: HTTPResponse, _ method: String) -> DeliveryOutcome {
        let status = response.status
        let text = HTTPTarget.serverMessage(response.body)
        switch status {
        case 412:
            return .permanent(status: status, message: "the tus server does not accept tus \(version) (HTTP 412 on \(method)): \(text)")
        case 413:
            return .permanent(status: status, message: "the PDF is larger than the tus server or a proxy accepts (HTTP 413 on \(method)); retrying will not help")
        case 401, 403:
            return .permanent(status: status, message: "the tus server refused our credentials (HTTP \(status) on \(method)): check the target's token_file")
        case 408, 423, 425, 429, 500..<600:
            return .transient(status: status, message: "the tus server is busy or failing (HTTP \(status) on \(method)): \(text)", retryAfter: RetryAfter.of(response))
        case 400..<500:
            return .permanent(status: status, message: "the tus server refused the upload (HTTP \(status) on \(method)): \(text)")
        default:
            return .transient(status: status, message: "unexpected answer from the tus server (HTTP \(status) on \(method))", retryAfter: nil)
        }
    }
}
