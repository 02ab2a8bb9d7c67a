public import Foundation

/// What the clerk sees on the console beside the scanner: a big number, one line of state.
public struct ScreenState: Sendable, Equatable {
    public var headline: String = "SẴN SÀNG — ready"
    public var lastNumber: String?
    public var lastDetail: String?
    public var queueLength = 0
    public var offlineSince: Date?
    public var problem: String?

    public init() {}
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

    /// The screen as text: clear, headline, the last number in large digits, queue and network.
    public static func render(_ state: ScreenState, now: Date = Date()) -> String {
        var lines = ["\u{1B}[H\u{1B}[2J", "  INTAKE — tiếp nhận văn bản đến", ""]
        lines.append("  " + (state.problem ?? state.headline))
        lines.append("")
        if let number = state.lastNumber {
            lines.append("  Số đến vừa cấp / last number:")
            lines += BigDigits.render(number).map { "    " + $0 }
            if let detail = state.lastDetail { lines.append("  " + detail) }
            lines.append("")
        }
        lines.append("  Chờ gửi / waiting to send: \(state.queueLength)")
        if let offline = state.offlineSince {
            let time = offline.formatted(Date.FormatStyle(date: .omitted, time: .shortened).locale(Locale(identifier: "vi_VN")))
            lines.append("  Mất kết nối từ \(time) — offline since \(time); documents are kept and sent later")
        }
        return lines.joined(separator: "\n") + "\n"
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
