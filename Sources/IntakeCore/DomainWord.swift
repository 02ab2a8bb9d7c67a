/// A word of the domain's vocabulary (urgency, secrecy, paper source, colour mode, …), defined
/// once as an enum with its spellings: `word` in the configuration, on the command line and on
/// the control socket; `rawValue` in the register's SQL and JSON. Unknown words are refused with
/// the allowed list — never read as a default — so secrecy fails closed wherever a word enters.
public protocol DomainWord: CaseIterable, Sendable, Hashable, RawRepresentable where RawValue == String {
    /// What the word names, for messages: "urgency", "secrecy", "source".
    static var vocabularyName: String { get }
    /// The spelling in the configuration, the CLI and the socket, e.g. "hoa_toc".
    var word: String { get }
}

extension DomainWord {
    /// Every spelling accepted where a word enters, in declaration order.
    public static var words: [String] { allCases.map(\.word) }

    /// Reads a word exactly as spelled (no trimming, no case folding, no default).
    public init(word: String) throws(UnknownWordError) {
        guard let match = Self.allCases.first(where: { $0.word == word }) else {
            throw UnknownWordError(vocabulary: Self.vocabularyName, word: word, allowed: Self.words)
        }
        self = match
    }
}

/// A word that is not in its vocabulary, with the words that are.
public struct UnknownWordError: IntakeError, Equatable {
    public var vocabulary: String
    public var word: String
    public var allowed: [String]

    public init(vocabulary: String, word: String, allowed: [String]) {
        self.vocabulary = vocabulary
        self.word = word
        self.allowed = allowed
    }

    public var errorCode: String { "vocabulary.unknown-word" }
    public var message: String {
        "\(vocabulary) '\(SafeText.escapedForDisplay(word))' is not allowed; use one of: \(allowed.joined(separator: ", "))"
    }
    public var detail: String { "" }
}
