public import Foundation
public import Registry
public import Scanning

/// The effective configuration of one appliance, read from /etc/intake/intake.toml.
///
/// Every field has a default so a minimal file (organisation code, one device, one target) works.
public struct Configuration: Sendable, Equatable {
    public var organisationCode: String = ""
    public var organisationName: String = ""
    public var paths = Paths()
    public var books = Books()
    public var device = Device()
    public var profiles: [String: Profile] = ["default": Profile()]
    public var triggers: [Trigger] = []
    public var targets: [Target] = []
    public var retry = Retry()
    public var feedback = Feedback()
    public var hooks: [Hook] = []
    public var disk = Disk()
    public var backup = Backup()
    public var retention = Retention()
    /// The file this configuration was read from, if any.
    public var sourcePath: String?

    public init() {}

    public struct Paths: Sendable, Equatable {
        public var stateDirectory = "/var/lib/intake"
        public var socket = "/run/intake/intake.sock"
        public var databasePath: String { stateDirectory + "/register.sqlite" }
        public var documentsDirectory: String { stateDirectory + "/documents" }
        /// Pages being scanned; on the same file system as the documents so a rename is atomic.
        public var stagingDirectory: String { stateDirectory + "/staging" }
    }

    public struct Books: Sendable, Equatable {
        public var ordinary = "DEN"
        public var classified = "MAT"
    }

    public struct Device: Sendable, Equatable {
        /// SANE device name, e.g. "test:0" or "fujitsu:fi-7160:1234".
        public var name: String?
        /// Vendor and model as SANE reports them; used to find a re-plugged scanner again.
        public var vendor: String?
        public var model: String?
        public var pollButtons = true
        public var buttonPollInterval: Duration = .milliseconds(250)
        /// How often the daemon looks for a scanner that is gone.
        public var rescanInterval: Duration = .seconds(5)
    }

    public struct Profile: Sendable, Equatable {
        public var source: ScanSource = .adf
        public var mode: ScanMode = .color
        public var resolution = 300
        public var pageWidthMM: Double?
        public var pageHeightMM: Double?
        public var removeBlankPages = false
        public var blankThreshold = 0.001
        public var jpegQuality = 80
        public var urgency: Urgency = .normal
        public var secrecy: Secrecy = .none
        public var deviceOptions: [String: String] = [:]

        public init() {}
    }

    public enum TriggerKind: String, Sendable, Equatable, CaseIterable { case button, key }

    public struct Trigger: Sendable, Equatable {
        public var kind: TriggerKind
        /// Scanner button option name (kind = button), e.g. "scan".
        public var button: String?
        /// evdev device path (kind = key), e.g. /dev/input/by-id/usb-…-event-kbd.
        public var inputDevice: String?
        /// Linux key code (kind = key), e.g. 59 for KEY_F1.
        public var keyCode: Int?
        public var profile: String
        public var urgency: Urgency?
    }

    public enum TargetKind: String, Sendable, Equatable, CaseIterable { case http, directory }

    public struct Target: Sendable, Equatable {
        public var name: String
        public var kind: TargetKind
        public var url: String?
        public var tokenFile: String?
        public var path: String?
        public var secureNetwork = false
        public var caBundle: String?
        public var clientCertificate: String?
        public var clientKey: String?
        public var proxy: String?
        public var connectTimeout: Duration = .seconds(10)
        public var totalTimeout: Duration = .seconds(300)
    }

    public struct Retry: Sendable, Equatable {
        public var base: Duration = .seconds(2)
        public var cap: Duration = .seconds(600)
    }

    public struct Feedback: Sendable, Equatable {
        /// A console or tty for the status screen, e.g. /dev/tty1; nil for none.
        public var console: String?
        public var bell = true
    }

    public enum HookEvent: String, Sendable, Equatable, CaseIterable {
        case registered, delivered, failed
        case needsAttention = "needs-attention"
    }

    public struct Hook: Sendable, Equatable {
        public var event: HookEvent
        /// Program and arguments; run directly (never through a shell). `{number}`, `{book}`,
        /// `{year}`, `{id}` in an argument are replaced; INTAKE_* variables are set too.
        public var argv: [String]
        public var timeout: Duration = .seconds(30)
    }

    public struct Disk: Sendable, Equatable {
        /// Below this many megabytes free in the state or spool directory, scanning is refused.
        public var minimumFreeMB = 200
    }
}
