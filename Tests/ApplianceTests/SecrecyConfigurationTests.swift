import Foundation
import Testing
@testable import Appliance

@Suite struct SecrecyConfigurationTests {
    static let ok = "organisation_code = \"000.00.00.H49\"\n"
    static let mtls = """
        [[targets]]
        name = "party-net"
        kind = "http"
        url = "https://vanban.mat.example/api"
        client_certificate = "/etc/intake/client.pem"
        client_key = "/etc/intake/client.key"
        classified = true

        """

    func problems(_ text: String) -> [ConfigurationIssue] {
        do {
            _ = try ConfigurationLoader.parse(text, file: "/etc/intake/intake.toml")
            return []
        } catch {
            return error.issues
        }
    }

    @Test func theOldSecureNetworkKeyIsRefusedNamingTheNewOnes() {
        let issues = problems(Self.ok + "[[targets]]\nname = \"c\"\nkind = \"http\"\nurl = \"http://x\"\nsecure_network = true")
        let issue = issues.first { $0.key.hasSuffix("secure_network") }
        #expect(issue?.line == 6)
        #expect(issue?.message.contains("network = \"internet\" or \"classified\"") == true)
        #expect(issue?.message.contains("classified = true") == true)
    }

    @Test func aClassifiedBoxWithAMutualTLSTargetIsAccepted() throws {
        let config = try ConfigurationLoader.parse(Self.ok + "network = \"classified\"\n" + Self.mtls, file: "t")
        #expect(config.network == .classified)
        #expect(config.targets.first?.classified == true)
        #expect(config.targets.first?.hasMutualTLS == true)
    }

    @Test func theNetworkDefaultsToInternetAndAnUnknownWordIsRefused() throws {
        #expect(try ConfigurationLoader.parse(Self.ok, file: "t").network == .internet)
        #expect(problems(Self.ok + "network = \"secure\"").first?.message.contains("internet, classified") == true)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var key: String
        var mentions: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "classified target without a client certificate",
             text: ok + "network = \"classified\"\n[[targets]]\nname = \"p\"\nkind = \"http\"\nurl = \"https://x\"\nclassified = true",
             key: "targets[0].classified", mentions: "mutually authenticated TLS"),
        Case(name: "classified target over plain http",
             text: ok + "network = \"classified\"\n" + mtls.replacingOccurrences(of: "https://", with: "http://"),
             key: "targets[0].classified", mentions: "https://"),
        Case(name: "classified target on an Internet box",
             text: ok + mtls, key: "targets[0].classified", mentions: "network = \"classified\""),
        Case(name: "classified directory without an approved device",
             text: ok + "network = \"classified\"\n[[targets]]\nname = \"usb\"\nkind = \"directory\"\npath = \"/media/usb\"\nclassified = true",
             key: "targets[0].approved_device", mentions: "vendor"),
        Case(name: "approved device with a bad vendor id",
             text: ok + "network = \"classified\"\n[[targets]]\nname = \"usb\"\nkind = \"directory\"\npath = \"/media/usb\"\nclassified = true\napproved_device = { vendor = \"kingston\", product = \"1666\", serial = \"A1\" }",
             key: "targets[0].approved_device.vendor", mentions: "four hex digits"),
        Case(name: "key file inside the state directory",
             text: ok + "[paths]\nstate_dir = \"/var/lib/intake\"\n[at_rest]\nkey_file = \"/var/lib/intake/key\"",
             key: "at_rest.key_file", mentions: "inside the state directory"),
        Case(name: "urgent hold longer than the ordinary one",
             text: ok + "[release]\nhold_seconds = 60\nhoa_toc_hold_seconds = 90",
             key: "release.hoa_toc_hold_seconds", mentions: "may only shorten"),
        Case(name: "mark key with a profile",
             text: ok + "[[triggers]]\nkind = \"key\"\ninput_device = \"/dev/input/event3\"\nkey_code = 60\naction = \"mark-mat\"\nprofile = \"default\"",
             key: "triggers[0].profile", mentions: "no effect"),
    ]

    @Test(arguments: cases)
    func secrecyMistakesAreReportedByKey(_ bad: Case) {
        let issues = problems(bad.text)
        #expect(issues.contains { $0.key == bad.key && $0.message.contains(bad.mentions) }, "\(bad.name): \(issues)")
    }

    @Test func aMarkKeyNeedsNoProfileAndTheReleaseWindowsAreRead() throws {
        let text = Self.ok + """
            [profiles.default]
            [release]
            hold_seconds = 120
            hoa_toc_hold_seconds = 10
            [[triggers]]
            kind = "key"
            input_device = "/dev/input/event3"
            key_code = 60
            action = "mark-mat"
            """
        let config = try ConfigurationLoader.parse(text, file: "t")
        #expect(config.triggers.first?.action == .markMat)
        #expect(config.release.holdSeconds == 120)
        #expect(config.release.khanHoldSeconds == 120, "an unset urgent window is never longer than the ordinary one")
        #expect(config.release.hoaTocHoldSeconds == 10)
        let shown = ConfigurationPrinter.render(config)
        let reparsed = try ConfigurationLoader.parse(shown, file: "shown")
        #expect(reparsed.release == config.release)
        #expect(reparsed.triggers == config.triggers)
    }

    @Test func validateChecksTheKeyFileAndTheClientCertificateOnDisk() throws {
        let dir = TemporaryDirectory()
        let key = dir.path + "/at-rest.key"
        try Data(repeating: 7, count: 32).write(to: URL(fileURLWithPath: key))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)
        var config = try ConfigurationLoader.parse(Self.ok + "network = \"classified\"\n" + Self.mtls, file: "t")
        config.paths.stateDirectory = dir.path + "/state"
        #expect(SecrecyConfigurationCheck.problems(config, environment: [:]).contains { $0.hasPrefix("at_rest:") }, "no key at all")
        config.atRest.keyFile = key
        let found = SecrecyConfigurationCheck.problems(config, environment: [:])
        #expect(found.contains { $0.contains("chmod 600") }, "\(found)")
        #expect(found.contains { $0.contains("client_certificate") }, "\(found)")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        for name in ["client.pem", "client.key"] { try Data("x".utf8).write(to: URL(fileURLWithPath: dir.path + "/" + name)) }
        config.targets[0].clientCertificate = dir.path + "/client.pem"
        config.targets[0].clientKey = dir.path + "/client.key"
        #expect(SecrecyConfigurationCheck.problems(config, environment: [:]).isEmpty)
    }
}

extension SecrecyConfigurationTests {
    @Test func doctorNamesTheKeyProblemWithAFix() throws {
        let dir = TemporaryDirectory()
        var config = try ConfigurationLoader.parse(Self.ok + "network = \"classified\"\n", file: "t")
        config.paths.stateDirectory = dir.path + "/state"
        let missing = Doctor.secrecy(config, environment: [:])
        #expect(!missing.ok && missing.fix?.contains("openssl rand -hex 32") == true, "\(missing)")
        let key = dir.path + "/at-rest.key"
        try Data(repeating: 1, count: 32).write(to: URL(fileURLWithPath: key))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        config.atRest.keyFile = key
        let usable = Doctor.secrecy(config, environment: [:])
        #expect(usable.ok && usable.detail.contains("usable"), "\(usable)")
        #expect(Doctor.secrecy(try ConfigurationLoader.parse(Self.ok, file: "t"), environment: [:]).ok)
    }
}
