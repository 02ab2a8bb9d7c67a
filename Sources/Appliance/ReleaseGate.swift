public import Foundation
public import Registry

/// The one place every rule goes through before a document may leave the box: its secrecy
/// against the box's network and the target, the check of the page's own secrecy marks, and
/// the hold window in which the clerk can still correct the secrecy. Urgency shortens the hold
/// window, never the secrecy rules. The outbox worker asks it before every send.
public struct ReleaseGate: Sendable {
    public enum Decision: Sendable, Equatable {
        /// May be sent now.
        case release
        /// Not yet: ask again at `until`. `reason` (from `ClerkMessage`) is for the clerk's screen and the journal.
        case wait(until: Date, reason: String)
        /// Never by itself: stays on the box until a person acts. `reason` is Vietnamese, from `ClerkMessage`.
        case hold(reason: String)
    }

    /// What the gate knows about one delivery target.
    public struct Target: Sendable, Equatable {
        public enum Channel: Sendable, Equatable {
            /// An http target; `mutualTLS` when it is https with a client certificate and key.
            case network(mutualTLS: Bool)
            /// A directory target; `approvedDevice` is the only USB device it may write to.
            case removable(path: String, approvedDevice: Configuration.ApprovedDevice?)
        }

        public var name: String
        /// Declared `classified = true` in the configuration.
        public var classified: Bool
        public var channel: Channel

        public init(name: String, classified: Bool, channel: Channel) {
            self.name = name
            self.classified = classified
            self.channel = channel
        }

        public init(_ target: Configuration.Target) {
            self.init(name: target.name, classified: target.classified,
                      channel: target.kind == .directory
                          ? .removable(path: target.path ?? "", approvedDevice: target.approvedDevice)
                          : .network(mutualTLS: target.hasMutualTLS))
        }
    }

    public let network: NetworkPosture
    public let release: Configuration.Release
    private let targets: [String: Target]
    private let devices: any RemovableDeviceInspector

    public init(network: NetworkPosture, release: Configuration.Release, targets: [Target],
                devices: any RemovableDeviceInspector = SysfsDeviceInspector()) {
        self.network = network
        self.release = release
        self.targets = Dictionary(targets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.devices = devices
    }

    public init(_ configuration: Configuration, devices: any RemovableDeviceInspector = SysfsDeviceInspector()) {
        self.init(network: configuration.network, release: configuration.release,
                  targets: configuration.targets.map(Target.init), devices: devices)
    }

    /// How long a document of this urgency waits after registration.
    public func holdWindow(for urgency: Urgency) -> TimeInterval {
        switch urgency {
        case .hoaToc: release.hoaTocHoldSeconds
        case .thuongKhan: release.thuongKhanHoldSeconds
        case .khan: release.khanHoldSeconds
        case .normal: release.holdSeconds
        }
    }

    /// When the clerk can no longer correct the secrecy of `document`.
    public func windowEnd(of document: RegisteredDocument) -> Date {
        document.arrivedAt.addingTimeInterval(holdWindow(for: document.urgency))
    }

    /// The gate's answer for sending `document` to the target named `targetName` at `now`.
    /// `now` should be taken before the register was read, so a correction committed inside the
    /// window is always seen.
    public func decide(_ document: RegisteredDocument, to targetName: String, now: Date) -> Decision {
        if let refusal = secrecyRefusal(document, to: targetName, now: now) { return refusal }
        switch document.marksCheck {
        case .pending:
            return .wait(until: now.addingTimeInterval(release.marksRecheckSeconds),
                         reason: ClerkMessage.marksPending.text)
        case .flagged:
            return .hold(reason: ClerkMessage.marksFlagged.text)
        case .notRequired, .passed:
            break
        }
        let end = windowEnd(of: document)
        if now < end {
            return .wait(until: end, reason: ClerkMessage.holdWindow(seconds: Int(holdWindow(for: document.urgency))).text)
        }
        return .release
    }

    /// The secrecy rules alone: nil when this document may go to this target on this box.
    func secrecyRefusal(_ document: RegisteredDocument, to targetName: String, now: Date) -> Decision? {
        let secrecy = document.secrecy
        if document.state == .voided {
            return .hold(reason: ClerkMessage.voided(reason: document.voidReason).text)
        }
        guard let target = targets[targetName] else {
            return .hold(reason: ClerkMessage.targetGone(target: targetName).text)
        }
        if document.secrecy == .tuyetMat {
            return .hold(reason: ClerkMessage.tuyetMatNeverSent.text)
        }
        if document.storage == .none {
            return .hold(reason: ClerkMessage.nothingKept(secrecy: secrecy).text)
        }
        guard document.secrecy.isClassified else { return nil }
        if network != .classified {
            return .hold(reason: ClerkMessage.internetBoxKeepsNoClassified(secrecy: secrecy).text)
        }
        if !target.classified {
            return .hold(reason: ClerkMessage.targetNotClassified(target: target.name, secrecy: secrecy).text)
        }
        if document.storage != .sealed {
            return .hold(reason: ClerkMessage.notSealed(secrecy: secrecy).text)
        }
        switch target.channel {
        case let .network(mutualTLS):
            if !mutualTLS {
                return .hold(reason: ClerkMessage.noMutualTLS(target: target.name, secrecy: secrecy).text)
            }
        case let .removable(path, approved):
            guard let approved else {
                return .hold(reason: ClerkMessage.noApprovedDevice(target: target.name, secrecy: secrecy).text)
            }
            let found: USBIdentity?
            do {
                found = try devices.usbDevice(holding: path)
            } catch {
                found = nil
            }
            guard let found, found.matches(approved) else {
                return .wait(until: now.addingTimeInterval(30),
                             reason: ClerkMessage.approvedDeviceAbsent(target: target.name, secrecy: secrecy).text)
            }
        }
        return nil
    }
}
