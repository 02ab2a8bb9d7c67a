import Foundation
import Imaging
public import IntakeCore
public import Logging
public import Registry
public import Scanning
public import PagePipeline

/// What the clerk or technician may change for one scan on top of the profile. Typed words:
/// a request with an unknown urgency or secrecy word is refused as a whole (never read as
/// "normal" or "not secret"), whichever way it entered (CLI, socket, button, key).
public struct ScanOverrides: Sendable, Codable, Equatable {
    public var urgency: Urgency?
    public var secrecy: Secrecy?
    public var summary: String?
    public var sender: String?

    public init(urgency: Urgency? = nil, secrecy: Secrecy? = nil, summary: String? = nil, sender: String? = nil) {
        self.urgency = urgency
        self.secrecy = secrecy
        self.summary = summary
        self.sender = sender
    }

    enum CodingKeys: String, CodingKey { case urgency, secrecy, summary, sender }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func word<W: DomainWord>(_ key: CodingKeys, _: W.Type) throws -> W? {
            guard let raw = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
            do { return try W(word: raw) } catch {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: error.message)
            }
        }
        urgency = try word(.urgency, Urgency.self)
        secrecy = try word(.secrecy, Secrecy.self)
        summary = try container.decodeIfPresent(String.self, forKey: .summary)
        sender = try container.decodeIfPresent(String.self, forKey: .sender)
    }

    /// The same checks wherever a request enters: text fields carry no control characters
    /// (NUL, ANSI escapes, bidi overrides) and stay within the register's field length.
    public func validate() throws(ControlError) {
        for (name, text) in [("sender", sender), ("summary", summary)] {
            guard let text else { continue }
            if let bad = SafeText.firstForbidden(in: text) {
                throw .invalidRequest("\(name) contains a control character (U+\(String(bad.value, radix: 16, uppercase: true))); send plain text")
            }
            if text.unicodeScalars.count > Self.maximumFieldLength {
                throw .invalidRequest("\(name) is longer than \(Self.maximumFieldLength) characters")
            }
        }
    }

    public static let maximumFieldLength = 2000

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(urgency?.word, forKey: .urgency)
        try container.encodeIfPresent(secrecy?.word, forKey: .secrecy)
        try container.encodeIfPresent(summary, forKey: .summary)
        try container.encodeIfPresent(sender, forKey: .sender)
    }
}

/// One press of the button, start to end: checks that may refuse before any paper moves (disk,
/// clock), the scan into a staged PDF, then the registration that gives the number.
public struct ScanService: Sendable {
    public var context: ApplianceContext
    public var logger: Logger

    public init(context: ApplianceContext, logger: Logger) {
        self.context = context
        self.logger = logger
    }

    /// Refuses before scanning if registering would fail afterwards.
    public func preflight() throws {
        if let problem = context.register.identityCheck() { throw problem }
        let disk = context.diskGuard.check()
        guard disk.ok else { throw PipelineError.diskFull(disk) }
        let clock = try context.register.clockCheck()
        guard clock.isOK else {
            throw PipelineError(code: .clockWrong, message: "The box's clock is wrong — call the technician; nothing was scanned.",
                                detail: clock.message)
        }
    }

    public func scanAndRegister(
        scanner: any Scanning.Scanner,
        profileName: String,
        overrides: ScanOverrides = ScanOverrides(),
        shouldStop: () -> Bool = { false },
        progress: (ScanProgress) -> Void = { _ in }
    ) throws -> RegisteredDocument {
        let configuration = context.configuration
        guard let profile = configuration.profiles[profileName] else {
            throw PipelineError.unknownProfile(profileName, known: Array(configuration.profiles.keys))
        }
        try overrides.validate()
        try DigitisationRule.check(profile, name: profileName)
        try preflight()
        // The profile's secrecy is a floor: a request may raise it, never lower it.
        let urgency = overrides.urgency ?? profile.urgency
        let secrecy = max(overrides.secrecy ?? profile.secrecy, profile.secrecy)
        let storage = SecrecyRules.storage(for: secrecy, on: configuration.network)
        if storage == .none {
            // Numbered before any paper moves: no page of it is scanned, kept or sent.
            return try registerWithoutPages(profileName: profileName, urgency: urgency, secrecy: secrecy, overrides: overrides)
        }
        // The key is found before the paper moves, so a missing key never costs a scan.
        let sealer = try storage == .sealed ? ClassifiedFiles(configuration: configuration) : nil
        // A classified scan is sealed as it is written: its pages never reach the disk in the clear.
        let staged = configuration.paths.stagingDirectory + "/scan-\(UUID().uuidString.lowercased()).pdf" + (sealer == nil ? "" : ".sealed")
        let now = context.clock.now()
        let metadata = PDFMetadata(
            title: "Văn bản đến — \(configuration.organisationName.isEmpty ? configuration.organisationCode : configuration.organisationName)",
            author: configuration.organisationCode,
            subject: "Incoming document scanned \(now.formatted(.iso8601))",
            keywords: "intake; \(configuration.organisationCode); \(profileName)",
            creator: "Intake \(profileName) profile",
            creationDate: now
        )
        // An imprinter prints the number as the paper passes: it is reserved first, and a batch
        // re-fed after a jam gets the same reservation back (Register+Reservation.swift).
        var recipe = ScanRecipe(profile: profile)
        if profile.imprint, let problem = scanner.validate(recipe.settings).first { throw problem }  // no number held for a scanner that cannot print it
        let reservation = profile.imprint ? try context.register.reserveNumber(profile: profileName, secrecy: secrecy) : nil
        recipe.settings.imprint = reservation.map(ImprintText.text(for:))
        if storage == .plain, let stamper = context.register.stamper {
            // The stamp's font is cut while the paper moves, not after the last line.
            let entry = StampEntry(book: "", year: 0, number: 0, arrivedAt: now, timeZone: context.register.configuration.timeZone,
                                   secrecy: secrecy, urgency: urgency,
                                   fields: RegisterFields(sender: overrides.sender, summary: overrides.summary))
            DetachedThread.start(name: "intake-stamp-font") { stamper.prepare(for: entry) }
        }
        let started = ContinuousClock.now
        // A plain scan is hashed as it is written (DigestingFile); a classified one is sealed as it is written.
        var plainFile: DigestingFile?
        let sink: (String) throws -> any ByteSink = { path in
            if let files = sealer { return try SealingFile(cipher: files.cipher, path: path) }
            let file = try DigestingFile(path: path)
            plainFile = file
            return file
        }
        let built = try DocumentBuilder.scan(with: scanner, recipe: recipe, to: staged, metadata: metadata, sink: sink,
                                             shouldStop: shouldStop, progress: progress)
        let scanned = ContinuousClock.now - started
        let document: RegisteredDocument
        let stagedFile = built.path
        // From the scanner's last line to the number in the book: the time the clerk waits.
        var afterLastLine: Duration?
        do {
            document = try context.register.register(NewDocument(
                profile: profileName, urgency: urgency, secrecy: secrecy, pages: built.pages, stagedFile: stagedFile,
                fields: RegisterFields(sender: overrides.sender, summary: overrides.summary),
                targets: configuration.targets.map(\.name), storage: storage,
                marksCheck: configuration.ocr.enabled && storage == .plain ? .pending : .notRequired, reservation: reservation?.id
            ), stagedDigest: plainFile?.digest) { _ in
                afterLastLine = built.lastLineAt.map { ContinuousClock.now - $0 }
            }
        } catch {
            unlink(staged)
            throw error
        }
        var fields: Logger.Metadata = [
            "number": "\(document.number)", "book": "\(document.book)", "year": "\(document.year)", "id": "\(document.id)",
            "pages": "\(document.pages)", "blank_removed": "\(built.blankPagesRemoved)", "bytes": "\(built.bytes)",
            "profile": "\(profileName)", "urgency": "\(urgency.rawValue)", "scan_seconds": "\(String(format: "%.2f", scanned.seconds))",
        ]
        if let afterLastLine {
            fields["after_last_line_ms"] = "\(String(format: "%.1f", afterLastLine.seconds * 1000))"
        }
        logger.notice("registered", metadata: fields)
        return document
    }

    /// Numbers the document at once, without a scanner, when the secrecy rules keep none of its
    /// pages on this box (TUYỆT MẬT; MẬT, TỐI MẬT, sensitive on an Internet box); nil when its
    /// pages must be scanned. The CLI and the daemon call it before they look for the scanner.
    public func registerIfNoPagesKept(profileName: String, overrides: ScanOverrides = ScanOverrides()) throws -> RegisteredDocument? {
        guard let profile = context.configuration.profiles[profileName] else {
            throw PipelineError.unknownProfile(profileName, known: Array(context.configuration.profiles.keys))
        }
        let secrecy = max(overrides.secrecy ?? profile.secrecy, profile.secrecy)
        guard SecrecyRules.storage(for: secrecy, on: context.configuration.network) == .none else { return nil }
        try overrides.validate()
        try preflight()
        return try registerWithoutPages(profileName: profileName, urgency: overrides.urgency ?? profile.urgency,
                                        secrecy: secrecy, overrides: overrides)
    }

    /// A classified document this box may not keep: the number in the classified book, no pages.
    func registerWithoutPages(profileName: String, urgency: Urgency, secrecy: Secrecy, overrides: ScanOverrides) throws -> RegisteredDocument {
        let document = try context.register.register(NewDocument(
            profile: profileName, urgency: urgency, secrecy: secrecy, pages: 0, stagedFile: "",
            fields: RegisterFields(sender: overrides.sender, summary: overrides.summary, notes: SecrecyRules.registerNote(for: secrecy)),
            targets: [], storage: .none))
        logger.notice("registered without pages (secrecy rules)", metadata: [
            "number": "\(document.number)", "book": "\(document.book)", "year": "\(document.year)", "id": "\(document.id)",
            "secrecy": "\(secrecy.rawValue)", "network": "\(context.configuration.network.rawValue)",
        ])
        return document
    }
}
