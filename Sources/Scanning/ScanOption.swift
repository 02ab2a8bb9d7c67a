internal import FoundationEssentials
internal import Glibc
internal import IntakeCore

/// One SANE option as the device describes it, with its current value.
public struct ScanOption: Sendable, Codable, Equatable {
    public enum ValueType: String, Sendable, Codable {
        case bool, int, fixed, string, button, group
    }

    public enum Unit: String, Sendable, Codable {
        case none, pixel, bit, mm, dpi, percent, microsecond

        var symbol: String {
            switch self {
            case .none: ""
            case .pixel: "pel"
            case .bit: "bit"
            case .mm: "mm"
            case .dpi: "dpi"
            case .percent: "%"
            case .microsecond: "us"
            }
        }
    }

    public enum Constraint: Sendable, Codable, Equatable {
        case none
        /// `quant` 0 means any value in the range.
        case range(min: Double, max: Double, quant: Double)
        case wordList(values: [Double])
        case stringList(values: [String])
    }

    /// Position in the device's option list (SANE option number).
    public var index: Int
    public var name: String
    public var title: String
    public var description: String
    /// Title of the option group it belongs to, if any.
    public var group: String?
    public var type: ValueType
    public var unit: Unit
    /// Number of elements (1 for scalars; more for arrays such as gamma tables). For strings: buffer size in bytes.
    public var count: Int
    public var constraint: Constraint
    /// Current value; `nil` when inactive, unreadable, a group, or an array (arrays are not read or set by name).
    public var value: OptionValue?
    /// Software can set it (SANE_CAP_SOFT_SELECT).
    public var isSettable: Bool
    /// Software can read it (SANE_CAP_SOFT_DETECT).
    public var isReadable: Bool
    public var isActive: Bool
    public var isAdvanced: Bool
    /// Set by the user at the device, e.g. a scan button (SANE_CAP_HARD_SELECT).
    public var isHardwareSelected: Bool

    public init(
        index: Int, name: String, title: String, description: String, group: String?,
        type: ValueType, unit: Unit, count: Int, constraint: Constraint, value: OptionValue?,
        isSettable: Bool, isReadable: Bool, isActive: Bool, isAdvanced: Bool, isHardwareSelected: Bool
    ) {
        self.index = index
        self.name = name
        self.title = title
        self.description = description
        self.group = group
        self.type = type
        self.unit = unit
        self.count = count
        self.constraint = constraint
        self.value = value
        self.isSettable = isSettable
        self.isReadable = isReadable
        self.isActive = isActive
        self.isAdvanced = isAdvanced
        self.isHardwareSelected = isHardwareSelected
    }

    /// Decodes like the synthesized form, then gives `value` the option's own type again
    /// (JSON cannot tell `.fixed(80)` from `.int(80)`).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        index = try c.decode(Int.self, forKey: .index)
        name = try c.decode(String.self, forKey: .name)
        title = try c.decode(String.self, forKey: .title)
        description = try c.decode(String.self, forKey: .description)
        group = try c.decodeIfPresent(String.self, forKey: .group)
        type = try c.decode(ValueType.self, forKey: .type)
        unit = try c.decode(Unit.self, forKey: .unit)
        count = try c.decode(Int.self, forKey: .count)
        constraint = try c.decode(Constraint.self, forKey: .constraint)
        isSettable = try c.decode(Bool.self, forKey: .isSettable)
        isReadable = try c.decode(Bool.self, forKey: .isReadable)
        isActive = try c.decode(Bool.self, forKey: .isActive)
        isAdvanced = try c.decode(Bool.self, forKey: .isAdvanced)
        isHardwareSelected = try c.decode(Bool.self, forKey: .isHardwareSelected)
        switch (type, try c.decodeIfPresent(OptionValue.self, forKey: .value)) {
        case (.fixed, .int(let i)?): value = .fixed(Double(i))
        case (.int, .fixed(let d)?): value = .int(Int(d))
        case (.button, _), (.group, _): value = nil
        case (_, let v): value = v
        }
    }

    var isArray: Bool { (type == .int || type == .fixed) && count > 1 }
}

// MARK: - Checking values against the constraint

extension ScanOption {
    /// The allowed values in words, e.g. `1..1200 dpi in steps of 1` or `"Gray", "Color"`.
    public var allowedDescription: String {
        let u = unit.symbol
        switch constraint {
        case .none:
            switch type {
            case .bool: return "yes, no"
            case .int: return "any whole number"
            case .fixed: return "any number"
            case .string: return "any text up to \(max(count - 1, 0)) bytes"
            case .button, .group: return "(no value)"
            }
        case .range(let lo, let hi, let q):
            let steps = q > 0 ? " in steps of \(formatNumber(q))" : ""
            return "\(formatNumber(lo))..\(formatNumber(hi))\(u.isEmpty ? "" : " " + u)\(steps)"
        case .wordList(let values):
            return values.map(formatNumber).joined(separator: ", ") + (u.isEmpty ? "" : " " + u)
        case .stringList(let values):
            return values.map { "\"\($0)\"" }.joined(separator: ", ")
        }
    }

    /// Why `value` cannot be set on this option, or `nil` when it can.
    public func problem(with value: OptionValue) -> ScanError? {
        problem(with: value, ignoringInactive: false)
    }

    func problem(with value: OptionValue, ignoringInactive: Bool) -> ScanError? {
        func bad(_ what: String) -> ScanError {
            .invalidOption("option '\(name)' (\(title)): \(what); allowed: \(allowedDescription)")
        }
        if !isActive, !ignoringInactive { return bad("option is not active with the current settings") }
        if !isSettable { return bad("option is read-only") }
        if isArray { return .unsupported("option '\(name)' is an array of \(count) values; arrays cannot be set by name") }
        let number: Double
        switch (type, value) {
        case (.bool, .bool), (.button, .button):
            return nil
        case (.int, .int(let i)):
            number = Double(i)
        case (.fixed, .int(let i)):
            number = Double(i)
        case (.fixed, .fixed(let d)):
            number = d
        case (.string, .string(let s)):
            if case .stringList(let values) = constraint, !values.contains(s) {
                return bad("'\(s)' is not one of the allowed values")
            }
            if s.utf8.count >= count { return bad("'\(s)' is longer than \(count - 1) bytes") }
            return nil
        default:
            return bad("expected a \(type.rawValue) value, got \(value)")
        }
        let tolerance = type == .fixed ? 1.0 / 65536 : 0
        switch constraint {
        case .none, .stringList:
            return nil
        case .range(let lo, let hi, let q):
            if number < lo - tolerance || number > hi + tolerance {
                return bad("\(formatNumber(number)) is out of range")
            }
            if type == .int, q > 0, (number - lo).truncatingRemainder(dividingBy: q) != 0 {
                return bad("\(formatNumber(number)) is not on a step")
            }
            return nil
        case .wordList(let values):
            if !values.contains(where: { abs($0 - number) <= max(tolerance, 1e-9) }) {
                return bad("\(formatNumber(number)) is not one of the allowed values")
            }
            return nil
        }
    }

    /// Parses text from a profile by this option's type (`yes`/`no`, whole numbers, decimals, text).
    public func parse(_ text: String) throws(ScanError) -> OptionValue {
        let t = text.trimmingSpaces
        switch type {
        case .bool:
            switch t.lowercased() {
            case "yes", "true", "on", "1": return .bool(true)
            case "no", "false", "off", "0": return .bool(false)
            default: throw .invalidOption("option '\(name)': '\(text)' is not yes/no")
            }
        case .int:
            guard let i = Int(t) else { throw .invalidOption("option '\(name)': '\(text)' is not a whole number; allowed: \(allowedDescription)") }
            return .int(i)
        case .fixed:
            guard let d = Double(t), d.isFinite else { throw .invalidOption("option '\(name)': '\(text)' is not a number; allowed: \(allowedDescription)") }
            return .fixed(d)
        case .string:
            return .string(text)
        case .button:
            return .button
        case .group:
            throw .invalidOption("'\(name)' is an option group, not an option")
        }
    }
}
