#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

extension String {
    /// C `printf` formatting of numbers (`%04X`, `%010d`, `%.4f`, …) without Foundation's
    /// `String(format:)`, which lives in the ICU-backed part of Foundation: the scanning path
    /// links FoundationEssentials only (README: lean processes). Numeric conversions only; `%@`
    /// and `%s` are not supported (pass strings by interpolation).
    public init(printf format: String, _ arguments: any CVarArg...) {
        self = Self.formatted(format, arguments)
    }

    private static func formatted(_ format: String, _ arguments: [any CVarArg]) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let needed = Int(withVaList(arguments) { vsnprintf(&buffer, buffer.count, format, $0) })
        if needed >= buffer.count {
            buffer = [CChar](repeating: 0, count: needed + 1)
            _ = withVaList(arguments) { vsnprintf(&buffer, buffer.count, format, $0) }
        }
        return String(decoding: buffer.prefix(Swift.max(needed, 0)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The text in Unicode Normalisation Form C (TCVN 6909: composed Vietnamese letters), from
    /// the standard library's own normaliser, so no ICU is needed.
    public var nfcNormalized: String {
        isASCII ? self : String(decoding: _nfcCodeUnits, as: UTF8.self)
    }

    private var isASCII: Bool { utf8.allSatisfy { $0 < 0x80 } }
}
