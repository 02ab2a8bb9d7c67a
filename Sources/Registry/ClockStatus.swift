public import Foundation

/// Whether the clock can be trusted for numbering, and why not.
public struct ClockStatus: Sendable, Equatable {
    public enum Verdict: String, Sendable {
        /// Numbering may proceed.
        case ok
        /// The clock is earlier than the last registration.
        case beforeLastRegistration
        /// The clock is in a year before the software was built.
        case beforeBuildYear
        /// The clock runs more than a day ahead of a trusted time (NTP, the centre's Date).
        case aheadOfTrustedTime
    }

    public var verdict: Verdict
    public var now: Date
    public var lastRegistration: Date?
    /// One line for the clerk.
    public var message: String

    public var isOK: Bool { verdict == .ok }

    public init(verdict: Verdict, now: Date, lastRegistration: Date?, message: String) {
        self.verdict = verdict
        self.now = now
        self.lastRegistration = lastRegistration
        self.message = message
    }
}
