import IntakeCore
internal import CCurl
internal import Foundation

extension CurlEasy {
    // MARK: Error mapping

    /// Every CURLcode from `curl_easy_perform` becomes a `TransportError` here and nowhere else.
    /// A certificate problem is named (`TLSFailure`), also when OpenSSL reports the centre's alert
    /// only while reading (TLS 1.3 refuses a missing client certificate after the handshake).
    static func error(for code: CURLcode, buffer: String, tooLarge: Bool, cancelled: Bool, limit: Int, url: String,
                      clientCertificate: Bool = false, proxy: Bool = false, certificateRequested: Bool = false) -> TransportError {
        let detail = "CURLcode \(code.rawValue) \(String(cString: curl_easy_strerror(code)))"
            + (buffer.isEmpty ? "" : ": \(buffer)") + " — \(url)"
        if let failure = TLSFailure(libraryMessage: buffer, clientCertificatePresented: clientCertificate) {
            return TransportError(code: .tls, message: failure.message, detail: detail)
        }
        if certificateRequested && (code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR) {
            // The centre's refusal (its alert) is often lost in the reset that follows it.
            if !clientCertificate {
                return TransportError(code: .tls, message: TLSFailure.clientCertificateRequired.message,
                                      detail: detail + " (the centre asked for a client certificate in the handshake)")
            }
            return TransportError(code: .tls, message: "the connection broke after the handshake in which the central system asked for "
                                      + "the box's client certificate: it may not accept the one presented (check client_certificate and client_key)",
                                  detail: detail)
        }
        if proxy, buffer.contains("CONNECT tunnel failed") || code == CURLE_PROXY {
            return TransportError(code: .couldNotConnect, message: "the proxy refused to connect to the central system", detail: detail)
        }
        let kind: TransportError.Code
        let message: String
        switch code {
        case CURLE_COULDNT_RESOLVE_PROXY:
            kind = .couldNotConnect
            message = "cannot reach the central system (the proxy's name cannot be resolved)"
        case CURLE_COULDNT_CONNECT where proxy:
            kind = .couldNotConnect
            message = "cannot reach the central system (no connection through the configured proxy)"
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST:
            kind = .couldNotConnect
            message = "cannot reach the central system (no connection)"
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timedOut
            message = "the central system did not answer in time"
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_CRL_BADFILE,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED,
            CURLE_USE_SSL_FAILED, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT:
            kind = .tls
            message = "the secure connection to the central system failed (certificate or TLS problem)"
        case CURLE_SEND_ERROR:
            kind = .sendError
            message = "the connection broke while sending the document"
        case CURLE_RECV_ERROR:
            kind = .recvError
            message = "the connection broke while receiving the answer"
        case CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_HTTP3:
            kind = .connectionReset
            message = "the central system closed the connection"
        case CURLE_WRITE_ERROR where tooLarge, CURLE_FILESIZE_EXCEEDED:
            kind = .responseTooLarge
            message = "the central system's answer was too large (over \(limit) bytes)"
        case CURLE_WEIRD_SERVER_REPLY, CURLE_BAD_CONTENT_ENCODING, CURLE_UNSUPPORTED_PROTOCOL, CURLE_TOO_MANY_REDIRECTS:
            kind = .malformedResponse
            message = "the central system's answer could not be understood"
        case CURLE_READ_ERROR, CURLE_FILE_COULDNT_READ_FILE:
            kind = .fileUnreadable
            message = "the document file could not be read while sending"
        case CURLE_ABORTED_BY_CALLBACK where cancelled:
            kind = .cancelled
            message = "the upload was cancelled"
        case CURLE_URL_MALFORMAT, CURLE_BAD_FUNCTION_ARGUMENT:
            kind = .invalidRequest
            message = "the central system's address is not valid"
        default:
            kind = .other
            message = "the upload failed"
        }
        return TransportError(code: kind, message: message, detail: detail)
    }
}
