internal import CCurl
internal import Foundation
internal import IntakeCore

// MARK: - Global initialisation

enum CurlGlobal {
    private static let initialised: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    static func initialiseOnce() { _ = initialised }
}

private let writeBody: curl_write_callback = { data, size, count, userdata in
    guard let userdata else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    guard length > 0, let data else { return length }
    if sink.body.count + length > sink.limit {
        sink.tooLarge = true
        return 0  // makes libcurl stop with CURLE_WRITE_ERROR
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) {
        sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
    }
    return length
}

private let writeHeader: curl_write_callback = { data, size, count, userdata in
    guard let userdata else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    guard length > 0, let data else { return length }
    let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
    sink.appendHeaderLine(line)
    return length
}

/// Reads only libcurl's TLS trace text, for the one fact its error codes lose: TLS 1.3 refuses a
/// missing client certificate after the handshake, so the upload just breaks (CURLcode 55/56).
private let trace: curl_debug_callback = { _, type, data, size, userdata in
    guard type == CURLINFO_TEXT, let userdata, let data, size > 0 else { return 0 }
    let text = data.withMemoryRebound(to: UInt8.self, capacity: size) {
        String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self)
    }
    if text.contains("Request CERT") {
        Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue().certificateRequested = true
    }
    return 0
}

private let progress: curl_xferinfo_callback = { userdata, _, _, _, _ in
    guard let userdata else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
    return sink.cancel.isSet ? 1 : 0
}

// MARK: - The easy handle

/// Owns one CURL easy handle and its error buffer.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init?() {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    // MARK: Perform

    func perform(_ request: HTTPRequest, settings: TransportSettings, cancel: CancelFlag) throws -> HTTPResponse {
        // Reset options but keep the connection cache, so the next upload reuses the connection.
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        let sink = ResponseSink(limit: settings.maxResponseBytes, cancel: cancel)
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()

        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        var mime: OpaquePointer? = nil
        defer {
            curl_slist_free_all(headerList)
            curl_mime_free(mime)
        }

        try check(intake_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try check(intake_curl_set_string(handle, CURLOPT_URL, request.url), "CURLOPT_URL")
        try check(intake_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "CURLOPT_PROTOCOLS_STR")
        try check(intake_curl_set_long(handle, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
        try check(intake_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0), "CURLOPT_FOLLOWLOCATION")
        try check(intake_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(settings.connectTimeout)), "CURLOPT_CONNECTTIMEOUT_MS")
        try check(intake_curl_set_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(settings.totalTimeout)), "CURLOPT_TIMEOUT_MS")
        try check(intake_curl_set_long(handle, CURLOPT_LOW_SPEED_LIMIT, settings.lowSpeedLimitBytesPerSecond), "CURLOPT_LOW_SPEED_LIMIT")
        try check(intake_curl_set_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, Self.milliseconds(settings.lowSpeedTime) / 1000)), "CURLOPT_LOW_SPEED_TIME")
        try check(intake_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, settings.verifyTLS ? 1 : 0), "CURLOPT_SSL_VERIFYPEER")
        try check(intake_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, settings.verifyTLS ? 2 : 0), "CURLOPT_SSL_VERIFYHOST")
        if let caBundle = settings.caBundle {
            try check(intake_curl_set_string(handle, CURLOPT_CAINFO, caBundle), "CURLOPT_CAINFO")
        }
        if let certificate = settings.clientCertificate {
            try check(intake_curl_set_string(handle, CURLOPT_SSLCERT, certificate), "CURLOPT_SSLCERT")
        }
        if let key = settings.clientKey {
            try check(intake_curl_set_string(handle, CURLOPT_SSLKEY, key), "CURLOPT_SSLKEY")
        }
        if let proxy = settings.proxy {
            try check(intake_curl_set_string(handle, CURLOPT_PROXY, proxy), "CURLOPT_PROXY")
            // The configured proxy carries everything: a no_proxy in the environment must not bypass it.
            try check(intake_curl_set_string(handle, CURLOPT_NOPROXY, ""), "CURLOPT_NOPROXY")
        }
        try check(intake_curl_set_write_callback(handle, CURLOPT_WRITEFUNCTION, writeBody), "CURLOPT_WRITEFUNCTION")
        try check(intake_curl_set_pointer(handle, CURLOPT_WRITEDATA, sinkPointer), "CURLOPT_WRITEDATA")
        try check(intake_curl_set_write_callback(handle, CURLOPT_HEADERFUNCTION, writeHeader), "CURLOPT_HEADERFUNCTION")
        try check(intake_curl_set_pointer(handle, CURLOPT_HEADERDATA, sinkPointer), "CURLOPT_HEADERDATA")
        try check(intake_curl_set_xferinfo_callback(handle, progress), "CURLOPT_XFERINFOFUNCTION")
        try check(intake_curl_set_pointer(handle, CURLOPT_XFERINFODATA, sinkPointer), "CURLOPT_XFERINFODATA")
        try check(intake_curl_set_long(handle, CURLOPT_NOPROGRESS, 0), "CURLOPT_NOPROGRESS")
        if request.url.lowercased().hasPrefix("https:") {
            // libcurl passes the TLS handshake trace only in verbose mode; nothing is printed.
            try check(intake_curl_set_debug_callback(handle, trace), "CURLOPT_DEBUGFUNCTION")
            try check(intake_curl_set_pointer(handle, CURLOPT_DEBUGDATA, sinkPointer), "CURLOPT_DEBUGDATA")
            try check(intake_curl_set_long(handle, CURLOPT_VERBOSE, 1), "CURLOPT_VERBOSE")
        }

        // Headers. An empty "Expect:" stops libcurl from waiting for 100 Continue on large bodies.
        for header in request.headers {
            guard !header.name.contains(where: { $0 == "\r" || $0 == "\n" || $0 == ":" }),
                !header.value.contains(where: { $0 == "\r" || $0 == "\n" })
            else {
                throw TransportError(code: .invalidRequest, message: "a request header is malformed", detail: "header \(header.name)")
            }
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        headerList = curl_slist_append(headerList, "Expect:")
        try check(intake_curl_set_pointer(handle, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")

        // Method and body.
        let method = request.method.uppercased()
        switch request.body {
        case .none:
            if method == "GET" {
                try check(intake_curl_set_long(handle, CURLOPT_HTTPGET, 1), "CURLOPT_HTTPGET")
            } else if method == "HEAD" {
                try check(intake_curl_set_long(handle, CURLOPT_NOBODY, 1), "CURLOPT_NOBODY")
            } else {
                try check(intake_curl_set_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, 0), "CURLOPT_POSTFIELDSIZE_LARGE")
                try check(intake_curl_set_string(handle, CURLOPT_COPYPOSTFIELDS, ""), "CURLOPT_COPYPOSTFIELDS")
            }
        case .bytes(let bytes):
            try check(intake_curl_set_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count)), "CURLOPT_POSTFIELDSIZE_LARGE")
            try bytes.withUnsafeBytes { raw in
                // COPYPOSTFIELDS copies the bytes, so they need not outlive this call.
                let pointer = UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start))
                try check(intake_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS, pointer), "CURLOPT_COPYPOSTFIELDS")
            }
        case .multipart(let parts):
            mime = curl_mime_init(handle)
            guard let mime else {
                throw TransportError(code: .other, message: "the network library could not build the upload", detail: "curl_mime_init returned NULL")
            }
            for part in parts {
                guard let mimePart = curl_mime_addpart(mime) else {
                    throw TransportError(code: .other, message: "the network library could not build the upload", detail: "curl_mime_addpart returned NULL")
                }
                try check(curl_mime_name(mimePart, part.name), "curl_mime_name")
                switch part.content {
                case .bytes(let bytes):
                    try bytes.withUnsafeBytes { raw in
                        // curl_mime_data copies the bytes.
                        let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self)
                        try check(curl_mime_data(mimePart, base, raw.count), "curl_mime_data")
                    }
                case .file(let path):
                    guard access(path, R_OK) == 0 else {
                        throw TransportError(code: .fileUnreadable, message: "the document file cannot be read", detail: "\(path): \(String(cString: strerror(errno)))")
                    }
                    try check(curl_mime_filedata(mimePart, path), "curl_mime_filedata")
                }
                // curl_mime_filedata sets the file's base name; nil removes it.
                try check(curl_mime_filename(mimePart, part.filename), "curl_mime_filename")
                try check(curl_mime_type(mimePart, part.contentType), "curl_mime_type")
            }
            try check(intake_curl_set_pointer(handle, CURLOPT_MIMEPOST, UnsafeMutableRawPointer(mime)), "CURLOPT_MIMEPOST")
        }
        if method != "GET" && method != "POST" && method != "HEAD" {
            try check(intake_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, method), "CURLOPT_CUSTOMREQUEST")
        }

        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            throw Self.error(for: code, buffer: String(cString: errorBuffer), tooLarge: sink.tooLarge, cancelled: cancel.isSet, limit: settings.maxResponseBytes, url: request.url,
                             clientCertificate: settings.clientCertificate != nil, proxy: settings.proxy != nil,
                             certificateRequested: sink.certificateRequested)
        }
        var status = 0
        try check(intake_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status), "CURLINFO_RESPONSE_CODE")
        guard status >= 100 else {
            throw TransportError(code: .malformedResponse, message: "the server's answer could not be understood", detail: "no HTTP status from \(request.url)")
        }
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    private func check(_ code: CURLcode, _ what: String) throws {
        guard code == CURLE_OK else {
            throw TransportError(
                code: code == CURLE_UNKNOWN_OPTION || code == CURLE_NOT_BUILT_IN ? .invalidRequest : .other,
                message: "the network library refused a setting",
                detail: "\(what): \(String(cString: curl_easy_strerror(code))) (CURLcode \(code.rawValue))")
        }
    }

    static func milliseconds(_ d: Duration) -> Int {
        max(0, Int(d.milliseconds))
    }
}
