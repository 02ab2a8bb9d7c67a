internal import CSane
internal import Glibc

/// Streaming pages: `sane_read` on a reader thread, whole rows handed on in strips.
extension SaneDevice {
    func startPage(index: Int, resolution: Double, capacityBytes: Int) throws -> PageStrips {
        let h = try liveHandle()
        try start(h)
        var p = SANE_Parameters()
        try call("sane_get_parameters", h) { sane_get_parameters(h, &p) }
        let depth = Int(p.depth)
        let rgb = p.format == SANE_FRAME_RGB
        // Three-pass frames, an unknown height (hand scanners) or an odd depth: read whole, as before.
        guard p.format == SANE_FRAME_GRAY || rgb, p.lines > 0, p.bytes_per_line > 0, depth == 8 || depth == 16 || (depth == 1 && !rgb) else {
            return PageStrips(page: try readPage(h, index: index, resolution: resolution, started: p))
        }
        let rawBPL = Int(p.bytes_per_line)
        let format = PageFormat(index: index, width: Int(p.pixels_per_line), height: Int(p.lines), depth: depth == 16 ? 8 : depth,
                                channels: rgb ? 3 : 1, bytesPerLine: depth == 16 ? rawBPL / 2 : rawBPL, resolution: resolution)
        let device = UncheckedDevice(device: self, handle: h)
        return PageStrips(format: format, capacityBytes: capacityBytes) { strips in
            device.device.readStrips(device.handle, rawBytesPerLine: rawBPL, sixteenBit: depth == 16, format: format, into: strips)
        }
    }

    /// Runs on the reader thread. Returns the error that ended the page early, nil when it is complete
    /// or the consumer cancelled. Lines beyond the announced height are read and dropped; a page that
    /// ends early is padded with paper-white lines to the announced height.
    private func readStrips(_ h: SANE_Handle, rawBytesPerLine rawBPL: Int, sixteenBit: Bool, format: PageFormat,
                            into strips: PageStrips) -> ScanError? {
        let height = format.height
        // 8-bit and lineart rows are read straight into the strip that carries them on; 16-bit
        // samples land in a raw buffer and are halved into the strip.
        let raw: UnsafeMutableRawBufferPointer? = sixteenBit
            ? .allocate(byteCount: rawBPL * PageStrips.rowsPerStrip, alignment: 16) : nil
        defer { raw?.deallocate() }
        var overflow: UnsafeMutableRawBufferPointer?  // lines past the announced height: read and dropped
        defer { overflow?.deallocate() }
        var row = 0
        var filled = 0
        var current: Strip?
        func rowsInStrip() -> Int { min(PageStrips.rowsPerStrip, height - row) }
        /// Where the raw bytes of the rows from `row` on go.
        func target() -> UnsafeMutableRawBufferPointer {
            if let raw { return raw }
            if let current { return current.mutableBytes }
            let strip = Strip(firstRow: row, rows: rowsInStrip(), bytesPerRow: format.bytesPerLine)
            current = strip
            return strip.mutableBytes
        }
        func emit(rows: Int) -> Bool {
            let strip: Strip
            if let raw {
                strip = Strip(firstRow: row, rows: rows, bytesPerRow: format.bytesPerLine)
                let out = strip.mutableBytes
                for r in 0..<rows {
                    for i in 0..<format.bytesPerLine {
                        let sample = raw.loadUnaligned(fromByteOffset: r * rawBPL + 2 * i, as: UInt16.self)
                        out[r * format.bytesPerLine + i] = UInt8(truncatingIfNeeded: sample >> 8)
                    }
                }
            } else {
                guard let filledStrip = current else { return false }
                strip = filledStrip
                current = nil
            }
            row += rows
            filled = 0
            return strips.push(strip)
        }
        while true {
            let into: UnsafeMutableRawPointer
            let want: Int
            if row < height {
                guard let base = target().baseAddress else { return ScanError.ioError("no memory for a strip") }
                into = base + filled
                want = min(SaneRuntime.readChunk, rowsInStrip() * rawBPL - filled)
            } else {
                let scratch = overflow ?? .allocate(byteCount: SaneRuntime.readChunk, alignment: 16)
                overflow = scratch
                guard let base = scratch.baseAddress else { return ScanError.ioError("no memory for a strip") }
                into = base
                want = scratch.count
            }
            var got: SANE_Int = 0
            let status = Int(runtime.read(h, into: into.assumingMemoryBound(to: UInt8.self), count: Int32(want), got: &got).rawValue)
            if status == statusEOF { break }
            guard status == statusGood else { return failure(status, "sane_read") }
            guard row < height else { continue }
            filled += Int(got)
            let stripRows = rowsInStrip()
            if filled == stripRows * rawBPL, !emit(rows: stripRows) { return nil }
        }
        if row == 0 && filled < rawBPL {
            return ScanError.ioError("sane_read on \(info.name): end of frame after \(filled) bytes, not one whole line (\(rawBPL) bytes)")
        }
        while row < height {  // ended early: paper-white lines to the announced height
            let stripRows = rowsInStrip()
            let whole = filled / rawBPL * rawBPL
            UnsafeMutableRawBufferPointer(rebasing: target()[whole..<(stripRows * rawBPL)]).initializeMemory(as: UInt8.self, repeating: format.paperByte)
            if !emit(rows: stripRows) { return nil }
        }
        return nil
    }
}

/// The reader thread uses the device only for `sane_read` under the runtime's lock, while its
/// owner waits for the page; nothing else touches it meanwhile.
private struct UncheckedDevice: @unchecked Sendable {
    let device: SaneDevice
    let handle: SANE_Handle
}
