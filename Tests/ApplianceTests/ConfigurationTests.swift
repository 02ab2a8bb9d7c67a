import Foundation
import Testing
@testable import Appliance

@Suite struct ConfigurationTests {
    static let valid = """
    organisation_code = "000.00.00.H49"
    organisation_name = "Văn phòng"

    [paths]
    state_dir = "/var/lib/intake"

    [device]
    name = "test:0"

    [profiles.default]
    source = "ADF"
    mode = "Color"
    resolution = 300

    [[targets]]
    name = "central"
    kind = "http"
    url = "http://127.0.0.1:8088"
    """

    @Test func exampleConfigurationShippedInTheRepositoryIsValid() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/intake.example.toml")
        let config = try ConfigurationLoader.load(path: url.path)
        #expect(config.organisationCode == "000.00.00.H49")
        #expect(config.profiles.keys.sorted() == ["default", "text", "urgent"])
        #expect(config.triggers.first?.button == "scan")
        #expect(config.targets.first?.tokenFile == "/etc/intake/token")
    }

    @Test func minimalConfigurationGetsDefaults() throws {
        let config = try ConfigurationLoader.parse(Self.valid, file: "t.toml")
        #expect(config.books.ordinary == "DEN")
        #expect(config.books.classified == "MAT")
        #expect(config.profiles["default"]?.resolution == 300)
        #expect(config.retry.cap == .seconds(600))
        #expect(config.paths.databasePath == "/var/lib/intake/register.sqlite")
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var line: Int?
        var mentions: String
        var testDescription: String { name }
    }

    /// Each bad file must name the line and say what is allowed.
    static let badCases: [BadCase] = [
        BadCase(name: "syntax error", text: "organisation_code = \"000.00.00.H49\"\n[device\nname = 1", line: 2, mentions: "syntax"),
        BadCase(name: "missing organisation code", text: "[device]\nname = \"test:0\"", line: nil, mentions: "organisation_code"),
        BadCase(name: "malformed organisation code", text: "organisation_code = \"H49\"", line: 1, mentions: "000.00.00.H49"),
        BadCase(name: "resolution is a string", text: ok + "[profiles.a]\nresolution = \"high\"", line: 3, mentions: "whole number"),
        BadCase(name: "resolution out of range", text: ok + "[profiles.a]\nresolution = 5000", line: 3, mentions: "50…1200"),
        BadCase(name: "resolution below decree minimum", text: ok + "[profiles.a]\nresolution = 150", line: 3, mentions: "200 dpi"),
        BadCase(name: "unknown mode", text: ok + "[profiles.a]\nmode = \"Colour\"", line: 3, mentions: "Color, Gray, Lineart"),
        BadCase(name: "unknown source", text: ok + "[profiles.a]\n\nsource = \"Feeder\"", line: 4, mentions: "Flatbed, ADF, ADF Duplex"),
        BadCase(name: "misspelt key", text: ok + "[profiles.a]\nresolutoin = 300", line: 3, mentions: "did you mean 'resolution'"),
        BadCase(name: "unknown urgency", text: ok + "[profiles.a]\nurgency = \"urgent\"", line: 3, mentions: "hoa_toc"),
        BadCase(name: "unknown secrecy", text: ok + "[profiles.a]\nsecrecy = \"secret\"", line: 3, mentions: "tuyet_mat"),
        BadCase(name: "trigger to unknown profile", text: ok + "[[triggers]]\nkind = \"button\"\nbutton = \"scan\"\nprofile = \"nope\"", line: 5, mentions: "no profile named 'nope'"),
        BadCase(name: "key trigger without key code", text: ok + "[[triggers]]\nkind = \"key\"\ninput_device = \"/dev/input/event3\"\nprofile = \"default\"", line: 2, mentions: "key_code"),
        BadCase(name: "http target without url", text: ok + "[[targets]]\nname = \"c\"\nkind = \"http\"", line: 2, mentions: "url"),
        BadCase(name: "target url not http", text: ok + "[[targets]]\nname = \"c\"\nkind = \"http\"\nurl = \"ftp://x\"", line: 5, mentions: "http:// or https://"),
        BadCase(name: "unknown target kind", text: ok + "[[targets]]\nname = \"c\"\nkind = \"s3\"", line: 4, mentions: "http, directory"),
        BadCase(name: "duplicate target names", text: ok + "[[targets]]\nname = \"c\"\nkind = \"directory\"\npath = \"/a\"\n[[targets]]\nname = \"c\"\nkind = \"directory\"\npath = \"/b\"", line: 7, mentions: "unique"),
        BadCase(name: "hook as a shell string", text: ok + "[[hooks]]\nevent = \"registered\"\nargv = \"espeak $NUMBER\"", line: 4, mentions: "never run through a shell"),
        BadCase(name: "hook with relative program", text: ok + "[[hooks]]\nevent = \"registered\"\nargv = [\"espeak-ng\"]", line: 4, mentions: "absolute path"),
        BadCase(name: "hook with unknown event", text: ok + "[[hooks]]\nevent = \"scanned\"\nargv = [\"/bin/true\"]", line: 3, mentions: "needs-attention"),
        BadCase(name: "relative state dir", text: ok + "[paths]\nstate_dir = \"state\"", line: 3, mentions: "absolute path"),
        BadCase(name: "same book twice", text: ok + "[books]\nordinary = \"DEN\"\nclassified = \"DEN\"", line: 4, mentions: "must differ"),
        BadCase(name: "retry cap below base", text: ok + "[retry]\nbase_seconds = 10\ncap_seconds = 5", line: 4, mentions: "not be smaller"),
        BadCase(name: "negative disk minimum", text: ok + "[disk]\nmin_free_mb = -5", line: 3, mentions: "out of range"),
        BadCase(name: "secrecy with a trailing space", text: ok + "[profiles.a]\nsecrecy = \"mat \"", line: 3, mentions: "none, sensitive, mat, toi_mat, tuyet_mat"),
        BadCase(name: "secrecy in capitals", text: ok + "[profiles.a]\nsecrecy = \"MAT\"", line: 3, mentions: "none, sensitive, mat, toi_mat, tuyet_mat"),
        BadCase(name: "profile book no longer read", text: ok + "[profiles.a]\nbook = \"X\"", line: 3, mentions: "book follows the secrecy"),
        BadCase(name: "empty target name", text: ok + "[[targets]]\nname = \"\"\nkind = \"directory\"\npath = \"/a\"", line: 3, mentions: "not a usable name"),
        BadCase(name: "socket on the register", text: ok + "[paths]\nstate_dir = \"/var/lib/intake\"\nsocket = \"/var/lib/intake/register.sqlite\"", line: nil, mentions: "register's files"),
        BadCase(name: "socket in the documents", text: ok + "[paths]\nsocket = \"/var/lib/intake/documents/s\"", line: nil, mentions: "register's files"),
        BadCase(name: "unknown top-level section", text: ok + "[scanner]\nname = \"x\"", line: 2, mentions: "unknown key"),
    ]
    static let ok = "organisation_code = \"000.00.00.H49\"\n"

    @Test(arguments: badCases)
    func badConfigurationIsReportedWithLineAndAllowedValues(_ bad: BadCase) {
        do {
            _ = try ConfigurationLoader.parse(bad.text, file: "/etc/intake/intake.toml")
            Issue.record("\(bad.name): accepted a bad configuration")
        } catch {
            let text = error.description
            #expect(text.contains(bad.mentions), "\(bad.name): \(text)")
            if let line = bad.line {
                #expect(error.issues.contains { $0.line == line }, "\(bad.name): expected line \(line) in \(text)")
                #expect(text.contains("/etc/intake/intake.toml:\(line)"), "\(bad.name): \(text)")
            }
        }
    }

    @Test func everyProblemIsReportedNotOnlyTheFirst() {
        let text = Self.ok + "[profiles.a]\nresolution = \"x\"\nmode = \"Colour\"\n[[targets]]\nname = \"c\"\nkind = \"http\""
        do {
            _ = try ConfigurationLoader.parse(text, file: "f")
            Issue.record("accepted")
        } catch {
            #expect(error.issues.count >= 3, "\(error.issues)")
        }
    }

    @Test func missingFileNamesTheFileAndTheExample() {
        do {
            _ = try ConfigurationLoader.load(path: "/nonexistent/intake.toml")
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("/nonexistent/intake.toml"))
            #expect(error.description.contains("intake.example.toml"))
        }
    }

    @Test func showMasksProxyCredentialsAndNeverPrintsTheToken() throws {
        let text = Self.valid + "\ntoken_file = \"/etc/intake/token\"\nproxy = \"http://bob:hunter2@proxy:3128\""
        let config = try ConfigurationLoader.parse(text, file: "t")
        let shown = ConfigurationPrinter.render(config)
        #expect(!shown.contains("hunter2"))
        #expect(shown.contains("bob:***@proxy"))
        #expect(shown.contains("contents not shown"))
        // What `config show` prints is itself a valid configuration.
        let reparsed = try ConfigurationLoader.parse(shown.replacingOccurrences(of: "***", with: "x"), file: "shown")
        #expect(reparsed.profiles == config.profiles)
    }

    @Test func vietnameseTextIsStoredNFC() throws {
        let decomposed = "Ủy ban".decomposedStringWithCanonicalMapping
        let config = try ConfigurationLoader.parse(Self.ok + "organisation_name = \"\(decomposed)\"", file: "t")
        #expect(config.organisationName.unicodeScalars.count == "Ủy ban".precomposedStringWithCanonicalMapping.unicodeScalars.count)
    }
}

@Suite struct ConfigurationFileTests {
    /// Issue 15 item 9: a file saved in a legacy code page is named with its line and byte.
    @Test func aConfigurationThatIsNotUTF8NamesTheLineAndTheByte() throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/intake.toml"
        var bytes = Array("organisation_code = \"000.00.00.H49\"\norganisation_name = \"V".utf8)
        bytes.append(0xE0) // "à" in Latin-1, not UTF-8
        bytes += Array("n phòng\"\n".utf8)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        #expect {
            _ = try ConfigurationLoader.load(path: path)
        } throws: { error in
            let text = "\(error)"
            return text.contains("not UTF-8") && text.contains(":2") && text.contains("0xE0")
        }
    }
}
