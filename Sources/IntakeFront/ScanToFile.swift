internal import ArgumentParser
internal import FoundationEssentials
internal import Glibc
internal import Imaging
internal import IntakeCore
internal import PagePipeline
internal import Scanning

/// `intake scan --device D --output F [scan flags]` run in this lean process. The flags are
/// those of intake-full's `scan` (same names, same meaning); what this front does not take on
/// — help, a usage error, a value out of range, registering, the configured device — goes to
/// intake-full, so messages and exit codes stay the ones of the full command.
struct ScanToFile: ParsableArguments {
    // GlobalOptions: accepted; with --device the configuration is not read.
    @Option var config: String?
    @Option var stateDir: String?
    @Flag(name: .shortAndLong) var verbose = false

    @Option var profile: String?
    @Option var device: String?
    @Option var source: String?
    @Option var mode: String?
    @Option var resolution: Int?
    @Option(name: .customLong("page-width-mm")) var pageWidth: Double?
    @Option(name: .customLong("page-height-mm")) var pageHeight: Double?
    @Option var quality: Int?
    @Flag var removeBlank = false
    @Option var blankThreshold: Double?
    @Option(name: .customLong("option")) var deviceOptions: [String] = []
    @Option var output: String?
    @Option var format: String = "pdf"
    @Flag var register = false
    @Flag var direct = false
    @Option var urgency: String?
    @Option var secrecy: String?
    @Option var summary: String?
    @Option var sender: String?
    @Flag var json = false

    /// The scan, when this front runs it itself; nil hands the command to intake-full.
    static func lean(_ arguments: [String]) -> ScanToFile? {
        guard arguments.first == "scan" else { return nil }
        let flags = Array(arguments.dropFirst())
        let asksForHelp = flags.contains { ["-h", "--help", "-help", "--help-hidden", "--experimental-dump-help"].contains($0) }
        guard !asksForHelp, let scan = try? parse(flags), scan.isPlainScanToFile else { return nil }
        return scan
    }

    /// Scan-to-file with a named device and every value valid; nothing of the register.
    var isPlainScanToFile: Bool {
        guard output != nil, device != nil, !register, !direct, !json,
              profile == nil, urgency == nil, secrecy == nil, summary == nil, sender == nil,
              OutputFormat(rawValue: format) != nil,
              deviceOptions.allSatisfy({ $0.contains("=") }),
              source.map({ (try? ScanSource(word: $0)) != nil }) ?? true,
              mode.map({ (try? ScanMode(word: $0)) != nil }) ?? true
        else { return false }
        return ScanLimits.problems(resolution: recipe.settings.resolution ?? 0, pageWidthMM: pageWidth, pageHeightMM: pageHeight,
                                   blankThreshold: recipe.blankThreshold, jpegQuality: recipe.jpegQuality).isEmpty
    }

    /// The flags over the defaults of intake-full's `scan --output` (Configuration.Profile's:
    /// colour, 300 dpi, quality 80, blank threshold 0.001); without --source the device's own.
    var recipe: ScanRecipe {
        let options = Dictionary(deviceOptions.map { option in
            let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }, uniquingKeysWith: { $1 })
        let settings = ScanSettings(
            source: source.flatMap { try? ScanSource(word: $0) },
            mode: mode.flatMap { try? ScanMode(word: $0) } ?? .color,
            resolution: resolution ?? 300,
            pageWidthMM: pageWidth, pageHeightMM: pageHeight, extraOptions: options)
        var recipe = ScanRecipe(settings: settings)
        recipe.removeBlankPages = removeBlank
        if let blankThreshold { recipe.blankThreshold = blankThreshold }
        if let quality { recipe.jpegQuality = quality }
        recipe.format = OutputFormat(rawValue: format) ?? .pdf
        return recipe
    }

    /// Scans; prints what intake-full's `scan --output` prints. Returns the exit code.
    func run() -> Int32 {
        guard let output, let device else { return 1 }
        do {
            let scanner = try SaneRuntime.shared.open(device)
            defer { scanner.close() }
            let metadata = PDFMetadata(title: "Scan \(Date().formatted(.iso8601))", creator: "intake scan", creationDate: Date())
            let built = try DocumentBuilder.scan(with: scanner, recipe: recipe, to: output, metadata: metadata, progress: { event in
                if case let .page(number, width, height, blank) = event {
                    printError("page \(number) scanned (\(width)×\(height) px)\(blank ? " — blank, dropped" : "")")
                }
            })
            printError("wrote \(output): \(built.pages) page(s), \(built.bytes) bytes"
                       + (built.blankPagesRemoved > 0 ? ", \(built.blankPagesRemoved) blank page(s) dropped" : ""))
            return 0
        } catch let error as any IntakeError {
            printError("intake: \(error.message)" + (error.detail.isEmpty ? "" : "\n  detail: \(error.detail)"))
            return 1
        } catch {
            printError("intake: \(error)")
            return 1
        }
    }

    private func printError(_ text: String) {
        StandardError.print(text)
    }
}
