import Foundation

extension Configuration {
    /// What a `[[triggers]]` entry does when its button or key is pressed.
    public enum TriggerAction: String, Sendable, Equatable, CaseIterable {
        /// Scan with the trigger's profile (the default).
        case scan
        /// Correct the last registered document to MẬT inside its hold window.
        case markMat = "mark-mat"
    }

    /// `[release]`: how long a registered document waits on the box before it may leave, so the
    /// clerk can still correct its secrecy. Urgency shortens the wait, never the secrecy rules.
    public struct Release: Sendable, Equatable {
        public var holdSeconds: Double = 180
        public var khanHoldSeconds: Double = 120
        public var thuongKhanHoldSeconds: Double = 60
        public var hoaTocHoldSeconds: Double = 30
        /// How often a document waiting for the check of its secrecy marks is looked at again.
        public var marksRecheckSeconds: Double = 15

        public init() {}
    }

    /// `[at_rest]`: where the key that encrypts classified files at rest comes from. Never the
    /// state directory: the systemd credential `credential` (LoadCredential=), else `key_file`,
    /// a root-only file (mode 0600 or 0400).
    public struct AtRest: Sendable, Equatable {
        public var credential = "intake-key"
        public var keyFile: String?

        public init() {}
    }

    /// An approved removable storage device (Cơ yếu-issued, such as USB-AV), by its USB ids.
    public struct ApprovedDevice: Sendable, Equatable {
        /// Four hex digits each, as in `lsusb` and /sys/bus/usb/devices/*/idVendor.
        public var vendor: String
        public var product: String
        /// The device's serial number string (/sys/bus/usb/devices/*/serial).
        public var serial: String

        public init(vendor: String, product: String, serial: String) {
            self.vendor = vendor
            self.product = product
            self.serial = serial
        }
    }
}

extension Configuration.Target {
    /// A network target speaks mutually authenticated TLS: https with a client certificate and
    /// key. Any kind with a url qualifies the same way; a directory never does.
    public var hasMutualTLS: Bool {
        guard kind != .directory, let url, URL(string: url)?.scheme?.lowercased() == "https" else { return false }
        return clientCertificate != nil && clientKey != nil
    }
}

extension Configuration.Release {
    /// No hold window (documents may leave as soon as they are numbered); secrecy rules still apply.
    public static var immediate: Configuration.Release {
        var release = Configuration.Release()
        release.holdSeconds = 0
        release.khanHoldSeconds = 0
        release.thuongKhanHoldSeconds = 0
        release.hoaTocHoldSeconds = 0
        return release
    }
}
