/// Somewhere a document can be delivered to.
public protocol DeliveryTarget: Sendable {
    var name: String { get }
    /// Only a target on the secure network may receive classified documents.
    var secureNetwork: Bool { get }
    func deliver(_ item: DeliveryItem) async -> DeliveryOutcome
}

extension DeliveryTarget {
    static var classifiedRefusal: String { "classified documents may only go to a secure-network target" }
}
