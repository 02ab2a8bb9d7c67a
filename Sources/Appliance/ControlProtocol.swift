public import Foundation
public import IntakeCore

/// A request from the `intake` CLI to the daemon, one JSON line on the socket.
public struct ControlRequest: Sendable, Codable, Equatable {
    public enum Command: String, Sendable, Codable { case scan, status, rescan, mark, confirmMark }
    public var command: Command
    public var profile: String?
    public var overrides: ScanOverrides?
    /// For `mark`: the secrecy correction asked for.
    public var correction: SecrecyCorrectionRequest?
    /// For `confirmMark`: the clerk's answer to a held marks check.
    public var confirmation: MarkConfirmationRequest?

    public init(command: Command, profile: String? = nil, overrides: ScanOverrides? = nil, correction: SecrecyCorrectionRequest? = nil,
                confirmation: MarkConfirmationRequest? = nil) {
        self.confirmation = confirmation
        self.command = command
        self.profile = profile
        self.overrides = overrides
        self.correction = correction
    }
}

/// The daemon's answers: zero or more `page` events, then one `registered`, `error` or `status`.
public struct ControlReply: Sendable, Codable, Equatable {
    public enum Event: String, Sendable, Codable { case accepted, page, registered, error, status, ok }
    public var event: Event
    public var page: Int?
    public var blank: Bool?
    public var document: DocumentSummary?
    public var error: ErrorPayload?
    public var status: StatusReport?

    public init(event: Event, page: Int? = nil, blank: Bool? = nil, document: DocumentSummary? = nil,
                error: ErrorPayload? = nil, status: StatusReport? = nil) {
        self.event = event
        self.page = page
        self.blank = blank
        self.document = document
        self.error = error
        self.status = status
    }
}

/// Any error as the socket carries it: the same three parts as `IntakeError`.
public struct ErrorPayload: IntakeError, Codable, Equatable {
    public var code: String
    public var message: String
    public var detail: String

    public init(code: String, message: String, detail: String) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var errorCode: String { code }

    public init(_ error: any Error) {
        if let error = error as? any IntakeError {
            self.init(code: error.errorCode, message: error.message, detail: error.detail)
        } else if let error = error as? ConfigurationError {
            self.init(code: "config.invalid", message: error.message, detail: error.issues.map(\.description).joined(separator: "; "))
        } else {
            self.init(code: "internal", message: "Something went wrong — call the technician.", detail: "\(error)")
        }
    }
}

/// The few facts a clerk or technician needs about one registered document.
public struct DocumentSummary: Sendable, Codable, Equatable {
    public var id: String
    public var book: String
    public var year: Int
    public var number: Int
    public var pages: Int
    public var urgency: String
    public var secrecy: String
    public var path: String
    public var arrivedAt: Date
    /// What the clerk must be told about this document (secrecy rules), in Vietnamese.
    public var notice: String? = nil
}

/// `intake status`: the daemon (when it runs), the register, the queue, the clock and the disk.
public struct StatusReport: Sendable, Codable, Equatable {
    public struct Daemon: Sendable, Codable, Equatable {
        public var pid: Int32
        public var state: String
        public var since: Date
        public var device: String?
        public var deviceState: DeviceState
        public var lastError: String?
        public var offlineSince: Date?
        public var lastDocument: DocumentSummary?
    }

    public struct BookNumber: Sendable, Codable, Equatable {
        public var book: String
        public var year: Int
        public var number: Int
    }

    public struct Clock: Sendable, Codable, Equatable {
        public var ok: Bool
        public var now: Date
        public var message: String
    }

    public var daemon: Daemon?
    public var lastNumbers: [BookNumber]
    public var queue: [String: Int]
    public var oldestUndelivered: Date?
    public var clock: Clock
    public var disk: DiskGuard.Report
    /// The last good backup (`intake backup`), if one was taken.
    public var lastBackup: BackupRecord? = nil
    /// Leased numbering only: what is left of the ordinary book's leased blocks.
    public var leases: Leases? = nil

    /// Numbers left in the leased blocks (khối số) and provisional numbers (số tạm) not yet confirmed.
    public struct Leases: Sendable, Codable, Equatable {
        public var book: String
        public var year: Int
        public var remaining: Int
        public var unconfirmed: Int
    }
}
