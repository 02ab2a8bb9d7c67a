/// Whether the daemon holds an open scanner. The raw values are what `intake status --json`
/// and the control socket have always carried ("connected", "not connected").
public enum DeviceState: String, Sendable, Codable, Equatable, CustomStringConvertible {
    case connected
    case notConnected = "not connected"

    public var description: String { rawValue }
}

/// What the daemon is doing, as `intake status` and systemd's STATUS= show it.
enum DaemonActivity: Sendable, Equatable, CustomStringConvertible {
    case starting
    case ready
    case scanning(profile: String, page: Int?)
    case stopped

    var description: String {
        switch self {
        case .starting: "starting"
        case .ready: "ready"
        case let .scanning(profile, nil): "scanning (\(profile))"
        case let .scanning(profile, page?): "scanning (\(profile)) page \(page)"
        case .stopped: "stopped"
        }
    }
}
