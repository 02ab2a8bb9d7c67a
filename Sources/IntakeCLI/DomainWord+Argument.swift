public import ArgumentParser
import IntakeCore
public import Registry
public import Scanning

/// The domain's words as command-line values: the same spellings as the configuration and the
/// socket, and ArgumentParser lists them in `--help` and in its error for an unknown word.
extension Urgency: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(word: argument) }
    public static var allValueStrings: [String] { words }
    public var defaultValueDescription: String { word }
}

extension Secrecy: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(word: argument) }
    public static var allValueStrings: [String] { words }
    public var defaultValueDescription: String { word }
}

extension ScanSource: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(word: argument) }
    public static var allValueStrings: [String] { words }
    public var defaultValueDescription: String { word }
}

extension ScanMode: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(word: argument) }
    public static var allValueStrings: [String] { words }
    public var defaultValueDescription: String { word }
}
