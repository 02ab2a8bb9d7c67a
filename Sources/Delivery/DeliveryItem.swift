/// A registered document ready to leave the box.
public struct DeliveryItem: Sendable {
    public var metadata: DocumentMetadata
    /// The archival PDF on local disk.
    public var filePath: String

    public init(metadata: DocumentMetadata, filePath: String) {
        self.metadata = metadata
        self.filePath = filePath
    }
}
