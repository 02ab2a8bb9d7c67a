internal import IntakeCore
/// The layout of one page before its rows arrive: what `sane_get_parameters` announced, already
/// normalised as `Page` is (depth 1 or 8, interleaved RGB).
public struct PageFormat: Sendable, Equatable {
    /// 1-based position within the batch.
    public var index: Int
    public var width: Int
    /// Lines the page will have. A device that ends early is padded with paper-white rows.
    public var height: Int
    /// 1 (lineart, bit set = black) or 8.
    public var depth: Int
    /// 1 (gray/lineart) or 3 (RGB, interleaved).
    public var channels: Int
    public var bytesPerLine: Int
    public var resolution: Double

    public init(index: Int, width: Int, height: Int, depth: Int, channels: Int, bytesPerLine: Int, resolution: Double) {
        self.index = index
        self.width = width
        self.height = height
        self.depth = depth
        self.channels = channels
        self.bytesPerLine = bytesPerLine
        self.resolution = resolution
    }

    /// The byte of a paper-white sample: 0 for lineart (bit set = black), 255 otherwise.
    var paperByte: UInt8 { depth == 1 ? 0 : 255 }
}

/// Whole rows of one page, in order. Owns its memory; read-only to consumers.
public final class Strip: @unchecked Sendable {
    /// Row of the page the strip starts at (0-based).
    public let firstRow: Int
    public let rows: Int
    public let bytesPerRow: Int
    private let storage: UnsafeMutableRawBufferPointer

    init(firstRow: Int, rows: Int, bytesPerRow: Int) {
        self.firstRow = firstRow
        self.rows = rows
        self.bytesPerRow = bytesPerRow
        storage = StripMemory.shared.take(byteCount: max(rows * bytesPerRow, 1))
    }

    deinit { StripMemory.shared.give(storage) }

    /// The strip's `rows * bytesPerRow` bytes; valid while the strip lives.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: storage[0..<(rows * bytesPerRow)]) }
    var mutableBytes: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(rebasing: storage[0..<(rows * bytesPerRow)]) }

    /// Rows of a whole-page raster, copied.
    convenience init(copying pixels: [UInt8], firstRow: Int, rows: Int, bytesPerRow: Int) {
        self.init(firstRow: firstRow, rows: rows, bytesPerRow: bytesPerRow)
        pixels.withUnsafeBytes { source in
            let start = firstRow * bytesPerRow
            mutableBytes.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<(start + rows * bytesPerRow)]))
        }
    }
}

/// Strip buffers kept for the next strips. A page's strips are allocated on its reader thread and
/// freed on an encoder's; glibc gives each new reader thread an arena of its own, so freed strips
/// went back to arenas the next page's reader did not use, and every page faulted in fresh memory
/// (about 4,000 page faults for an A4 colour page). Buffers of one size are handed back here and
/// taken again, up to `limitBytes` kept.
final class StripMemory: @unchecked Sendable {
    static let shared = StripMemory(limitBytes: 8 << 20)

    let limitBytes: Int
    private let lock = ConditionLock()
    private var free: [Int: [UnsafeMutableRawBufferPointer]] = [:]
    private(set) var keptBytes = 0

    init(limitBytes: Int) {
        self.limitBytes = limitBytes
    }

    func take(byteCount: Int) -> UnsafeMutableRawBufferPointer {
        lock.lock()
        if let buffer = free[byteCount]?.popLast() {
            keptBytes -= byteCount
            lock.unlock()
            return buffer
        }
        lock.unlock()
        return .allocate(byteCount: byteCount, alignment: 16)
    }

    func give(_ buffer: UnsafeMutableRawBufferPointer) {
        lock.lock()
        if keptBytes + buffer.count <= limitBytes {
            free[buffer.count, default: []].append(buffer)
            keptBytes += buffer.count
            lock.unlock()
            return
        }
        lock.unlock()
        buffer.deallocate()
    }
}
