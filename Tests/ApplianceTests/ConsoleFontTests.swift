import Foundation
import Registry
import Testing
@testable import Appliance

/// The status screen's font: the console-setup configuration the package installs
/// (config/console-setup.intake) makes setupcon load a font whose Unicode table holds every
/// character the screen can show. Real tools: setupcon (console-setup), psfgettable (kbd).
@Suite struct ConsoleFontTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// The font file and console setupcon picks from the package's configuration.
    static func chosenFont(_ dir: TemporaryDirectory) throws -> (font: String, console: String) {
        // setupcon reads ~/.console-setup.VARIANT before /etc/default/console-setup.VARIANT: the
        // package's file goes there, so nothing in /etc is read or written.
        // setupcon drops consoles that do not exist (a build container may have no /dev/tty1):
        // it is asked about a stand-in file, and the console the package names is read here.
        let packaged = try String(contentsOfFile: repository.appendingPathComponent("config/console-setup.intake").path, encoding: .utf8)
        let named = packaged.split(separator: "\n").first { $0.hasPrefix("ACTIVE_CONSOLES=") }
            .map { $0.dropFirst("ACTIVE_CONSOLES=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        let standIn = dir.path + "/tty1"
        #expect(FileManager.default.createFile(atPath: standIn, contents: nil))
        let config = packaged.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("ACTIVE_CONSOLES=") ? "ACTIVE_CONSOLES=\"\(standIn)\"" : String($0) }.joined(separator: "\n")
        try Data(config.utf8).write(to: URL(fileURLWithPath: dir.path + "/.console-setup.intake"))
        let setup = try run("/bin/setupcon", ["--print-commands-only", "--force", "--font-only", "intake"],
                            environment: ["HOME": dir.path, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
        #expect(setup.status == 0, "\(setup.output)")
        // setfont '-C' '/dev/tty1' '/usr/share/consolefonts/Vietnamese-Fixed16.psf.gz'
        let line = try #require(setup.output.split(separator: "\n").first { $0.hasPrefix("setfont ") }, "\(setup.output)")
        let words = line.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
        let console = try #require(words.firstIndex(of: "-C").map { words[$0 + 1] })
        #expect(console == standIn, "setupcon sets the font on the configured console only")
        let font = try #require(words.last { $0.hasSuffix(".psf.gz") || $0.hasSuffix(".psf") })
        return (font, try #require(named))
    }

    /// Every code point in the font's Unicode table (psfgettable).
    static func unicodeTable(_ font: String, _ dir: TemporaryDirectory) throws -> Set<UInt32> {
        let plain = dir.path + "/font.psf"
        let unzip = try run("/bin/sh", ["-c", "gzip -dc \"$1\" > \"$2\"", "sh", font, plain])
        #expect(unzip.status == 0, "\(unzip.output)")
        let table = try run("/usr/bin/psfgettable", [plain, dir.path + "/font.tbl"])
        #expect(table.status == 0, "\(table.output)")
        let text = try String(contentsOfFile: dir.path + "/font.tbl", encoding: .utf8)
        var points = Set<UInt32>()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            for match in line.matches(of: /U\+([0-9a-fA-F]+)/) {
                if let value = UInt32(match.output.1, radix: 16) { points.insert(value) }
            }
        }
        return points
    }

    /// Every Vietnamese letter, lower and upper case, with each of the five tone marks, composed (NFC).
    static var vietnameseLetters: [String] {
        let tones = ["", "\u{0300}", "\u{0301}", "\u{0303}", "\u{0309}", "\u{0323}"]
        var letters = ["đ", "Đ"]
        for base in ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"] {
            for tone in tones {
                letters.append((base + tone).precomposedStringWithCanonicalMapping)
                letters.append((base.uppercased() + tone).precomposedStringWithCanonicalMapping)
            }
        }
        return letters
    }

    /// The screen in its states, as StatusScreen draws it (escape sequences removed): every
    /// clerk message of the catalogue (ClerkCatalogueTests.samples has one of each case) as the
    /// headline and as the line under the number, every error sentence, each urgency.
    static var screens: [String] {
        var states: [ScreenState] = [ScreenState()]
        var missing = ScreenState()
        missing.scannerConnected = false
        states.append(missing)
        let errors = ClerkCatalogue.errorSentences.keys.sorted().map { ClerkMessage.failure(code: $0) }
        let registered = Urgency.allCases.flatMap { urgency in
            [false, true].map { ClerkMessage.registered(book: "DEN", year: 2026, pages: 3, urgency: urgency, provisional: $0) }
        }
        for message in ClerkCatalogueTests.samples + errors + registered {
            var state = ScreenState()
            state.lastNumber = "T-12"
            state.lastDetail = message
            state.problem = message
            state.queueLength = 12
            state.offlineSince = ClerkCatalogueTests.at
            state.leases = ScreenLeases(remaining: 37, unconfirmed: 2)
            states.append(state)
        }
        return states.map { StatusScreen.render($0, now: ClerkCatalogueTests.at).replacing(/\u{1B}\[[0-9;]*[A-Za-z]/, with: "") }
    }

    /// Non-ASCII characters in the sources' string literals: whatever message a clerk may be
    /// shown (held reasons, errors, notices from the message catalogue) is made of them.
    static func literalCharacters() throws -> Set<Character> {
        var found = Set<Character>()
        let sources = repository.appendingPathComponent("Sources").path
        let enumerator = FileManager.default.enumerator(atPath: sources)
        while let name = enumerator?.nextObject() as? String {
            guard name.hasSuffix(".swift") else { continue }
            let text = try String(contentsOfFile: sources + "/" + name, encoding: .utf8)
            for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                for match in line.matches(of: /"((?:[^"\\]|\\.)*)"/) {
                    for character in match.output.1 where !character.isASCII { found.insert(character) }
                }
            }
        }
        return found
    }

    @Test func theStatusScreenFontHasEveryCharacterTheScreenCanShow() throws {
        let dir = TemporaryDirectory()
        let chosen = try Self.chosenFont(dir)
        #expect(chosen.console == "/dev/tty1", "the example configuration's [feedback] console")
        let table = try Self.unicodeTable(chosen.font, dir)
        #expect(table.count > 300, "\(chosen.font): \(table.count) code points")

        var missing: [String: Set<String>] = [:]
        func need(_ text: String, _ origin: String) {
            for scalar in text.unicodeScalars where scalar.value >= 0x20 && !table.contains(scalar.value) {
                missing[String(scalar), default: []].insert(origin)
            }
        }
        for letter in Self.vietnameseLetters {
            #expect(letter.unicodeScalars.count == 1, "\(letter) has no precomposed form")
            need(letter, "alphabet")
        }
        for screen in Self.screens {
            #expect(screen == screen.precomposedStringWithCanonicalMapping, "the console cannot stack marks: \(screen)")
            need(screen.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: "\u{07}", with: ""), "screen")
        }
        let literals = try Self.literalCharacters()
        #expect(literals.contains("ư") && literals.contains("█"), "the sources were read")
        for character in literals { need(String(character), "sources") }
        #expect(missing.isEmpty, "\(chosen.font) lacks: \(missing.sorted { $0.key < $1.key }.map { "\($0.key) U+\(String($0.key.unicodeScalars.first!.value, radix: 16)) (\($0.value.sorted().joined(separator: ",")))" })")
    }
}
