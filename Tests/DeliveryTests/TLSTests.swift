import Delivery
import Foundation
import IntakeCore
import IntakeDigest
import Testing

/// TLS proven, not only configured (issue 15): the real `HTTPTarget` over `CurlTransport` delivers
/// to the real intake-receiver behind stunnel on 127.0.0.1, with certificates the test makes
/// (`TestPKI`), directly or through tinyproxy. Every refusal is checked at the receiver too:
/// no document POST reached it.
@Suite(.serialized)
struct TLSTests {
    /// The receiver, a fresh PKI in its directory, and stunnel in front of it with `certificate`.
    struct Centre {
        let receiver: ReceiverProcess
        let pki: TestPKI
        let terminator: TLSTerminator

        init(certificate: (TestPKI) -> TestPKI.Credential, requireClientCertificate: Bool = false) throws {
            receiver = try ReceiverProcess()
            pki = try TestPKI.make(in: receiver.directory + "/pki")
            terminator = try TLSTerminator(
                certificate: certificate(pki), backendPort: try LoopbackPort.of(receiver.url),
                requireClientCertificateFrom: requireClientCertificate ? pki.caBundle : nil, directory: receiver.directory)
        }

        func target(_ settings: TransportSettings, url: String? = nil) throws -> HTTPTarget {
            HTTPTarget(name: "central", baseURL: url ?? terminator.url, token: receiver.token,
                       transport: try CurlTransport(settings: settings))
        }

        func trusting(_ change: (inout TransportSettings) -> Void = { _ in }) -> TransportSettings {
            var settings = TransportSettings()
            settings.caBundle = pki.caBundle
            settings.connectTimeout = .seconds(10)
            settings.totalTimeout = .seconds(30)
            change(&settings)
            return settings
        }

        func item() throws -> DeliveryItem { try Fixtures.item(in: receiver.directory) }

        /// stunnel passed not one byte to the receiver, which got no document POST and holds
        /// nothing (asked over its plain port).
        func nothingArrived() async throws -> Bool {
            let posts = try await receiver.documentPosts()
            let held = try await receiver.documents()
            return posts == 0 && held.isEmpty && terminator.bytesPassedToBackend() == 0
        }

        /// The receiver holds exactly `item`, with its sha256, and the stored file matches.
        func holdsOnly(_ item: DeliveryItem) async throws -> Bool {
            let held = try await receiver.documents()
            guard held.count == 1, let metadata = held[0]["metadata"] as? [String: Any], let file = held[0]["file"] as? String
            else { return false }
            let stored = try FileDigest.sha256(path: receiver.store + "/" + file)
            return metadata["documentID"] as? String == item.metadata.documentID
                && metadata["sha256"] as? String == item.metadata.sha256 && stored == item.metadata.sha256
        }
    }

    /// The message of a refused delivery; records an issue when it was not a retryable refusal
    /// without an HTTP status (no answer from the centre at all).
    func refusal(_ outcome: DeliveryOutcome, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        guard case .transient(nil, let message, nil) = outcome else {
            Issue.record("expected a refusal before any HTTP answer, got \(outcome)", sourceLocation: sourceLocation)
            return ""
        }
        return message
    }

    // MARK: - Verification on by default

    @Test func selfSignedCertificateIsRefusedByDefaultAndNothingReachesTheReceiver() async throws {
        let centre = try Centre(certificate: \.selfSigned)
        let outcome = try await centre.target(TransportSettings()).deliver(try centre.item())
        let message = refusal(outcome)
        #expect(message.contains("self-signed"), "\(message)")
        #expect(message.contains("CURLcode 60"), "the technician detail carries libcurl's code: \(message)")
        #expect(try await centre.nothingArrived(), "stunnel: \(centre.terminator.log.suffix(1500))")
    }

    @Test func selfSignedCertificateIsRefusedEvenWithACABundleConfigured() async throws {
        let centre = try Centre(certificate: \.selfSigned)
        let message = refusal(try await centre.target(centre.trusting()).deliver(try centre.item()))
        #expect(message.contains("self-signed"), "\(message)")
        #expect(try await centre.nothingArrived(), "stunnel: \(centre.terminator.log.suffix(1500))")
    }

    @Test func certificateFromTheTestCAIsRefusedWithoutTheCABundle() async throws {
        let centre = try Centre(certificate: \.server)
        let message = refusal(try await centre.target(TransportSettings()).deliver(try centre.item()))
        #expect(message.contains("authority the box does not trust"), "\(message)")
        #expect(message.contains("ca_bundle"), "\(message)")
        #expect(try await centre.nothingArrived(), "stunnel: \(centre.terminator.log.suffix(1500))")
    }

    @Test func wrongHostCertificateFromTheTrustedCAIsRefused() async throws {
        let centre = try Centre(certificate: \.wrongHost)
        let message = refusal(try await centre.target(centre.trusting()).deliver(try centre.item()))
        #expect(message.contains("another host name than 127.0.0.1"), "\(message)")
        #expect(try await centre.nothingArrived(), "stunnel: \(centre.terminator.log.suffix(1500))")
    }

    // MARK: - The configured CA bundle

    @Test func configuredCABundleAcceptsTheCentresCertificateAndTheDocumentArrives() async throws {
        let centre = try Centre(certificate: \.server)
        let item = try centre.item()
        let outcome = try await centre.target(centre.trusting()).deliver(item)
        #expect(outcome == .delivered(status: 201, receipt: "RCPT-000001"))
        #expect(try await centre.holdsOnly(item))
        #expect((centre.terminator.bytesPassedToBackend() ?? 0) > 64 * 1024, "stunnel carried the upload")
    }

    @Test func certificateNamingLocalhostIsAcceptedAtLocalhost() async throws {
        let centre = try Centre(certificate: \.server)
        let item = try centre.item()
        let target = try centre.target(centre.trusting(), url: "https://localhost:\(centre.terminator.port)")
        #expect(try await target.deliver(item) == .delivered(status: 201, receipt: "RCPT-000001"))
        #expect(try await centre.holdsOnly(item))
    }

    @Test func unreadableCABundleIsNamedAndNothingIsSent() async throws {
        let centre = try Centre(certificate: \.server)
        let settings = centre.trusting { $0.caBundle = centre.pki.directory + "/no-such-ca.pem" }
        let message = refusal(try await centre.target(settings).deliver(try centre.item()))
        #expect(message.contains("CA bundle cannot be read"), "\(message)")
        #expect(try await centre.nothingArrived(), "stunnel: \(centre.terminator.log.suffix(1500))")
    }

    // MARK: - Expiry

    @Test func expiredCertificateIsRefused() async throws {
        let centre = try Centre(certificate: \.expired)
        let message = refusal(try await centre.target(centre.trusting()).deliver(try centre.item()))
        #expect(message.contains("has expired"), "\(message)")
        #expect(try await centre.nothingArrived(), "stunnel: \(centre.terminator.log.suffix(1500))")
    }

    // MARK: - Client certificates (mTLS)

    @Test func centreRequiringAClientCertificateRefusesABoxWithoutOne() async throws {
        let centre = try Centre(certificate: \.server, requireClientCertificate: true)
        let message = refusal(try await centre.target(centre.trusting()).deliver(try centre.item()))
        #expect(message.contains("requires a client certificate"), "\(message)")
        #expect(message.contains("client_certificate"), "\(message)")
        #expect(try await centre.nothingArrived(), "stunnel: \(centre.terminator.log.suffix(1500))")
    }

    @Test func centreRequiringAClientCertificateAcceptsTheBoxPresentingIt() async throws {
        let centre = try Centre(certificate: \.server, requireClientCertificate: true)
        let item = try centre.item()
        let settings = centre.trusting {
            $0.clientCertificate = centre.pki.client.certificate
            $0.clientKey = centre.pki.client.key
        }
        #expect(try await centre.target(settings).deliver(item) == .delivered(status: 201, receipt: "RCPT-000001"))
        #expect(try await centre.holdsOnly(item))
    }

    @Test func clientCertificateFromAnotherAuthorityIsRefusedByTheCentre() async throws {
        let centre = try Centre(certificate: \.server, requireClientCertificate: true)
        let settings = centre.trusting {
            $0.clientCertificate = centre.pki.strangerClient.certificate
            $0.clientKey = centre.pki.strangerClient.key
        }
        let message = refusal(try await centre.target(settings).deliver(try centre.item()))
        // The centre's alert names it, or (when the reset that follows loses the alert) the box
        // says the centre asked for its certificate just before the connection broke.
        #expect(message.contains("refused the box's client certificate") || message.contains("may not accept the one presented"),
                "\(message)")
        #expect(try await centre.nothingArrived(), "stunnel: \(centre.terminator.log.suffix(1500))")
    }

    @Test func clientKeyThatDoesNotMatchTheCertificateIsNamed() async throws {
        let centre = try Centre(certificate: \.server, requireClientCertificate: true)
        let settings = centre.trusting {
            $0.clientCertificate = centre.pki.client.certificate
            $0.clientKey = centre.pki.strangerClient.key
        }
        let message = refusal(try await centre.target(settings).deliver(try centre.item()))
        #expect(message.contains("client certificate or key cannot be used"), "\(message)")
        #expect(try await centre.nothingArrived(), "stunnel: \(centre.terminator.log.suffix(1500))")
    }

    // MARK: - Proxy

    @Test func httpsGoesThroughTheConfiguredProxyAndTheDocumentArrives() async throws {
        let centre = try Centre(certificate: \.server)
        let proxy = try ConnectProxy(allowingConnectTo: centre.terminator.port, directory: centre.receiver.directory)
        let item = try centre.item()
        let outcome = try await centre.target(centre.trusting { $0.proxy = proxy.url }).deliver(item)
        #expect(outcome == .delivered(status: 201, receipt: "RCPT-000001"))
        #expect(proxy.sawConnect(toPort: centre.terminator.port), "tinyproxy log: \(proxy.log)")
        #expect(try await centre.holdsOnly(item))
    }

    @Test func proxyRefusingTheTunnelStopsTheDeliveryAndSaysSo() async throws {
        let centre = try Centre(certificate: \.server)
        let proxy = try ConnectProxy(allowingConnectTo: try LoopbackPort.free(), directory: centre.receiver.directory)
        let message = refusal(try await centre.target(centre.trusting { $0.proxy = proxy.url }).deliver(try centre.item()))
        #expect(message.contains("proxy refused"), "\(message)")
        #expect(proxy.sawConnect(toPort: centre.terminator.port), "tinyproxy log: \(proxy.log)")
        #expect(try await centre.nothingArrived(), "stunnel: \(centre.terminator.log.suffix(1500))")
    }

    @Test func configuredProxyThatIsDownIsNotBypassed() async throws {
        let centre = try Centre(certificate: \.server)
        let deadProxy = "http://127.0.0.1:\(try LoopbackPort.free())"
        let message = refusal(try await centre.target(centre.trusting { $0.proxy = deadProxy }).deliver(try centre.item()))
        #expect(message.contains("through the configured proxy"), "\(message)")
        #expect(try await centre.nothingArrived(), "stunnel: \(centre.terminator.log.suffix(1500))")
    }
}
