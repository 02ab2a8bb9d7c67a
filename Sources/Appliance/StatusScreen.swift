public import Foundation
import Registry

/// What the clerk sees on the console beside the scanner: a big number, one line of state.
/// Every line is a `ClerkMessage`, so the screen speaks Vietnamese only.
public struct ScreenState: Sendable, Equatable {
    /// Headline: ready, or no scanner.
    public var scannerConnected = true
    /// The last number given, "12" or "T-3".
    public var lastNumber: String?
    /// The line under the number: book, pages and urgency, or the secrecy notice.
    public var lastDetail: ClerkMessage?
    public var queueLength = 0
    public var offlineSince: Date?
    /// What went wrong last (replaces the headline until the next success).
    public var problem: ClerkMessage?
    /// Leased numbering only: numbers left in the leased blocks and provisional numbers unconfirmed.
    public var leases: ScreenLeases?

    public init() {}

    /// The headline as shown.
    public var headline: ClerkMessage { problem ?? (scannerConnected ? .ready : .scannerMissing) }
}

/// The lease line of the status screen.
public struct ScreenLeases: Sendable, Equatable {
    public var remaining: Int
    public var unconfirmed: Int

    public init(remaining: Int, unconfirmed: Int) {
        self.remaining = remaining
        self.unconfirmed = unconfirmed
    }

    /// Read from the register for the ordinary book of the current year; nil when the box
    /// numbers locally (or the register cannot be read: the screen then shows no line).
    public static func current(_ context: ApplianceContext) -> ScreenLeases? {
        guard context.configuration.books.numbering == .leased,
              let status = try? context.register.leaseStatus(book: context.configuration.books.ordinary, year: context.currentYear)
        else { return nil }
        return ScreenLeases(remaining: status.remaining, unconfirmed: status.unconfirmed)
    }
}

/// Draws `ScreenState` on a tty (e.g. /dev/tty1) and rings the bell in distinct patterns:
/// one beep for a registered document, three for a failure.
public final class StatusScreen: @unchecked Sendable {
    private let path: String?
    private let bell: Bool
    private let lock = NSLock()

    public init(path: String?, bell: Bool) {
        self.path = path
        self.bell = bell
    }

    public func show(_ state: ScreenState) {
        guard let path else { return }
        write(Self.render(state), to: path)
    }

    public enum Signal: Sendable { case success, failure, attention }

    public func ring(_ signal: Signal) {
        guard bell, let path else { return }
        let count = switch signal { case .success: 1; case .failure: 3; case .attention: 2 }
        Task.detached { [self] in
            for index in 0..<count {
                if index > 0 { try? await Task.sleep(for: .milliseconds(300)) }
                self.write("\u{07}", to: path)
            }
        }
    }

    private func write(_ text: String, to path: String) {
        lock.withLock {
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            handle.write(Data(text.utf8))
            try? handle.close()
        }
    }

    /// The screen as text: clear, title, headline, the last number in large digits, queue,
    /// leases, network and the time — every line from the catalogue, times in Vietnam time.
    public static func render(_ state: ScreenState, now: Date = Date()) -> String {
        (["\u{1B}[H\u{1B}[2J"] + lines(state, now: now)).joined(separator: "\n") + "\n"
    }

    /// The screen's lines without the clearing escape (what the clerk reads).
    public static func lines(_ state: ScreenState, now: Date = Date()) -> [String] {
        var lines = ["  " + ClerkMessage.title.text, ""]
        lines.append("  " + state.headline.text)
        lines.append("")
        if let number = state.lastNumber {
            lines.append("  " + ClerkMessage.lastNumberLabel.text)
            lines += BigDigits.render(number).map { "    " + $0 }
            if let detail = state.lastDetail { lines.append("  " + detail.text) }
            lines.append("")
        }
        lines.append("  " + ClerkMessage.waitingToSend(state.queueLength).text)
        if let leases = state.leases {
            lines.append("  " + ClerkMessage.leases(remaining: leases.remaining, unconfirmed: leases.unconfirmed).text)
        }
        if let offline = state.offlineSince {
            lines.append("  " + ClerkMessage.offline(since: offline).text)
        }
        lines.append("  " + ClerkMessage.clock(now).text)
        return lines
    }
}

/// Five-line block digits, readable across a front desk.
enum BigDigits {
    static let glyphs: [Character: [String]] = [
        "0": ["█████", "█   █", "█   █", "█   █", "█████"],
        "1": ["  █  ", " ██  ", "  █  ", "  █  ", " ███ "],
        "2": ["█████", "    █", "█████", "█    ", "█████"],
        "3": ["█████", "    █", " ████", "    █", "█████"],
        "4": ["█   █", "█   █", "█████", "    █", "    █"],
        "5": ["█████", "█    ", "█████", "    █", "█████"],
        "6": ["█████", "█    ", "█████", "█   █", "█████"],
        "7": ["█████", "    █", "   █ ", "  █  ", "  █  "],
        "8": ["█████", "█   █", "█████", "█   █", "█████"],
        "9": ["█████", "█   █", "█████", "    █", "█████"],
        "/": ["    █", "   █ ", "  █  ", " █   ", "█    "],
        " ": ["     ", "     ", "     ", "     ", "     "],
        // A provisional number: "T-12".
        "T": ["█████", "  █  ", "  █  ", "  █  ", "  █  "],
        "-": ["     ", "     ", "█████", "     ", "     "],
    ]

    static func render(_ text: String) -> [String] {
        (0..<5).map { row in
            text.compactMap { glyphs[$0]?[row] }.joined(separator: " ")
        }
    }
}
