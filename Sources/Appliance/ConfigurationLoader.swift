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
}
