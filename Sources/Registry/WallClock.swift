public import Foundation

/// The source of "now" for numbering. Tests inject a fixed or stepping clock.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The system's real-time clock.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}
