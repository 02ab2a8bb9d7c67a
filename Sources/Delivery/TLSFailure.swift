/// Which certificate went wrong on a secure connection, read from the network library's error
/// text (OpenSSL's words as libcurl passes them on), so the technician is told what to fix
/// instead of "a certificate or TLS problem".
public enum TLSFailure: Sendable, Equatable {
    /// The centre's certificate signs itself (a wrong server, or its CA missing from `ca_bundle`).
    case selfSigned
    /// The centre's certificate comes from an authority the box does not trust.
    case unknownAuthority
    case expired
    case notYetValid
    case revoked
    /// The certificate is valid but names another host than the URL's (the name, when given).
    case wrongHost(String?)
    /// The centre asked for a client certificate and the box had none to present.
    case clientCertificateRequired
    /// The centre did not accept the client certificate the box presented.
    case clientCertificateRefused
    /// The box's own client certificate or key cannot be loaded.
    case clientCertificateUnusable
    /// The configured CA bundle cannot be read.
    case caBundleUnreadable
    /// The centre ended the handshake without saying which certificate it objects to.
    case handshakeRefused

    /// Nil when `text` does not describe a TLS failure.
    public init?(libraryMessage text: String, clientCertificatePresented: Bool) {
        let t = text.lowercased()
        func has(_ words: String...) -> Bool { words.contains { t.contains($0) } }
        if has("error setting certificate file", "error setting certificate verify locations", "error adding trust anchors") {
            self = .caBundleUnreadable
        } else if has("could not load pem client certificate", "could not load asn1 client certificate",
                      "unable to set client certificate", "unable to use client certificate",
                      "unable to set private key file", "unable to use private key", "private key does not match",
                      "could not load private key") {
            self = .clientCertificateUnusable
        } else if has("alert certificate required") {
            self = .clientCertificateRequired
        } else if has("alert bad certificate", "alert unknown ca", "alert certificate unknown", "alert certificate expired",
                      "alert certificate revoked", "alert unsupported certificate", "alert access denied") {
            // An alert the centre sent: it is about the certificate the box presented (or failed to).
            self = clientCertificatePresented ? .clientCertificateRefused : .clientCertificateRequired
        } else if has("self-signed certificate", "self signed certificate") {
            self = .selfSigned
        } else if has("unable to get local issuer certificate", "unable to get issuer certificate",
                      "unable to verify the first certificate", "certificate signature failure") {
            self = .unknownAuthority
        } else if has("certificate has expired") {
            self = .expired
        } else if has("certificate is not yet valid") {
            self = .notYetValid
        } else if has("certificate revoked") {
            self = .revoked
        } else if has("no alternative certificate subject name matches", "does not match target host name",
                      "subject name does not match", "hostname mismatch") {
            self = .wrongHost(Self.quotedHost(in: text))
        } else if has("alert handshake failure") {
            self = .handshakeRefused
        } else {
            return nil
        }
    }

    /// One line naming the certificate problem and the setting that fixes it.
    public var message: String {
        switch self {
        case .selfSigned:
            "the central system's certificate is self-signed and not trusted (a wrong server, or its CA is missing from ca_bundle)"
        case .unknownAuthority:
            "the central system's certificate is signed by an authority the box does not trust (set ca_bundle to the centre's CA certificate)"
        case .expired:
            "the central system's certificate has expired"
        case .notYetValid:
            "the central system's certificate is not valid yet (check the box's clock)"
        case .revoked:
            "the central system's certificate has been revoked"
        case .wrongHost(let host):
            "the central system's certificate is for another host name" + (host.map { " than \($0)" } ?? "")
                + " (a wrong server, or the URL names it differently from its certificate)"
        case .clientCertificateRequired:
            "the central system requires a client certificate and the box presented none (set client_certificate and client_key)"
        case .clientCertificateRefused:
            "the central system refused the box's client certificate (not issued by the authority it trusts, expired or revoked)"
        case .clientCertificateUnusable:
            "the box's client certificate or key cannot be used (check client_certificate and client_key)"
        case .caBundleUnreadable:
            "the CA bundle cannot be read (check ca_bundle)"
        case .handshakeRefused:
            "the central system refused the secure connection (TLS handshake failure: a client certificate required, or no common protocol or cipher)"
        }
    }

    /// libcurl writes "... target host name '127.0.0.1'".
    private static func quotedHost(in text: String) -> String? {
        guard let close = text.lastIndex(of: "'") else { return nil }
        guard let open = text[..<close].lastIndex(of: "'") else { return nil }
        let host = text[text.index(after: open)..<close]
        return host.isEmpty ? nil : String(host)
    }
}
