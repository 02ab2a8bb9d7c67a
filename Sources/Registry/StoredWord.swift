/// A word the register stores: its database spelling is `stored`, written once here beside each
/// case, and read back exactly (`fromStored`). A case may be renamed in Swift (or in JSON)
/// without rebuilding a table: the switch below keeps the old spelling.
public protocol StoredWord: CaseIterable, Sendable {
    /// The spelling in the register's rows, CHECK constraints and CASE expressions.
    var stored: String { get }
}

extension StoredWord {
    /// The case stored as `text`; nil for anything else (callers decide how to fail closed).
    public static func fromStored(_ text: String) -> Self? {
        allCases.first { $0.stored == text }
    }
}

extension Urgency: StoredWord {
    public var stored: String {
        switch self {
        case .normal: "normal"
        case .khan: "khan"
        case .thuongKhan: "thuongKhan"
        case .hoaToc: "hoaToc"
        }
    }
}

extension Secrecy: StoredWord {
    public var stored: String {
        switch self {
        case .none: "none"
        case .sensitive: "sensitive"
        case .mat: "mat"
        case .toiMat: "toiMat"
        case .tuyetMat: "tuyetMat"
        }
    }
}

extension DocumentStorage: StoredWord {
    public var stored: String {
        switch self {
        case .plain: "plain"
        case .sealed: "sealed"
        case .none: "none"
        }
    }
}

extension MarksCheck: StoredWord {
    public var stored: String {
        switch self {
        case .notRequired: "notRequired"
        case .pending: "pending"
        case .passed: "passed"
        case .flagged: "flagged"
        }
    }
}

extension OutboxState: StoredWord {
    public var stored: String {
        switch self {
        case .pending: "pending"
        case .held: "held"
        case .needsAttention: "needsAttention"
        case .delivered: "delivered"
        case .corrupt: "corrupt"
        }
    }
}

extension RegisteredDocument.State: StoredWord {
    public var stored: String {
        switch self {
        case .registered: "registered"
        case .voided: "voided"
        }
    }
}
