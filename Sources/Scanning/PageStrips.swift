internal import IntakeCore

/// One page on its way from the device: its format at once, then its rows in strips as the
/// device delivers them. A reader thread fills a bounded queue (`capacityBytes`); the consumer
/// takes strips with `next()` on its own thread, so the device and the encoder overlap and no
/// whole-page raster is ever held unless the consumer falls a whole queue behind.
public final class PageStrips: @unchecked Sendable {
    public private(set) var format: PageFormat
    /// Rows per strip the reader aims for (the last strip may be shorter).
    static let rowsPerStrip = 32
    /// Bytes the queue holds before the reader waits: a few strips by default.
    static let defaultCapacity = 4 << 20

    private let condition = ConditionLock()
    private var queue: [Strip] = []
    private var queuedBytes = 0
    private let capacityBytes: Int
    private var producerDone = false
    private var cancelled = false
    private var failure: ScanError?
    private var transform: ((Strip) -> Strip)?
    private var rowsQueued = 0
    private var lastRowArrival: ContinuousClock.Instant?

    /// A page read by `produce` on a new thread. `produce` hands strips to `push` (which returns
    /// false once the consumer cancelled) and returns the device error that ended the page, if any.
    init(format: PageFormat, capacityBytes: Int = PageStrips.defaultCapacity,
         produce: @escaping @Sendable (PageStrips) -> ScanError?) {
        self.format = format
        self.capacityBytes = max(capacityBytes, 1)
        DetachedThread.start(name: "intake-sane-reader") { [self] in
            let error = produce(self)
            condition.lock()
            failure = error
            producerDone = true
            condition.broadcast()
            condition.unlock()
        }
    }

    /// A page already read whole (three-pass frames, unknown height, replayed or fake devices).
    public init(page: Page) {
        format = PageFormat(index: page.index, width: page.width, height: page.height, depth: page.depth,
                            channels: page.channels, bytesPerLine: page.bytesPerLine, resolution: page.resolution)
        capacityBytes = Int.max
        var row = 0
        let available = page.bytesPerLine > 0 ? min(page.height, page.pixels.count / page.bytesPerLine) : 0
        while row < available {
            let rows = min(Self.rowsPerStrip, available - row)
            queue.append(Strip(copying: page.pixels, firstRow: row, rows: rows, bytesPerRow: page.bytesPerLine))
            row += rows
        }
        producerDone = true
        lastRowArrival = .now
    }

    /// When the device delivered the page's last row (nil until it has): the moment "the paper
    /// is through", from which the time to a registered document is counted.
    public var lastRowAt: ContinuousClock.Instant? {
        condition.lock()
        defer { condition.unlock() }
        return lastRowArrival
    }

    /// Whether the device delivered no row at all before it stopped (a feeder found empty only at `sane_read`).
    var deliveredNothing: Bool {
        condition.lock()
        defer { condition.unlock() }
        return rowsQueued == 0
    }

    /// Bytes of strips read from the device and not yet taken by the consumer.
    var queuedByteCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return queuedBytes
    }

    /// The device error that ended this page early, once the reader has stopped.
    public var deviceError: ScanError? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    // MARK: - Consumer

    /// The next strip, or nil after the last row. Throws the device's error (jam, cover open…)
    /// when the page ended in one.
    public func next() throws -> Strip? {
        condition.lock()
        while queue.isEmpty && !producerDone { condition.wait() }
        if queue.isEmpty {
            let error = failure
            condition.unlock()
            if let error { throw error }
            return nil
        }
        let strip = queue.removeFirst()
        queuedBytes -= strip.bytes.count
        condition.broadcast()
        let transform = self.transform
        condition.unlock()
        return transform.map { $0(strip) } ?? strip
    }

    /// Reads the rest of the page into one raster (the TIFF export and whole-page callers).
    public func readAll() throws -> Page {
        var pixels = [UInt8]()
        pixels.reserveCapacity(format.bytesPerLine * format.height)
        while let strip = try next() { pixels.append(contentsOf: strip.bytes) }
        return Page(index: format.index, width: format.width, height: format.height, depth: format.depth,
                    channels: format.channels, bytesPerLine: format.bytesPerLine, resolution: format.resolution, pixels: pixels)
    }

    /// Waits until the reader has read the whole page (its strips may still be queued here).
    func waitUntilRead() {
        condition.lock()
        while !producerDone { condition.wait() }
        condition.unlock()
    }

    /// Stops the reader at its next strip and waits for it; queued strips are dropped.
    public func cancel() {
        condition.lock()
        cancelled = true
        queue.removeAll()
        queuedBytes = 0
        condition.broadcast()
        while !producerDone { condition.wait() }
        condition.unlock()
    }

    /// Rewrites every strip on its way out (software threshold to lineart) and the format with it.
    func transformRows(to newFormat: PageFormat, _ body: @escaping (Strip) -> Strip) {
        condition.lock()
        format = newFormat
        transform = body
        condition.unlock()
    }

    // MARK: - Producer

    /// Queues a strip; waits while the queue is full. False when the consumer cancelled.
    func push(_ strip: Strip) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && queuedBytes > 0 && queuedBytes + strip.bytes.count > capacityBytes { condition.wait() }
        if cancelled { return false }
        queue.append(strip)
        queuedBytes += strip.bytes.count
        rowsQueued += strip.rows
        if rowsQueued >= format.height && lastRowArrival == nil { lastRowArrival = .now }
        condition.broadcast()
        return true
    }
}
