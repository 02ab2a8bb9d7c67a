import Foundation
import IntakeCore
import Registry
import Scanning
import TOMLKit

/// The top-level table: organisation, paths, books, device, and each section in turn.
extension Reader {
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
}
