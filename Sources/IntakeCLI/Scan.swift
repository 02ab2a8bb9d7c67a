import Appliance
import ArgumentParser
import Foundation
import Imaging
import IntakeCore
import Registry
import Scanning
import PagePipeline

extension Intake {
    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scan a document: register it in the book, or just write a file.",
            discussion: """
            With --profile (or nothing), the document is scanned, numbered in the register and \
            queued for delivery. If `intake serve` is running, the request goes to it over its \
            socket (it owns the scanner); otherwise this command scans directly.

            With --output, pages go to a file (PDF or multi-page TIFF) and nothing is registered: \
            use it to test a scanner.

            Examples:
              intake scan --profile default
              intake scan --profile urgent --urgency hoa_toc --summary "Công văn số 12/UBND"
              intake scan --device test:0 --source ADF --mode Color --resolution 300 --output out.pdf
              intake scan --device test:0 --mode Lineart --output out.tiff --format tiff
            """
        )

        @OptionGroup var global: GlobalOptions

        @Option(help: "Scan profile from the configuration.")
        var profile: String?

        @Option(help: "SANE device name (see `intake devices`); default: the configured device.")
        var device: String?

        @Option(help: "Paper source (default: the profile's; with --output, the device's own).")
        var source: ScanSource?

        @Option(help: "Colour mode.")
        var mode: ScanMode?

        @Option(help: "Resolution in dpi.")
        var resolution: Int?

        @Option(name: .customLong("page-width-mm"), help: "Scan area width in millimetres.")
        var pageWidth: Double?

        @Option(name: .customLong("page-height-mm"), help: "Scan area height in millimetres.")
        var pageHeight: Double?

        @Option(help: "JPEG quality for gray and colour pages (10–100).")
        var quality: Int?

        @Flag(help: "Drop blank pages (e.g. the empty backs of duplex scans).")
        var removeBlank = false

        @Flag(help: "JPEG pages with Huffman tables optimised per page (profile key jpeg_optimize): smaller, more memory.")
        var jpegOptimize = false

        @Option(help: "Blank-page threshold: fraction of ink below which a page is blank.")
        var blankThreshold: Double?

        @Option(name: .customLong("option"), help: ArgumentHelp("A raw device option, name=value (repeatable), e.g. --option lamp-switch=true.", valueName: "name=value"))
        var deviceOptions: [String] = []

        @Option(help: ArgumentHelp("Write the pages to this file instead of registering.", valueName: "file"))
        var output: String?

        @Option(help: "File format with --output: pdf or tiff.")
        var format: String = "pdf"

        @Flag(help: "Register the document in the book (the default unless --output is given).")
        var register = false

        @Flag(help: "Scan here even if the daemon is running (stop it first: it owns the scanner).")
        var direct = false

        @Option(help: "Urgency (độ khẩn).")
        var urgency: Urgency?

        @Option(help: "Secrecy (độ mật); classified documents go to their own book.")
        var secrecy: Secrecy?

        @Option(help: "Tên loại và trích yếu (type and summary) for the register.")
        var summary: String?

        @Option(help: "Tác giả (sender) for the register.")
        var sender: String?

        @Flag(help: "Print the registered document as JSON.")
        var json = false

        func validate() throws {
            if output != nil && register {
                throw ValidationError("--output writes a file without registering; drop --register, or drop --output to register the document.")
            }
            if OutputFormat(rawValue: format) == nil {
                throw ValidationError("--format must be pdf or tiff, not '\(format)'.")
            }
            for option in deviceOptions where !option.contains("=") {
                throw ValidationError("--option takes name=value, e.g. --option read-limit=true; got '\(option)'.")
            }
            var profile = Configuration.Profile()
            applyFlags(to: &profile)
            if let problem = ProfileLimits.problems(profile, registered: output == nil).first {
                throw ValidationError(problem)
            }
            for (flag, text) in [("--summary", summary), ("--sender", sender)] {
                if let text, let bad = SafeText.firstForbidden(in: text) {
                    throw ValidationError("\(flag) contains a control character (U+\(String(format: "%04X", bad.value))); type plain text.")
                }
            }
        }

        var overrides: ScanOverrides { ScanOverrides(urgency: urgency, secrecy: secrecy, summary: summary, sender: sender) }

        var hasDeviceFlags: Bool {
            device != nil || source != nil || mode != nil || resolution != nil || pageWidth != nil || pageHeight != nil
                || quality != nil || removeBlank || blankThreshold != nil || !deviceOptions.isEmpty
        }

        var parsedDeviceOptions: [String: String] {
            Dictionary(deviceOptions.map { option in
                let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
                return (parts[0], parts.count > 1 ? parts[1] : "")
            }, uniquingKeysWith: { $1 })
        }

        func run() async throws {
            if let output {
                try scanToFile(output)
                return
            }
            let configuration: Configuration
            do { configuration = try global.loadConfiguration() } catch { throw fail(error) }
            let daemon = DaemonClient(socket: configuration.paths.socket)
            let place: ScanPlace
            do {
                place = try daemon.placeForRegisteredScan(direct: direct, deviceSettings: hasDeviceFlags)
            } catch {
                throw fail(error, exitCode: ExitStatus.notReady)
            }
            if place == .daemon {
                do {
                    try scanThroughDaemon(daemon)
                    return
                } catch let error as ControlError where error.code == .daemonNotRunning {
                    printError("intake: the daemon is not running; scanning directly")
                }
            }
            try scanDirectly(configuration)
        }

        // MARK: - Through the daemon

        func scanThroughDaemon(_ daemon: DaemonClient) throws {
            let result = try daemon.scan(profile: profile ?? "default", overrides: overrides) { reply in
                switch reply.event {
                case .accepted: printError("scan accepted by the daemon")
                case .page: printError("page \(reply.page ?? 0) scanned\(reply.blank == true ? " (blank, dropped)" : "")")
                default: break
                }
            }
            switch result {
            case .success(let document): try printRegistered(document)
            case .failure(let error): throw fail(error)
            }
        }

        // MARK: - Directly

        func scanDirectly(_ configuration: Configuration) throws {
            let logger = global.makeLogger()
            var configuration = configuration
            let name = profile ?? "default"
            guard var chosen = configuration.profiles[name] else {
                throw fail(PipelineError.unknownProfile(name, known: Array(configuration.profiles.keys)))
            }
            applyFlags(to: &chosen)
            configuration.profiles[name] = chosen
            if let device { configuration.device.name = device }
            do {
                try printRegistered(DirectScan.register(configuration: configuration, profile: name, overrides: overrides,
                                                        buildYear: IntakeVersion.buildYear, logger: logger, progress: Self.printProgress))
            } catch {
                throw fail(error)
            }
        }

        func scanToFile(_ output: String) throws {
            do {
                let name = try device ?? global.loadConfiguration().device.name ?? SaneRuntime.shared.devices().first?.name
                guard let name else { throw PipelineError.noScanner("no SANE device found; see `intake devices`") }
                let scanner = try SaneRuntime.shared.open(name)
                defer { scanner.close() }
                var profile = Configuration.Profile()
                applyFlags(to: &profile)
                var recipe = ScanRecipe(profile: profile)
                // Without --source the device scans from its own default (a flatbed-only device has no source option).
                recipe.settings.source = source
                recipe.format = OutputFormat(rawValue: format) ?? .pdf
                let metadata = PDFMetadata(title: "Scan \(Date().formatted(.iso8601))", creator: "intake scan", creationDate: Date())
                let built = try DocumentBuilder.scan(with: scanner, recipe: recipe, to: output, metadata: metadata, progress: Self.printProgress)
                printError("wrote \(output): \(built.pages) page(s), \(built.bytes) bytes" + (built.blankPagesRemoved > 0 ? ", \(built.blankPagesRemoved) blank page(s) dropped" : ""))
            } catch {
                throw fail(error)
            }
        }

        /// The scan flags laid over a profile: the configured one, or the defaults for --output.
        func applyFlags(to profile: inout Configuration.Profile) {
            if let source { profile.source = source }
            if let mode { profile.mode = mode }
            if let resolution { profile.resolution = resolution }
            if let pageWidth { profile.pageWidthMM = pageWidth }
            if let pageHeight { profile.pageHeightMM = pageHeight }
            if let quality { profile.jpegQuality = quality }
            if removeBlank { profile.removeBlankPages = true }
            if jpegOptimize { profile.jpegOptimize = true }
            if let blankThreshold { profile.blankThreshold = blankThreshold }
            profile.deviceOptions.merge(parsedDeviceOptions) { $1 }
        }

        static func printProgress(_ event: ScanProgress) {
            switch event {
            case let .page(number, width, height, blank):
                printError("page \(number) scanned (\(width)×\(height) px)\(blank ? " — blank, dropped" : "")")
            case .finished: break
            }
        }

        func printRegistered(_ document: DocumentSummary) throws {
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(document), as: UTF8.self))
            } else {
                print("Số đến \(StampEntry.text(of: document.number))\(document.number < 0 ? " (SỐ TẠM, provisional)" : "") — book \(document.book) \(document.year) — \(document.pages) page(s) — \(document.id)")
                if let notice = document.notice { print(notice) }
            }
        }
    }
}
