internal import Foundation

// MARK: - The tus requests (OPTIONS, POST, HEAD) and their answers

extension TusTarget {
    func options() async throws -> Capabilities {
        let response = try await perform(HTTPRequest(method: "OPTIONS", url: endpoint, headers: headers))
        guard (200..<300).contains(response.status) else { throw Stop(outcome: Self.failure(response, "OPTIONS")) }
        let versions = Self.list(response.headers["tus-version"])
        if !versions.isEmpty && !versions.contains(Self.version) {
            throw Stop(outcome: .permanent(status: response.status, message: "the tus server speaks \(versions.joined(separator: ", ")), not tus \(Self.version)"))
        }
        var capabilities = Capabilities()
        capabilities.extensions = Set(Self.list(response.headers["tus-extension"]))
        capabilities.maxSize = response.headers["tus-max-size"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
        if capabilities.extensions.contains("checksum") {
            let algorithms = Self.list(response.headers["tus-checksum-algorithm"]).map { $0.lowercased() }
            capabilities.checksum = ["sha256", "sha1"].first { algorithms.contains($0) }
        }
        if !capabilities.extensions.contains("creation") {
            throw Stop(outcome: .permanent(status: response.status, message: "the tus server does not offer the creation extension; it cannot take new uploads"))
        }
        return capabilities
    }

    func create(_ item: DeliveryItem, size: Int64) async throws -> String {
        let request = HTTPRequest(method: "POST", url: endpoint, headers: headers + [
            .init(name: "Upload-Length", value: String(size)),
            .init(name: "Upload-Metadata", value: Self.uploadMetadata(item.metadata)),
        ])
        let response = try await perform(request)
        guard response.status == 201 || response.status == 200 else { throw Stop(outcome: Self.failure(response, "POST")) }
        guard let location = response.headers["location"], !location.isEmpty,
              let resolved = URL(string: location, relativeTo: URL(string: endpoint))?.absoluteString else {
            throw Stop(outcome: .transient(status: response.status, message: "the tus server created an upload but gave no Location", retryAfter: nil))
        }
        return resolved
    }

    enum HeadResult: Equatable { case offset(Int64), gone }

    /// HEAD until two answers a moment apart agree (at most 5 asks): after a dropped link the
    /// server may still be writing what it received, and a PATCH at a stale offset costs a chunk.
    func settledOffset(_ url: String, size: Int64) async throws -> HeadResult {
        var last = try await head(url, size: size)
        for _ in 0..<4 {
            guard case .offset(let value) = last, value < size else { return last }
            try? await Task.sleep(for: pause / 4)
            let next = try await head(url, size: size)
            if next == last { return next }
            last = next
        }
        return last
    }

    func head(_ url: String, size: Int64) async throws -> HeadResult {
        let response = try await transport.perform(HTTPRequest(method: "HEAD", url: url, headers: headers))
        switch response.status {
        case 200..<300:
            guard let value = response.headers["upload-offset"], let offset = Int64(value), offset >= 0, offset <= size else {
                throw Stop(outcome: .transient(status: response.status, message: "the tus server answered HEAD without a usable Upload-Offset", retryAfter: nil))
            }
            if let length = response.headers["upload-length"].flatMap({ Int64($0) }), length != size { return .gone }
            return .offset(offset)
        case 404, 410, 403:
            return .gone
        default:
            throw Stop(outcome: Self.failure(response, "HEAD"))
        }
    }

    func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            return try await transport.perform(request)
        } catch {
            throw Stop(outcome: DeliveryOutcome.noAnswer(error, from: "the tus server"))
        }
    }
}
