public import Delivery
import Foundation
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
    public var metrics = Metrics()
    public var stamp = Stamp()
    /// The network the box sits on; it decides what secrecy allows (see NetworkPosture).
    public var network: NetworkPosture = .internet
    public var release = Release()
    public var atRest = AtRest()
    public var backup = Backup()
    public var retention = Retention()
    public var ocr = OCR()
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
        /// `numbering = "leased"`: the ordinary book numbers from blocks leased by the target
        /// marked `numbering_authority = true` (ConfigurationLoader+Leases).
        public var numbering: NumberingMode = .local
        /// How often the lease keeper tops up blocks and asks for confirmations.
        public var leaseCheck: Duration = .seconds(60)
        /// The smallest block asked for (the box asks for 3 days of its recent average, at least this).
        public var leaseMinimum = 20
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
        /// Button rules by SANE backend name ([device.buttons.BACKEND]) for backends the built-in rules get wrong.
        public var buttons: [String: ButtonRules] = [:]
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
        /// JPEG pages with Huffman tables optimised per page (`jpeg_optimize = true`): 1–8 % smaller,
        /// at the cost of holding the page's DCT coefficients; the default is the trained tables.
        public var jpegOptimize = false
        public var urgency: Urgency = .normal
        public var secrecy: Secrecy = .none
        public var deviceOptions: [String: String] = [:]
        /// Print the số đến and date on the paper with the scanner's imprinter/endorser; the
        /// number is reserved before the batch starts (`imprint = true`).
        public var imprint = false

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
        public var action: TriggerAction = .scan
    }

    public enum TargetKind: String, Sendable, Equatable, CaseIterable { case http, directory, paperless, tus }

    public struct Target: Sendable, Equatable {
        public var name: String
        public var kind: TargetKind
        public var url: String?
        public var tokenFile: String?
        public var path: String?
        /// May receive MẬT, TỐI MẬT and sensitive documents (only on a box with
        /// `network = "classified"`; http needs mutual TLS, directory an approved device).
        public var classified = false
        /// For a classified directory target: the only USB device its path may be on.
        public var approvedDevice: ApprovedDevice?
        /// The centre that numbers (grants leases, confirms provisional numbers).
        public var numberingAuthority = false
        public var caBundle: String?
        public var clientCertificate: String?
        public var clientKey: String?
        public var proxy: String?
        public var connectTimeout: Duration = .seconds(10)
        public var totalTimeout: Duration = .seconds(300)
        /// kind = paperless: tags, correspondents, ASN slots; and how long to follow a task.
        public var paperless = PaperlessMapping()
        public var taskTimeout: Duration = .seconds(300)
        /// asn_books was given; otherwise the books' own codes get slots 0 (ordinary) and 1 (classified).
        public var asnBooksConfigured = false
        /// kind = tus: bytes per PATCH.
        public var chunkSize = 1 << 20
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
