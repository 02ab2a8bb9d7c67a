public import Registry

/// What happened to one delivery attempt, for logs, hooks and the status screen.
public struct DeliveryEvent: Sendable {
    public enum Kind: Sendable { case delivered, retrying, needsAttention, corrupt, held, deferred }
    public var kind: Kind
    public var document: RegisteredDocument
    public var target: String
    public var message: String
}
