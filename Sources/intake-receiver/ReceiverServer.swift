import Foundation
#if canImport(Glibc)
import Glibc
#endif
import IntakeCore
import HTTPTypes
import Hummingbird
import NIOCore

/// The routes of the reference central system.
struct ReceiverServer: Sendable {
    let token: String?
    let store: DocumentStore
    let numbering: NumberingAuthority
    let faults: FaultInjector
    let maxBodyBytes: Int

    func router() -> Router<ReceiverContext> {
        let router = Router(context: ReceiverContext.self)
        router.add(middleware: RequestLogMiddleware())
        router.get("/health") { _, _ in
            json(200, ["status": "ok"])
        }
        router.get("/documents") { request, _ in
            guard authorised(request) else { return unauthorised() }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try await store.listing())))
        }
        router.post("/documents") { request, context in
            try await receive(request, context: context)
        }
        router.get("/admin/faults") { request, _ in
            guard authorised(request) else { return unauthorised() }
            let data = try JSONEncoder().encode(await faults.current())
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.post("/admin/faults") { request, _ in
            guard authorised(request) else { return unauthorised() }
            let body = try await request.body.collect(upTo: 64 * 1024)
            guard let update = try? JSONDecoder().decode(FaultSettings.self, from: Data(body.readableBytesView)) else {
                return json(400, ["error": "fault settings must be a JSON object of known fields"])
            }
            await faults.apply(update)
            return json(200, ["status": "faults updated"])
        }
        router.delete("/admin/faults") { request, _ in
            guard authorised(request) else { return unauthorised() }
            await faults.clear()
            return json(200, ["status": "faults cleared"])
        }
        addLeaseRoutes(router)
        router.get("/admin/stats") { request, _ in
            guard authorised(request) else { return unauthorised() }
            return json(200, ["documentPosts": await store.documentPosts])
        }
        return router
    }

    // MARK: - POST /documents

    private func receive(_ request: Request, context: ReceiverContext) async throws -> Response {
        await store.countPost()
        guard authorised(request) else { return unauthorised() }
        let plan = await faults.plan()
        if plan.reset {
            return try await resetMidBody(request, context: context)
        }
        if let fail = plan.fail {
            // The whole body (capped) is read before answering, also for injected failures.
            if let tooLarge = try await drain(request.body) { return tooLarge }
            var headers: HTTPFields = [.contentType: "application/json"]
            if let retryAfter = fail.retryAfter { headers[.retryAfter] = retryAfter }
            return json(fail.status, ["error": fail.message], headers: headers)
        }
        guard let key = request.headers[.idempotencyKey], !key.isEmpty else {
            if let tooLarge = try await drain(request.body) { return tooLarge }
            return json(400, ["error": "the Idempotency-Key header is required"])
        }
        guard let contentType = request.headers[.contentType], let boundary = UploadReader.boundary(fromContentType: contentType) else {
            if let tooLarge = try await drain(request.body) { return tooLarge }
            return json(400, ["error": "the body must be multipart/form-data with a boundary"])
        }
        // The file part streams to disk as it arrives (MultipartKit's parser); only the small
        // metadata part is held in memory.
        let upload: UploadReader.Upload
        do {
            upload = try await UploadReader(temporaryDirectory: store.incoming, maxBodyBytes: maxBodyBytes)
                .read(request.body, boundary: boundary)
        } catch let failure as UploadReader.Failure {
            switch failure {
            case .tooLarge: return json(413, ["error": failure.description])
            case .storage: return json(507, ["error": failure.description])
            case .malformed, .missingPart: return json(400, ["error": failure.description])
            }
        }
        var keep = false
        defer { if !keep { unlink(upload.filePath) } }
        guard let metadata = try? JSONDecoder().decode(JSONValue.self, from: Data(upload.metadata)),
            let documentID = metadata["documentID"]?.string, let declared = metadata["sha256"]?.string
        else {
            return json(400, ["error": "the metadata part must be JSON with documentID and sha256"])
        }
        let actual = upload.fileSHA256
        guard actual == declared.lowercased() else {
            return json(422, ["error": "the file's sha256 \(actual) does not match metadata.sha256 \(declared)"])
        }
        // "The same body" means the same metadata (in canonical key order) and the same file;
        // multipart boundaries and JSON key order differ between retries of one client.
        let canonical = (try? JSONEncoder.canonical.encode(metadata)) ?? Data(upload.metadata)
        let fingerprint = Hex.sha256(canonical) + ":" + actual
        var response: Response
        switch await store.admit(key: key, fingerprint: fingerprint) {
        case .replay(let entry):
            response = stored(entry, replayed: true)
        case .conflict(let entry):
            return json(422, ["error": "Idempotency-Key \(key) was already used for a different document (receipt \(entry.receipt))"])
        case .busy:
            return json(409, ["error": "a request with Idempotency-Key \(key) is still being processed"])
        case .new:
            do {
                let entry = try await store.commit(
                    key: key, fingerprint: fingerprint, metadata: String(decoding: upload.metadata, as: UTF8.self),
                    documentID: documentID, sha256: actual, fileAt: upload.filePath)
                keep = true
                response = stored(entry, replayed: false)
            } catch {
                await store.abandon(key: key)
                return json(507, ["error": "the receiver could not store the document: \(error)"])
            }
        }
        if plan.delayMs > 0 {
            try await Task.sleep(for: .milliseconds(plan.delayMs))
        }
        if plan.garbage {
            response = Response(status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: "<html>\u{1}\u{2} proxy says: oops {{{ not json")))
        } else if let size = plan.oversizedBytes {
            response = Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: size)))
        }
        return response
    }

    /// Reads part of the body, then closes the connection without an answer.
    private func resetMidBody(_ request: Request, context: ReceiverContext) async throws -> Response {
        var seen = 0
        for try await chunk in request.body {
            seen += chunk.readableBytes
            if seen >= 16 * 1024 { break }
        }
        try? await context.channel.close(mode: .all)
        throw HTTPError(.internalServerError, message: "connection reset by fault injection after \(seen) bytes")
    }

    /// Reads the body to its end without keeping it; a 413 answer when it is over the cap.
    private func drain(_ body: RequestBody) async throws -> Response? {
        var seen = 0
        for try await chunk in body {
            seen += chunk.readableBytes
            if seen > maxBodyBytes { return json(413, ["error": "the upload is larger than \(maxBodyBytes) bytes"]) }
        }
        return nil
    }

    // MARK: - Helpers

    func authorised(_ request: Request) -> Bool {
        guard let token else { return true }
        return request.headers[.authorization] == "Bearer \(token)"
    }

    func unauthorised() -> Response {
        json(401, ["error": "missing or wrong bearer token"], headers: [.contentType: "application/json", .wwwAuthenticate: "Bearer"])
    }

    private func stored(_ entry: DocumentStore.Entry, replayed: Bool) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if replayed { headers[.idempotentReplayed] = "true" }
        return Response(status: .init(code: entry.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: entry.response)))
    }
}

func json(_ status: Int, _ value: some Encodable, headers: HTTPFields = [.contentType: "application/json"]) -> Response {
    let data = (try? JSONEncoder.canonical.encode(value)) ?? Data("{}".utf8)
    return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

extension JSONEncoder {
    /// Keys sorted, slashes as they are: the receiver's one JSON spelling (answers, fingerprints, listing).
    static var canonical: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension HTTPField.Name {
    static var idempotencyKey: Self { Self("Idempotency-Key")! }
    static var idempotentReplayed: Self { Self("Idempotent-Replayed")! }
}

/// One line per request on stderr: method, path, status, milliseconds.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ReceiverContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, "\(response.status.code)", start)
            return response
        } catch {
            log(request, "error (\(error))", start)
            throw error
        }
    }

    private func log(_ request: Request, _ outcome: String, _ start: ContinuousClock.Instant) {
        let elapsed = start.duration(to: .now)
        let ms = elapsed.milliseconds
        let key = request.headers[.idempotencyKey].map { " key=\($0)" } ?? ""
        FileHandle.standardError.write(Data("intake-receiver: \(request.method) \(request.uri.path) \(outcome) \(ms)ms\(key)\n".utf8))
    }
}
