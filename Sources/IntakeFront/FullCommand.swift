internal import Glibc

/// The full `intake` (intake-full: Foundation, the register, delivery, the daemon), installed
/// beside the front (a build directory) or in ../libexec/intake/ (the Debian package).
enum FullCommand {
    static let name = "intake-full"

    /// Replaces this process with intake-full, same pid, same arguments (argv[0] kept, so
    /// commands that find intake-ocr beside `intake` still do). Returns only if exec failed.
    static func exec(_ arguments: [String]) -> Never {
        guard let path = location() else {
            StandardError.print("intake: cannot find \(name) beside \(ownPath() ?? "intake") or in ../libexec/intake/ — reinstall the intake package")
            exit(1)
        }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv(path, argv)
        StandardError.print("intake: cannot run \(path): \(String(cString: strerror(errno)))")
        exit(1)
    }

    static func location() -> String? {
        guard let own = ownPath(), let slash = own.lastIndex(of: "/") else { return nil }
        let directory = String(own[..<slash])
        return ["\(directory)/\(name)", "\(directory)/../libexec/intake/\(name)"].first { access($0, X_OK) == 0 }
    }

    private static func ownPath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
