/// One problem in a configuration file, located by file and line.
public struct ConfigurationIssue: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// Dotted key path, e.g. `profiles.default.resolution` or `targets[1].url`.
    public var key: String
    public var message: String

    public init(file: String, line: Int?, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(location): \(message)" : "\(location): \(key): \(message)"
    }
}

/// A configuration that cannot be used; lists every problem found, not only the first.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var issues: [ConfigurationIssue]

    public init(issues: [ConfigurationIssue]) { self.issues = issues }

    public var message: String {
        issues.count == 1 ? "The configuration has 1 problem." : "The configuration has \(issues.count) problems."
    }

    public var description: String {
        ([message] + issues.map(\.description)).joined(separator: "\n")
    }
}
