import Delivery
import Testing

/// `TLSFailure` reads libcurl's error text; these are the texts libcurl 7.88 with OpenSSL 3.0
/// wrote in the TLS tests (TLSTests) and in curl's own runs against the same stunnel.
struct TLSFailureTests {
    @Test(arguments: [
        ("SSL certificate problem: self-signed certificate", TLSFailure.selfSigned),
        ("SSL certificate problem: self-signed certificate in certificate chain", .selfSigned),
        ("SSL certificate problem: unable to get local issuer certificate", .unknownAuthority),
        ("SSL certificate problem: certificate has expired", .expired),
        ("SSL certificate problem: certificate is not yet valid", .notYetValid),
        ("SSL: no alternative certificate subject name matches target host name '127.0.0.1'", .wrongHost("127.0.0.1")),
        ("OpenSSL SSL_read: OpenSSL/3.0.22: error:0A00045C:SSL routines::tlsv13 alert certificate required, errno 0",
         .clientCertificateRequired),
        ("error setting certificate file: /nonexistent/ca.pem", .caBundleUnreadable),
        ("unable to set private key file: '/tmp/k.pem' type PEM", .clientCertificateUnusable),
    ])
    func libraryTextNamesTheCertificateProblem(text: String, expected: TLSFailure) {
        #expect(TLSFailure(libraryMessage: text, clientCertificatePresented: false) == expected)
    }

    @Test func theCentresCertificateAlertBlamesThePresentedClientCertificateOnlyWhenOneWasPresented() {
        let text = "OpenSSL SSL_read: error:0A000418:SSL routines::tlsv1 alert unknown ca, errno 0"
        #expect(TLSFailure(libraryMessage: text, clientCertificatePresented: true) == .clientCertificateRefused)
        #expect(TLSFailure(libraryMessage: text, clientCertificatePresented: false) == .clientCertificateRequired)
    }

    @Test func connectionFailuresAreNotTLSFailures() {
        #expect(TLSFailure(libraryMessage: "Recv failure: Connection reset by peer", clientCertificatePresented: false) == nil)
        #expect(TLSFailure(libraryMessage: "Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server",
                           clientCertificatePresented: false) == nil)
        #expect(TLSFailure(libraryMessage: "", clientCertificatePresented: true) == nil)
    }

    @Test func everyMessageNamesACertificateOrTheSettingToFix() {
        let all: [TLSFailure] = [.selfSigned, .unknownAuthority, .expired, .notYetValid, .revoked, .wrongHost("h"), .wrongHost(nil),
                                 .clientCertificateRequired, .clientCertificateRefused, .clientCertificateUnusable,
                                 .caBundleUnreadable, .handshakeRefused]
        for failure in all {
            #expect(failure.message.contains("certificate") || failure.message.contains("ca_bundle") || failure.message.contains("handshake"),
                    "\(failure): \(failure.message)")
        }
    }
}
