import IntakeCore
internal import Foundation

internal import Glibc  // the appliance is Linux (SANE, systemd, evdev)

/// The secret sent as `Authorization: Bearer …`, read from a file only its owner can read.
public struct BearerToken {
    /// Reads the token, refusing files that are not regular or that others could read.
    ///
    /// Accepted modes: 0600 and 0400. Surrounding whitespace (the trailing newline) is dropped.
    public static func load(path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            throw DeliveryError(
                code: .tokenFileUnreadable, message: "cannot read the token file \(path)",
                detail: POSIX.errorText(code))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw DeliveryError(
                code: .tokenFileInsecure, message: "the token file \(path) is not a regular file",
                detail: "st_mode \(String(info.st_mode, radix: 8))")
        }
        let mode = info.st_mode & 0o7777
        guard mode == 0o600 || mode == 0o400 else {
            let octal = String(mode, radix: 8)
            throw DeliveryError(
                code: .tokenFileInsecure,
                message: "the token file \(path) has mode 0\(octal); others may read it — run: chmod 600 \(path)",
                detail: "only modes 0600 and 0400 are accepted")
        }
        switch POSIX.readSmallFile(path, limit: 64 * 1024) {
        case .failure(let failure):
            throw DeliveryError(
                code: .tokenFileUnreadable, message: "cannot read the token file \(path)",
                detail: POSIX.errorText(failure.code))
        case .success(let bytes) where bytes.count > 64 * 1024:
            throw DeliveryError(
                code: .tokenFileTooLarge, message: "the token file \(path) is larger than 64 KiB; it should hold one token",
                detail: "\(bytes.count)+ bytes read; nothing was cut")
        case .success(let bytes):
            let token = String(decoding: bytes, as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty, !token.contains(where: { $0.isNewline || $0 == " " }) else {
                throw DeliveryError(
                    code: .tokenFileEmpty,
                    message: "the token file \(path) is empty or holds more than one token",
                    detail: "expected a single line")
            }
            return token
        }
    }
}
