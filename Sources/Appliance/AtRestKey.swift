public import IntakeCore
import Foundation
public import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// The key that encrypts classified files at rest: 32 bytes (raw, or 64 hex digits) from the
/// systemd credential (`$CREDENTIALS_DIRECTORY/<name>`, LoadCredential=) or else from a
/// root-only key file. Never from inside the state directory, never from a file others can read.
public struct AtRestKey: Sendable {
    /// The key's bytes (SymmetricKey is not Sendable; this is made into one where it is used).
    let bytes: [UInt8]
    /// Where it came from, for the journal (never the key itself).
    public let source: String

    public var key: SymmetricKey { SymmetricKey(data: bytes) }

    public init(key: SymmetricKey, source: String) {
        self.bytes = key.withUnsafeBytes { Array($0) }
        self.source = source
    }

    /// Finds and checks the key as configured. `environment` is the process environment.
    public static func load(_ atRest: Configuration.AtRest, stateDirectory: String,
                            environment: [String: String]? = nil) throws(SecrecyError) -> AtRestKey {
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty {
            let path = directory + "/" + atRest.credential
            if FileManager.default.fileExists(atPath: path) {
                // systemd made this file for us alone (mode 0400 in a private mount).
                return AtRestKey(key: try read(path, stateDirectory: stateDirectory, checkMode: false), source: "credential \(atRest.credential)")
            }
        }
        guard let file = atRest.keyFile else {
            throw SecrecyError(.keyMissing, "Chưa có khóa mã hóa văn bản mật — báo người phụ trách kỹ thuật.",
                               detail: "no at-rest key: neither $CREDENTIALS_DIRECTORY/\(atRest.credential) (LoadCredential=) nor [at_rest] key_file")
        }
        return AtRestKey(key: try read(file, stateDirectory: stateDirectory, checkMode: true), source: file)
    }

    /// Why a key file may not be used, or nil when it may. Checked by `config validate` too.
    public static func problem(keyFile path: String, stateDirectory: String) -> String? {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let state = URL(fileURLWithPath: stateDirectory).resolvingSymlinksInPath().path
        if resolved == state || resolved.hasPrefix(state.hasSuffix("/") ? state : state + "/") {
            return "\(path) is inside the state directory \(stateDirectory): keep the key apart from the files it protects"
        }
        var info = stat()
        guard stat(path, &info) == 0 else { return "\(path): \(String(cString: strerror(errno)))" }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return "\(path) is not a regular file" }
        if info.st_mode & 0o077 != 0 {
            return "\(path) has mode \(String(info.st_mode & 0o777, radix: 8)); a key file must be readable by its owner only (chmod 600)"
        }
        if info.st_uid != 0 && info.st_uid != geteuid() {
            return "\(path) belongs to uid \(info.st_uid); it must belong to root (or the service user)"
        }
        return nil
    }

    private static func read(_ path: String, stateDirectory: String, checkMode: Bool) throws(SecrecyError) -> SymmetricKey {
        if !FileManager.default.fileExists(atPath: path) {
            throw SecrecyError(.keyMissing, "Không tìm thấy khóa mã hóa văn bản mật — báo người phụ trách kỹ thuật.", detail: "\(path): no such file")
        }
        if checkMode, let problem = problem(keyFile: path, stateDirectory: stateDirectory) {
            throw SecrecyError(.keyUnsafe, "Khóa mã hóa văn bản mật không an toàn — báo người phụ trách kỹ thuật.", detail: problem)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SecrecyError(.keyMissing, "Không đọc được khóa mã hóa văn bản mật — báo người phụ trách kỹ thuật.", detail: "cannot read \(path)")
        }
        if data.count == 32 { return SymmetricKey(data: data) }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count == 64, let bytes = hexBytes(text) { return SymmetricKey(data: bytes) }
        throw SecrecyError(.keyUnsafe, "Khóa mã hóa văn bản mật sai định dạng — báo người phụ trách kỹ thuật.",
                           detail: "\(path): expected 32 bytes or 64 hex digits (e.g. `openssl rand -hex 32`), found \(data.count) bytes")
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
