/// The result of walking the audit chain.
public struct AuditVerification: Sendable, Equatable {
    /// Entries whose hash was checked.
    public var entriesChecked: Int
    /// The sequence number of the first bad entry, if any.
    public var firstBadEntry: Int64?
    /// The document the problem concerns, if any.
    public var documentID: String?
    /// What is wrong, for the technician; nil when the chain verifies.
    public var problem: String?

    /// Every problem found, in chain order (the first one is `problem`): one tampered entry
    /// never hides another after it.
    public var problems: [String]

    public var isValid: Bool { problem == nil }

    public init(entriesChecked: Int, firstBadEntry: Int64? = nil, documentID: String? = nil, problem: String? = nil) {
        self.entriesChecked = entriesChecked
        self.firstBadEntry = firstBadEntry
        self.documentID = documentID
        self.problem = problem
        self.problems = problem.map { [$0] } ?? []
    }

    /// Adds a problem; the first one found also fills `firstBadEntry`, `documentID`, `problem`.
    mutating func add(_ text: String, entry: Int64?, documentID: String?) {
        if problem == nil {
            problem = text
            firstBadEntry = entry
            self.documentID = documentID
        }
        problems.append(text)
    }
}
