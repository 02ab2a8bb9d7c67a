import Foundation
import IntakeCore
import Registry
import Scanning
import TOMLKit

/// Reads and checks an Intake TOML configuration, reporting every problem with file and line.
public enum ConfigurationLoader {
    public static let defaultPath = "/etc/intake/intake.toml"

    public static func load(path: String) throws(ConfigurationError) -> Configuration {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file"
            throw ConfigurationError(issues: [
                ConfigurationIssue(file: path, line: nil, key: "",
                                   message: "cannot read the file (\(reason)); create it from config/intake.example.toml")
            ])
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            // Name the line and the byte: an editor saved it as Windows-1258 or Latin-1.
            let bytes = Array(data)
            let valid = Self.firstInvalidUTF8(bytes)
            let line = bytes[..<valid].filter { $0 == 0x0A }.count + 1
            throw ConfigurationError(issues: [
                ConfigurationIssue(file: path, line: line, key: "",
                                   message: "is not UTF-8 text (byte 0x\(String(format: "%02X", bytes[valid])) at offset \(valid)); "
                                       + "save the file as UTF-8 (Vietnamese text must be Unicode, TCVN 6909:2001)")
            ])
        }
        return try parse(text, file: path)
    }

    /// The offset of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while case let .scalarValue(scalar) = decoder.decode(&iterator) { offset += UTF8.width(scalar) }
        return min(offset, max(0, bytes.count - 1))
    }

    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> Configuration {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(issues: [
                ConfigurationIssue(file: file, line: error.source.begin.line, key: "",
                                   message: "TOML syntax error: \(error.description)")
            ])
        } catch {
            throw ConfigurationError(issues: [ConfigurationIssue(file: file, line: nil, key: "", message: "\(error)")])
        }
        var reader = Reader(file: file, locator: SourceLocator(text: text))
        var config = reader.configuration(from: table)
        config.sourcePath = file
        if !reader.issues.isEmpty { throw ConfigurationError(issues: reader.issues) }
        return config
    }

    private static func reason(_ error: any Error) -> String {
        if let cocoa = error as? CocoaError, let underlying = cocoa.underlying as? POSIXError {
            return String(cString: strerror(underlying.code.rawValue))
        }
        if let cocoa = error as? CocoaError, cocoa.code == .fileReadNoSuchFile { return "no such file" }
        return error.localizedDescription
    }
}

// MARK: - Reader

/// Walks the TOML tree with the key path at hand, so each problem can name key and line.
struct Reader {
    let file: String
    let locator: SourceLocator
    var issues: [ConfigurationIssue] = []

    static var organisationCodePattern: Regex<Substring> { #/^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/# }

    mutating func problem(_ key: String, _ message: String) {
        issues.append(ConfigurationIssue(file: file, line: locator.line(of: key), key: key, message: message))
    }

    mutating func checkKeys(_ table: TOMLTable, at path: String, allowed: [String]) {
        for key in table.keys where !allowed.contains(key) {
            let full = path.isEmpty ? key : "\(path).\(key)"
            let suggestion = allowed.min { Self.distance($0, key) < Self.distance($1, key) }
                .flatMap { Self.distance($0, key) <= 3 ? " (did you mean '\($0)'?)" : nil } ?? ""
            problem(full, "unknown key\(suggestion); allowed here: \(allowed.joined(separator: ", "))")
        }
    }

    // MARK: typed getters

    mutating func string(_ table: TOMLTable, _ key: String, at path: String) -> String? {
        guard let value = table[key] else { return nil }
        guard let string = value.string else {
            problem(Self.join(path, key), "must be a string in quotes, found \(value.type)")
            return nil
        }
        return string.precomposedStringWithCanonicalMapping
    }

    mutating func int(_ table: TOMLTable, _ key: String, at path: String, range: ClosedRange<Int>) -> Int? {
        guard let value = table[key] else { return nil }
        guard let int = value.int else {
            problem(Self.join(path, key), "must be a whole number between \(range.lowerBound) and \(range.upperBound), found \(value.type)")
            return nil
        }
        guard range.contains(int) else {
            problem(Self.join(path, key), "\(int) is out of range; allowed \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return int
    }

    mutating func double(_ table: TOMLTable, _ key: String, at path: String, range: ClosedRange<Double>) -> Double? {
        guard let value = table[key] else { return nil }
        guard let number = value.double ?? value.int.map(Double.init) else {
            problem(Self.join(path, key), "must be a number between \(range.lowerBound) and \(range.upperBound), found \(value.type)")
            return nil
        }
        guard range.contains(number) else {
            problem(Self.join(path, key), "\(number) is out of range; allowed \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return number
    }

    mutating func bool(_ table: TOMLTable, _ key: String, at path: String) -> Bool? {
        guard let value = table[key] else { return nil }
        guard let bool = value.bool else {
            problem(Self.join(path, key), "must be true or false, found \(value.type)")
            return nil
        }
        return bool
    }

    mutating func choice<E: RawRepresentable & CaseIterable>(_ table: TOMLTable, _ key: String, at path: String, as: E.Type) -> E? where E.RawValue == String {
        guard let raw = string(table, key, at: path) else { return nil }
        guard let value = E(rawValue: raw) else {
            problem(Self.join(path, key), "'\(raw)' is not allowed; use one of: \(E.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return value
    }

    /// A domain word, spelled exactly as its vocabulary spells it (unknown words are refused).
    mutating func word<W: DomainWord>(_ table: TOMLTable, _ key: String, at path: String, as: W.Type) -> W? {
        guard let raw = string(table, key, at: path) else { return nil }
        do { return try W(word: raw) } catch {
            problem(Self.join(path, key), "'\(SafeText.escapedForDisplay(raw))' is not allowed; use one of: \(W.words.joined(separator: ", "))")
            return nil
        }
    }

    mutating func oneOf(_ table: TOMLTable, _ key: String, at path: String, _ allowed: [String]) -> String? {
        guard let raw = string(table, key, at: path) else { return nil }
        guard let match = allowed.first(where: { $0.caseInsensitiveCompare(raw) == .orderedSame }) else {
            problem(Self.join(path, key), "'\(raw)' is not allowed; use one of: \(allowed.joined(separator: ", "))")
            return nil
        }
        return match
    }

    mutating func seconds(_ table: TOMLTable, _ key: String, at path: String, range: ClosedRange<Double>) -> Duration? {
        double(table, key, at: path, range: range).map { .milliseconds(Int64($0 * 1000)) }
    }

    mutating func subtable(_ table: TOMLTable, _ key: String, at path: String) -> TOMLTable? {
        guard let value = table[key] else { return nil }
        guard let sub = value.table else {
            problem(Self.join(path, key), "must be a table ([\(Self.join(path, key))]), found \(value.type)")
            return nil
        }
        return sub
    }

    /// [device.buttons.BACKEND]: watch = [..], ignore = [..], refresh = "option".
    mutating func buttonRules(_ table: TOMLTable, at path: String) -> Configuration.ButtonRules {
        checkKeys(table, at: path, allowed: ["watch", "ignore", "refresh"])
        var rules = Configuration.ButtonRules()
        for key in ["watch", "ignore"] {
            guard let value = table[key] else { continue }
            guard let array = value.array, array.allSatisfy({ $0.string != nil }) else {
                problem(Self.join(path, key), "must be a list of option names in quotes, e.g. [\"button-1\"] (see `intake options DEVICE --all`)")
                continue
            }
            let names = array.compactMap(\.string)
            if key == "watch" { rules.watch = names } else { rules.ignore = names }
        }
        rules.refresh = string(table, "refresh", at: path)
        return rules
    }

    mutating func tableArray(_ table: TOMLTable, _ key: String) -> [TOMLTable] {
        guard let value = table[key] else { return [] }
        guard let array = value.array else {
            problem(key, "must be an array of tables written as [[\(key)]], found \(value.type)")
            return []
        }
        var tables: [TOMLTable] = []
        for (index, element) in array.enumerated() {
            guard let sub = element.table else {
                problem("\(key)[\(index)]", "must be a table written as [[\(key)]]")
                continue
            }
            tables.append(sub)
        }
        return tables
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = a[i - 1] == b[j - 1] ? previous : min(previous, row[j], row[j - 1]) + 1
                previous = current
            }
        }
        return row[b.count]
    }

    // MARK: sections

    mutating func configuration(from root: TOMLTable) -> Configuration {
        var config = Configuration()
        checkKeys(root, at: "", allowed: ["organisation_code", "organisation_name", "paths", "books", "device",
                                          "profiles", "triggers", "targets", "retry", "feedback", "hooks", "disk", "stamp",
                                          "network", "release", "at_rest", "metrics", "backup", "retention", "ocr"])
        if let code = string(root, "organisation_code", at: "") {
            if code.wholeMatch(of: Self.organisationCodePattern) == nil {
                problem("organisation_code", "'\(code)' is not an identifier code (mã định danh) like 000.00.00.H49")
            }
            config.organisationCode = code
        } else {
            problem("organisation_code", "is required: the organisation's identifier code (mã định danh), e.g. \"000.00.00.H49\"")
        }
        config.organisationName = string(root, "organisation_name", at: "") ?? config.organisationName

        if let paths = subtable(root, "paths", at: "") {
            checkKeys(paths, at: "paths", allowed: ["state_dir", "socket"])
            for (key, keyPath) in [("state_dir", \Configuration.Paths.stateDirectory),
                                   ("socket", \Configuration.Paths.socket)] {
                if let value = string(paths, key, at: "paths") {
                    if value.hasPrefix("/") { config.paths[keyPath: keyPath] = value }
                    else { problem("paths.\(key)", "must be an absolute path starting with /, found '\(value)'") }
                }
            }
            // The daemon removes a stale socket file before binding: the socket must never be
            // one of the register's own files or lie inside its documents or staging areas.
            let socket = (config.paths.socket as NSString).standardizingPath
            let state = (config.paths.stateDirectory as NSString).standardizingPath
            let owned = [config.paths.databasePath, config.paths.databasePath + "-wal", config.paths.databasePath + "-shm"]
                .map { ($0 as NSString).standardizingPath }
            if owned.contains(socket) || socket == state
                || [config.paths.documentsDirectory, config.paths.stagingDirectory].contains(where: { socket.hasPrefix(($0 as NSString).standardizingPath + "/") || socket == $0 }) {
                problem("paths.socket", "'\(socket)' is one of the register's files or folders; use a path of its own, e.g. \"/run/intake/intake.sock\"")
            }
        }
        if let books = subtable(root, "books", at: "") {
            checkKeys(books, at: "books", allowed: ["ordinary", "classified", "numbering", "lease_check_seconds", "lease_minimum"])
            leaseSettings(books, into: &config.books)
            config.books.ordinary = bookCode(books, "ordinary") ?? config.books.ordinary
            config.books.classified = bookCode(books, "classified") ?? config.books.classified
            if config.books.ordinary == config.books.classified {
                problem("books.classified", "must differ from books.ordinary: classified documents have their own register book")
            }
        }
        if let device = subtable(root, "device", at: "") {
            checkKeys(device, at: "device", allowed: ["name", "vendor", "model", "poll_buttons", "button_poll_ms", "rescan_seconds", "buttons"])
            config.device.name = string(device, "name", at: "device")
            config.device.vendor = string(device, "vendor", at: "device")
            config.device.model = string(device, "model", at: "device")
            config.device.pollButtons = bool(device, "poll_buttons", at: "device") ?? config.device.pollButtons
            if let ms = int(device, "button_poll_ms", at: "device", range: 20...5000) { config.device.buttonPollInterval = .milliseconds(ms) }
            if let s = seconds(device, "rescan_seconds", at: "device", range: 0.5...600) { config.device.rescanInterval = s }
            if let buttons = subtable(device, "buttons", at: "device") {
                for backend in buttons.keys.sorted() {
                    guard let table = subtable(buttons, backend, at: "device.buttons") else { continue }
                    config.device.buttons[backend] = buttonRules(table, at: "device.buttons.\(backend)")
                }
            }
        }
        if let profiles = subtable(root, "profiles", at: "") {
            config.profiles = [:]
            for name in profiles.keys {
                guard let table = subtable(profiles, name, at: "profiles") else { continue }
                config.profiles[name] = profile(table, at: "profiles.\(name)")
            }
            if config.profiles.isEmpty { problem("profiles", "define at least one profile, e.g. [profiles.default]") }
        }
        for (index, table) in tableArray(root, "triggers").enumerated() {
            if let trigger = trigger(table, at: "triggers[\(index)]", profiles: config.profiles) { config.triggers.append(trigger) }
        }
        var targetNames = Set<String>()
        for (index, table) in tableArray(root, "targets").enumerated() {
            if let target = target(table, at: "targets[\(index)]") {
                if !targetNames.insert(target.name).inserted {
                    problem("targets[\(index)].name", "'\(target.name)' is used by another target; names must be unique")
                }
                config.targets.append(target)
            }
        }
        if let retry = subtable(root, "retry", at: "") {
            checkKeys(retry, at: "retry", allowed: ["base_seconds", "cap_seconds"])
            config.retry.base = seconds(retry, "base_seconds", at: "retry", range: 0.01...3600) ?? config.retry.base
            config.retry.cap = seconds(retry, "cap_seconds", at: "retry", range: 0.01...86400) ?? config.retry.cap
            if config.retry.cap < config.retry.base { problem("retry.cap_seconds", "must not be smaller than retry.base_seconds") }
        }
        if let feedback = subtable(root, "feedback", at: "") {
            checkKeys(feedback, at: "feedback", allowed: ["console", "bell"])
            config.feedback.console = string(feedback, "console", at: "feedback")
            config.feedback.bell = bool(feedback, "bell", at: "feedback") ?? config.feedback.bell
        }
        for (index, table) in tableArray(root, "hooks").enumerated() {
            let path = "hooks[\(index)]"
            checkKeys(table, at: path, allowed: ["event", "argv", "timeout_seconds"])
            let event = choice(table, "event", at: path, as: Configuration.HookEvent.self)
            if table["event"] == nil { problem("\(path).event", "is required; use one of: \(Configuration.HookEvent.allCases.map(\.rawValue).joined(separator: ", "))") }
            var argv: [String] = []
            if let value = table["argv"] {
                if let array = value.array, array.allSatisfy({ $0.string != nil }), !array.isEmpty {
                    argv = array.compactMap(\.string)
                    if let program = argv.first, !program.hasPrefix("/") {
                        problem("\(path).argv", "the program '\(program)' must be an absolute path (hooks never run through a shell)")
                    }
                } else if value.string != nil {
                    problem("\(path).argv", "must be a list like [\"/usr/bin/espeak-ng\", \"-v\", \"vi\", \"{number}\"], not one string: hooks never run through a shell")
                } else {
                    problem("\(path).argv", "must be a non-empty list of strings")
                }
            } else {
                problem("\(path).argv", "is required: the program and its arguments as a list")
            }
            let timeout = seconds(table, "timeout_seconds", at: path, range: 1...600) ?? .seconds(30)
            if let event, !argv.isEmpty { config.hooks.append(.init(event: event, argv: argv, timeout: timeout)) }
        }
        readSecrecy(root, into: &config)
        if let disk = subtable(root, "disk", at: "") {
            checkKeys(disk, at: "disk", allowed: ["min_free_mb"])
            config.disk.minimumFreeMB = int(disk, "min_free_mb", at: "disk", range: 0...1_000_000) ?? config.disk.minimumFreeMB
        }
        if let stamp = subtable(root, "stamp", at: "") { config.stamp = self.stamp(stamp) }
        stampFont(config.stamp, explicit: (root["stamp"]?.table?["font"]) != nil)
        numberingAuthority(config)
        config.metrics = metrics(root) ?? config.metrics
        operations(from: root, into: &config)
        ocr(from: root, into: &config)
        return config
    }

    mutating func bookCode(_ table: TOMLTable, _ key: String) -> String? {
        guard let code = string(table, key, at: "books") else { return nil }
        guard code.wholeMatch(of: #/[A-Z0-9]{1,8}/#) != nil else {
            problem("books.\(key)", "'\(code)' must be 1–8 capital letters or digits, e.g. \"DEN\"")
            return nil
        }
        return code
    }

    mutating func profile(_ table: TOMLTable, at path: String) -> Configuration.Profile {
        checkKeys(table, at: path, allowed: ["source", "mode", "resolution", "page_width_mm", "page_height_mm",
                                             "remove_blank_pages", "blank_threshold", "jpeg_quality", "urgency",
                                             "secrecy", "device_options", "imprint"])
        if table["book"] != nil {
            problem("\(path).book", "is no longer read: the book follows the secrecy ([books] ordinary and classified)")
        }
        var profile = Configuration.Profile()
        profile.source = word(table, "source", at: path, as: ScanSource.self) ?? profile.source
        profile.mode = word(table, "mode", at: path, as: ScanMode.self) ?? profile.mode
        profile.resolution = int(table, "resolution", at: path, range: ProfileLimits.resolution) ?? profile.resolution
        profile.pageWidthMM = double(table, "page_width_mm", at: path, range: ProfileLimits.pageWidthMM)
        profile.pageHeightMM = double(table, "page_height_mm", at: path, range: ProfileLimits.pageHeightMM)
        profile.removeBlankPages = bool(table, "remove_blank_pages", at: path) ?? profile.removeBlankPages
        profile.blankThreshold = double(table, "blank_threshold", at: path, range: ProfileLimits.blankThreshold) ?? profile.blankThreshold
        profile.jpegQuality = int(table, "jpeg_quality", at: path, range: ProfileLimits.jpegQuality) ?? profile.jpegQuality
        profile.urgency = word(table, "urgency", at: path, as: Urgency.self) ?? profile.urgency
        profile.secrecy = word(table, "secrecy", at: path, as: Secrecy.self) ?? profile.secrecy
        digitisationRules(profile, at: path)
        profile.imprint = bool(table, "imprint", at: path) ?? profile.imprint
        if profile.mode == .lineart, table["jpeg_quality"] != nil {
            problem("\(path).jpeg_quality", "has no effect with mode Lineart (lineart pages are stored losslessly as CCITT G4)")
        }
        if let options = subtable(table, "device_options", at: path) {
            for key in options.keys {
                guard let value = options[key] else { continue }
                if let s = value.string { profile.deviceOptions[key] = s }
                else if let i = value.int { profile.deviceOptions[key] = String(i) }
                else if let d = value.double { profile.deviceOptions[key] = String(d) }
                else if let b = value.bool { profile.deviceOptions[key] = b ? "true" : "false" }
                else { problem("\(path).device_options.\(key)", "must be a string, number or true/false") }
            }
        }
        return profile
    }

    mutating func trigger(_ table: TOMLTable, at path: String, profiles: [String: Configuration.Profile]) -> Configuration.Trigger? {
        checkKeys(table, at: path, allowed: ["kind", "button", "input_device", "key_code", "profile", "urgency", "action"])
        let kind = choice(table, "kind", at: path, as: Configuration.TriggerKind.self)
        let action = choice(table, "action", at: path, as: Configuration.TriggerAction.self) ?? .scan
        if table["kind"] == nil { problem("\(path).kind", "is required: \"button\" (scanner button) or \"key\" (USB keypad / foot switch)") }
        let profile = action == .scan ? string(table, "profile", at: path) : ""
        if action != .scan, table["profile"] != nil {
            problem("\(path).profile", "has no effect with action = \"\(action.rawValue)\": the key corrects the last registered document")
        } else if action == .scan, let profile, profiles[profile] == nil {
            problem("\(path).profile", "no profile named '\(profile)'; defined: \(profiles.keys.sorted().joined(separator: ", "))")
        } else if profile == nil {
            problem("\(path).profile", "is required: the profile this trigger starts")
        }
        let button = string(table, "button", at: path)
        let input = string(table, "input_device", at: path)
        let code = int(table, "key_code", at: path, range: 1...767)
        let urgency = word(table, "urgency", at: path, as: Urgency.self)
        switch kind {
        case .button where button == nil:
            problem("\(path).button", "is required for kind = \"button\": the scanner's button option name, e.g. \"scan\" (see `intake options DEVICE`)")
        case .key where input == nil || code == nil:
            problem("\(path).\(input == nil ? "input_device" : "key_code")",
                    "kind = \"key\" needs input_device (e.g. /dev/input/by-id/usb-…-event-kbd) and key_code (e.g. 59 for F1)")
        default: break
        }
        guard let kind, let profile, action != .scan || profiles[profile] != nil else { return nil }
        guard action == .scan else {
            return .init(kind: kind, button: button, inputDevice: input, keyCode: code, profile: profile, urgency: nil, action: action)
        }
        return .init(kind: kind, button: button, inputDevice: input, keyCode: code, profile: profile, urgency: urgency)
    }

    mutating func target(_ table: TOMLTable, at path: String) -> Configuration.Target? {
        checkKeys(table, at: path, allowed: ["name", "kind", "url", "token_file", "path", "secure_network", "classified", "approved_device", "ca_bundle",
                                             "client_certificate", "client_key", "proxy", "connect_timeout_seconds",
                                             "total_timeout_seconds", "numbering_authority"] + Self.resumableTargetKeys)
        var name = string(table, "name", at: path)
        if name == nil { problem("\(path).name", "is required: a short name for this target, e.g. \"central\"") }
        if let given = name, given.wholeMatch(of: #/[A-Za-z0-9][A-Za-z0-9._-]{0,31}/#) == nil {
            problem("\(path).name", "'\(SafeText.escapedForDisplay(given))' is not a usable name: 1–32 letters, digits, '.', '_' or '-', e.g. \"central\"")
            name = nil
        }
        let kind = choice(table, "kind", at: path, as: Configuration.TargetKind.self)
        if table["kind"] == nil { problem("\(path).kind", "is required: \"http\", \"directory\", \"paperless\" or \"tus\"") }
        var target = Configuration.Target(name: name ?? "", kind: kind ?? .http)
        target.url = string(table, "url", at: path)
        target.tokenFile = string(table, "token_file", at: path)
        target.path = string(table, "path", at: path)
        if table["secure_network"] != nil {
            problem("\(path).secure_network", "was replaced: declare the box's network at the top (network = \"internet\" or \"classified\") "
                    + "and mark a target that may receive classified documents with classified = true")
        }
        target.classified = bool(table, "classified", at: path) ?? false
        if let device = subtable(table, "approved_device", at: path) {
            target.approvedDevice = approvedDevice(device, at: "\(path).approved_device")
        }
        target.numberingAuthority = bool(table, "numbering_authority", at: path) ?? false
        target.caBundle = string(table, "ca_bundle", at: path)
        target.clientCertificate = string(table, "client_certificate", at: path)
        target.clientKey = string(table, "client_key", at: path)
        target.proxy = string(table, "proxy", at: path)
        target.connectTimeout = seconds(table, "connect_timeout_seconds", at: path, range: 0.1...600) ?? target.connectTimeout
        target.totalTimeout = seconds(table, "total_timeout_seconds", at: path, range: 1...86400) ?? target.totalTimeout
        switch kind {
        case .http:
            if let url = target.url {
                if URL(string: url).flatMap({ $0.scheme == "http" || $0.scheme == "https" ? $0.host : nil }) == nil {
                    problem("\(path).url", "'\(url)' is not an http:// or https:// address")
                }
            } else {
                problem("\(path).url", "is required for kind = \"http\", e.g. \"https://vanban.example.gov.vn/api\"")
            }
            if (target.clientCertificate == nil) != (target.clientKey == nil) {
                problem("\(path).client_key", "client_certificate and client_key go together")
            }
        case .directory:
            if target.path == nil { problem("\(path).path", "is required for kind = \"directory\", e.g. \"/media/intake-usb\"") }
        case .paperless, .tus:
            resumableTarget(table, at: path, into: &target)
        case nil: break
        }
        guard name != nil, kind != nil else { return nil }
        return target
    }
}

// MARK: - secrecy, network posture and release

extension Reader {
    mutating func readSecrecy(_ root: TOMLTable, into config: inout Configuration) {
        config.network = choice(root, "network", at: "", as: NetworkPosture.self) ?? config.network
        if let release = subtable(root, "release", at: "") {
            checkKeys(release, at: "release", allowed: ["hold_seconds", "khan_hold_seconds", "thuong_khan_hold_seconds",
                                                        "hoa_toc_hold_seconds", "marks_recheck_seconds"])
            var r = config.release
            r.holdSeconds = double(release, "hold_seconds", at: "release", range: 0...86400) ?? r.holdSeconds
            // An urgent window left unset is never longer than the ordinary one.
            r.khanHoldSeconds = double(release, "khan_hold_seconds", at: "release", range: 0...86400) ?? min(r.khanHoldSeconds, r.holdSeconds)
            r.thuongKhanHoldSeconds = double(release, "thuong_khan_hold_seconds", at: "release", range: 0...86400) ?? min(r.thuongKhanHoldSeconds, r.khanHoldSeconds)
            r.hoaTocHoldSeconds = double(release, "hoa_toc_hold_seconds", at: "release", range: 0...86400) ?? min(r.hoaTocHoldSeconds, r.thuongKhanHoldSeconds)
            r.marksRecheckSeconds = double(release, "marks_recheck_seconds", at: "release", range: 1...3600) ?? r.marksRecheckSeconds
            for (key, value, longer) in [("khan_hold_seconds", r.khanHoldSeconds, r.holdSeconds),
                                         ("thuong_khan_hold_seconds", r.thuongKhanHoldSeconds, r.khanHoldSeconds),
                                         ("hoa_toc_hold_seconds", r.hoaTocHoldSeconds, r.thuongKhanHoldSeconds)] where value > longer {
                problem("release.\(key)", "\(value) s is longer than the window of a less urgent document (\(longer) s): urgency may only shorten the hold")
            }
            config.release = r
        }
        if let atRest = subtable(root, "at_rest", at: "") {
            checkKeys(atRest, at: "at_rest", allowed: ["credential", "key_file"])
            if let credential = string(atRest, "credential", at: "at_rest") {
                if credential.isEmpty || credential.contains("/") {
                    problem("at_rest.credential", "'\(credential)' must be a credential name (LoadCredential=NAME:…), without /")
                } else {
                    config.atRest.credential = credential
                }
            }
            if let file = string(atRest, "key_file", at: "at_rest") {
                if !file.hasPrefix("/") {
                    problem("at_rest.key_file", "must be an absolute path, found '\(file)'")
                } else if Self.isInside(file, config.paths.stateDirectory) {
                    problem("at_rest.key_file", "'\(file)' is inside the state directory \(config.paths.stateDirectory): "
                            + "the key must be kept apart from the files it protects (e.g. /etc/intake/keys/at-rest.key, or LoadCredential=)")
                } else {
                    config.atRest.keyFile = file
                }
            }
        }
        for (index, target) in config.targets.enumerated() where target.classified {
            let path = "targets[\(index)]"
            if config.network != .classified {
                problem("\(path).classified", "a classified target needs network = \"classified\": a box that reaches the Internet never stores or sends classified pages")
            }
            // Every kind but a directory is a network target: fail closed for kinds added later.
            if target.kind == .directory {
                if target.approvedDevice == nil {
                    problem("\(path).approved_device", "a classified directory target needs the approved USB device: approved_device = { vendor = \"0951\", product = \"1666\", serial = \"…\" }")
                }
            } else if !target.hasMutualTLS {
                problem("\(path).classified", "a classified \(target.kind.rawValue) target needs mutually authenticated TLS: an https:// url, client_certificate and client_key")
            }
        }
        for (index, target) in config.targets.enumerated() where !target.classified && target.approvedDevice != nil {
            problem("targets[\(index)].approved_device", "only a classified = true directory target is tied to an approved device")
        }
    }

    mutating func approvedDevice(_ table: TOMLTable, at path: String) -> Configuration.ApprovedDevice? {
        checkKeys(table, at: path, allowed: ["vendor", "product", "serial"])
        var values: [String] = []
        for key in ["vendor", "product"] {
            guard let value = string(table, key, at: path) else {
                problem("\(path).\(key)", "is required: four hex digits as lsusb shows them, e.g. \"0951\"")
                continue
            }
            guard value.wholeMatch(of: #/[0-9a-fA-F]{4}/#) != nil else {
                problem("\(path).\(key)", "'\(value)' is not four hex digits")
                continue
            }
            values.append(value.lowercased())
        }
        let serial = string(table, "serial", at: path)
        if serial?.isEmpty ?? true {
            problem("\(path).serial", "is required: the device's serial number (udevadm info … | grep ID_SERIAL_SHORT)")
        }
        guard values.count == 2, let serial, !serial.isEmpty else { return nil }
        return .init(vendor: values[0], product: values[1], serial: serial)
    }

    static func isInside(_ path: String, _ directory: String) -> Bool {
        let a = URL(fileURLWithPath: path).standardizedFileURL.path
        let d = URL(fileURLWithPath: directory).standardizedFileURL.path
        return a == d || a.hasPrefix(d.hasSuffix("/") ? d : d + "/")
    }
}
