import Foundation

/// Finds the line of a key in TOML text, because the TOML parser reports positions only for
/// syntax errors and a technician needs a line for every problem.
///
/// Understands `[table]`, `[[array.of.tables]]` and `key = value` lines; good enough for
/// configuration files written by people, which is what it is for.
struct SourceLocator {
    private var lines: [String: Int] = [:]

    init(text: String) {
        var prefix = ""
        var arrayCounts: [String: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("[[") {
                let name = Self.headerName(line, open: "[[", close: "]]")
                let count = arrayCounts[name, default: 0]
                arrayCounts[name] = count + 1
                prefix = "\(name)[\(count)]"
                record(prefix, lineNumber)
            } else if line.hasPrefix("[") {
                prefix = Self.headerName(line, open: "[", close: "]")
                record(prefix, lineNumber)
            } else if let equals = line.firstIndex(of: "=") {
                let key = line[..<equals].trimmingCharacters(in: .whitespaces)
                    .replacingOccurrences(of: "\"", with: "")
                record(prefix.isEmpty ? key : "\(prefix).\(key)", lineNumber)
            }
        }
    }

    private mutating func record(_ path: String, _ line: Int) {
        if lines[path] == nil { lines[path] = line }
    }

    private static func headerName(_ line: String, open: String, close: String) -> String {
        var name = line.dropFirst(open.count)
        if let end = name.range(of: close) { name = name[..<end.lowerBound] }
        return name.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\"", with: "")
    }

    /// The line of `path`, or of its nearest enclosing table when the key itself is absent.
    func line(of path: String) -> Int? {
        var candidate = path
        while !candidate.isEmpty {
            if let line = lines[candidate] { return line }
            guard let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            candidate = String(candidate[..<cut])
        }
        return nil
    }
}
