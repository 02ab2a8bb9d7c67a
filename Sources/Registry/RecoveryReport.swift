/// What `recover()` found and did at start-up.
public struct RecoveryReport: Sendable, Equatable {
    /// Documents whose file and sidecar were in flight without a row: now registered (ids).
    public var registered: [String] = []
    /// Rows committed before their file was moved into place: move finished (ids).
    public var finished: [String] = []
    /// Rows whose file vanished: voided with a reason (ids).
    public var voided: [String] = []
    /// Numbers missing from a book's sequence: filled with a voided entry (ids).
    public var gapsFilled: [String] = []
    /// Sidecars whose file could not be found anywhere: removed (paths). Nothing had been numbered.
    public var abandoned: [String] = []
    /// Temporary files removed (paths).
    public var tempFilesRemoved: [String] = []
    /// PDFs in the documents directory that no row names (paths); left in place for a technician.
    public var unknownFiles: [String] = []

    public init() {}

    public var isClean: Bool { self == RecoveryReport() }
}
