internal import CSane

extension SaneDevice {
    // MARK: - Pages

    func readPage(index: Int, resolution: Double) throws -> Page {
        try readPage(try liveHandle(), index: index, resolution: resolution)
    }

    func cancel() {
        guard let h = handle else { return }
        runtime.cancel(h)
    }

    private struct Frame {
        var format: SANE_Frame
        var width: Int
        var lines: Int
        var depth: Int
        var bytesPerLine: Int
        var data: [UInt8]
    }

    /// One page: one frame (gray/RGB) or three (red, green, blue).
    /// `started`: the parameters of a first frame already started by the caller.
    func readPage(_ h: SANE_Handle, index: Int, resolution: Double, started: SANE_Parameters? = nil) throws -> Page {
        var planes: [UInt32: Frame] = [:]
        var pending = started
        while true {
            var p = SANE_Parameters()
            if let first = pending {
                p = first
                pending = nil
            } else {
                try start(h)
                try call("sane_get_parameters", h) { sane_get_parameters(h, &p) }
            }
            var frame = try readFrame(h, p)
            if frame.depth == 16 {
                let reduced = RasterAssembly.reduce16To8(frame.data, bytesPerLine: frame.bytesPerLine, lines: frame.lines)
                frame.data = reduced.pixels
                frame.bytesPerLine = reduced.bytesPerLine
                frame.depth = 8
            }
            switch frame.format {
            case SANE_FRAME_GRAY, SANE_FRAME_RGB:
                let channels = frame.format == SANE_FRAME_RGB ? 3 : 1
                return Page(index: index, width: frame.width, height: frame.lines, depth: frame.depth, channels: channels,
                            bytesPerLine: frame.bytesPerLine, resolution: resolution, pixels: frame.data)
            case SANE_FRAME_RED, SANE_FRAME_GREEN, SANE_FRAME_BLUE:
                if frame.depth == 1 {
                    frame.data = RasterAssembly.expand1To8(frame.data, bytesPerLine: frame.bytesPerLine, width: frame.width, lines: frame.lines)
                    frame.bytesPerLine = frame.width
                    frame.depth = 8
                }
                planes[frame.format.rawValue] = frame
            default:
                throw ScanError.unsupported("\(info.name) sent an unknown frame format \(frame.format.rawValue)")
            }
            if p.last_frame != 0 { break }
        }
        guard let r = planes[SANE_FRAME_RED.rawValue], let g = planes[SANE_FRAME_GREEN.rawValue], let b = planes[SANE_FRAME_BLUE.rawValue] else {
            throw ScanError.ioError("\(info.name) ended a three-pass page without all of red, green and blue frames")
        }
        let lines = min(r.lines, g.lines, b.lines)
        let width = min(r.width, g.width, b.width)
        guard r.bytesPerLine == g.bytesPerLine, g.bytesPerLine == b.bytesPerLine else {
            throw ScanError.ioError("\(info.name) sent three-pass frames of different line lengths")
        }
        let rgb = RasterAssembly.interleave(red: r.data, green: g.data, blue: b.data, planeBytesPerLine: r.bytesPerLine,
                                            width: width, lines: lines)
        return Page(index: index, width: width, height: lines, depth: 8, channels: 3, bytesPerLine: width * 3,
                    resolution: resolution, pixels: rgb)
    }

    /// Reads one frame into one array, preallocated when the line count is known, grown when it is not.
    private func readFrame(_ h: SANE_Handle, _ p: SANE_Parameters) throws -> Frame {
        let bpl = Int(p.bytes_per_line)
        let expectedLines = Int(p.lines)
        guard bpl > 0 else { throw ScanError.ioError("\(info.name) reported \(bpl) bytes per line") }
        var data = [UInt8](repeating: 0, count: expectedLines > 0 ? bpl * expectedLines : bpl * 64)
        var filled = 0
        var scratch = [UInt8](repeating: 0, count: SaneRuntime.readChunk)
        while true {
            var got: SANE_Int = 0
            let status: SANE_Status
            if filled < data.count {
                let want = Int32(min(SaneRuntime.readChunk, data.count - filled))
                status = data.withUnsafeMutableBufferPointer { buffer in
                    runtime.read(h, into: buffer.baseAddress.map { $0 + filled }, count: want, got: &got)
                }
            } else {
                // Array full: the announced size is reached (expect EOF now) or the height is unknown (grow).
                status = scratch.withUnsafeMutableBufferPointer { buffer in
                    runtime.read(h, into: buffer.baseAddress, count: Int32(buffer.count), got: &got)
                }
                if Int(status.rawValue) == statusGood, got > 0 {
                    data.removeSubrange(filled...)
                    data.append(contentsOf: scratch[0..<Int(got)])
                    if expectedLines <= 0 {
                        data.append(contentsOf: [UInt8](repeating: 0, count: max(data.count / 2, SaneRuntime.readChunk)))
                    }
                }
            }
            let raw = Int(status.rawValue)
            if raw == statusEOF { break }
            guard raw == statusGood else { throw failure(raw, "sane_read") }
            filled += Int(got)
        }
        let lines = filled / bpl
        if lines == 0 {
            throw ScanError.ioError("sane_read on \(info.name): end of frame after \(filled) bytes, not one whole line (\(bpl) bytes)")
        }
        data.removeSubrange((lines * bpl)...)
        return Frame(format: p.format, width: Int(p.pixels_per_line), lines: lines, depth: Int(p.depth),
                     bytesPerLine: bpl, data: data)
    }

    func start(_ h: SANE_Handle) throws {
        let raw = Int(runtime.start(h).rawValue)
        guard raw == statusGood else { throw failure(raw, "sane_start") }
    }

    func call(_ what: String, _ h: SANE_Handle, _ body: () -> SANE_Status) throws {
        let raw = Int(runtime.locked(body).rawValue)
        guard raw == statusGood else { throw failure(raw, what) }
    }

    /// Maps a failing status; after an I/O error, asks SANE whether the device is still listed.
    func failure(_ status: Int, _ what: String) -> ScanError {
        var gone = false
        if status == statusIOError {
            if let h = handle { runtime.cancel(h) }
            gone = (try? runtime.devices(localOnly: true).contains { $0.name == info.name }) == false
        }
        return ScanError.sane(status: status, operation: "\(what) on \(info.name)", deviceGone: gone)
    }
}
