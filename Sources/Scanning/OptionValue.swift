internal import FoundationEssentials
internal import Glibc
internal import IntakeCore

/// A typed SANE option value. Encodes as a plain JSON value (`true`, `300`, `210.5`, `"Color"`, `null` for a button).
public enum OptionValue: Sendable, Equatable {
    case bool(Bool)
    case int(Int)
    case fixed(Double)
    case string(String)
    case button
}

extension OptionValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .bool(let b): b ? "yes" : "no"
        case .int(let i): String(i)
        case .fixed(let d): formatNumber(d)
        case .string(let s): s
        case .button: "(button)"
        }
    }
}

extension OptionValue: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .button
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .fixed(d)
        } else {
            self = .string(try c.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .fixed(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .button: try c.encodeNil()
        }
    }
}

/// "300" for whole numbers, "12.5" otherwise (no trailing zeros).
func formatNumber(_ d: Double) -> String {
    if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
    var s = String(printf: "%.4f", d)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}
