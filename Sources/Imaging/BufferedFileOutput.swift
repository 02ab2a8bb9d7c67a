internal import FoundationEssentials
internal import Glibc

/// A write-only file with a user-space buffer and a running byte offset (for the PDF xref).
/// Large writes bypass the buffer, so page streams go from the caller's array to the kernel
/// (or to a `ByteSink`, which may encrypt them first).
final class BufferedFileOutput {
    private let fd: Int32
    private let sink: (any ByteSink)?
    private let path: String
    private var buffer: [UInt8] = []
    private let capacity = 64 * 1024
    private var isClosed = false
    /// Bytes written so far (buffered included): the offset of the next byte.
    private(set) var offset = 0

    init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ImagingError.io(errno: errno, operation: "open", path: path) }
        self.fd = fd
        self.path = path
        sink = nil
        buffer.reserveCapacity(capacity)
    }

    /// Bytes go to `sink` instead of a file; `name` is for error messages.
    init(sink: any ByteSink, name: String) {
        fd = -1
        path = name
        self.sink = sink
        buffer.reserveCapacity(capacity)
    }

    deinit {
        if !isClosed, sink == nil { _ = Glibc.close(fd) }
    }

    func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count <= capacity {
            buffer.append(contentsOf: bytes)
        } else {
            try flush()
            if bytes.count >= capacity {
                try writeAll(bytes)
            } else {
                buffer.append(contentsOf: bytes)
            }
        }
        offset += bytes.count
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes; the data is in the kernel, not necessarily on disk (no fsync).
    func close() throws {
        guard !isClosed else { return }
        try flush()
        isClosed = true
        if let sink { return try sink.close() }
        guard Glibc.close(fd) == 0 else { throw ImagingError.io(errno: errno, operation: "close", path: path) }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        if let sink { return try sink.write(bytes) }
        guard var p = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let n = Glibc.write(fd, p, remaining)
            if n < 0 {
                if errno == EINTR { continue }
                throw ImagingError.io(errno: errno, operation: "write", path: path)
            }
            p += n
            remaining -= n
        }
    }
}
