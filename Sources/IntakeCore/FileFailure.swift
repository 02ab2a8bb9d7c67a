#if canImport(Glibc)
internal import Glibc
#endif

/// A file system call that failed: which step, on which path, with which errno. The low-level
/// failure of `DurableFile` and `FileDigest`; each module maps it into its own error family
/// (with its own clerk message) where it calls them.
public struct FileFailure: IntakeError, Equatable {
    public enum Operation: String, Sendable {
        case open, read, create, write, sync, rename, syncDirectory, remove
    }

    public var operation: Operation
    public var path: String
    /// errno as the call left it.
    public var errno: Int32

    public init(_ operation: Operation, _ path: String, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    public var errorCode: String { "file.\(operation.rawValue)" }

    public var message: String {
        switch operation {
        case .open, .read: "cannot read the document file \(path)"
        case .create: "cannot create \(path)"
        case .write: "cannot write \(path)"
        case .sync: "cannot flush \(path)"
        case .rename: "cannot rename \(path)"
        case .syncDirectory: "cannot flush the directory \(path)"
        case .remove: "cannot remove \(path)"
        }
    }

    /// The system's words for the errno, e.g. "No space left on device (errno 28)".
    public var detail: String { FileFailure.errorText(errno) }

    public static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text) + " (errno \(code))"
    }
}
