internal import CTiff
internal import FoundationEssentials
internal import Glibc

/// Owns one libtiff handle, its error buffer and (for in-memory files) its buffer.
final class TIFFHandle {
    let tiff: OpaquePointer
    private let errorBuffer: UnsafeMutablePointer<intake_tiff_errbuf>
    private let memory: UnsafeMutablePointer<intake_tiff_membuf>?
    private var closed = false

    /// Opens a file (`mode` as for TIFFOpen: "r", "w", "w8" for BigTIFF...).
    init(path: String, mode: String) throws {
        let errorBuffer = TIFFHandle.makeErrorBuffer()
        guard let t = intake_tiff_open(path, mode, errorBuffer) else {
            let detail = TIFFHandle.message(errorBuffer)
            errorBuffer.deallocate()
            throw ImagingError.tiff("cannot open \(path): \(detail)")
        }
        self.tiff = t
        self.errorBuffer = errorBuffer
        self.memory = nil
    }

    /// Opens an in-memory TIFF: empty for "w", or a copy of `bytes` for "r".
    init(memoryMode mode: String, bytes: [UInt8] = []) throws {
        let errorBuffer = TIFFHandle.makeErrorBuffer()
        let memory = UnsafeMutablePointer<intake_tiff_membuf>.allocate(capacity: 1)
        memory.initialize(to: intake_tiff_membuf(data: nil, size: 0, capacity: 0, pos: 0, owned: 1))
        if !bytes.isEmpty {
            // The C side frees this with free(), so it comes from malloc.
            guard let data = malloc(bytes.count) else {
                memory.deallocate()
                errorBuffer.deallocate()
                throw ImagingError.tiff("out of memory for \(bytes.count) bytes")
            }
            bytes.withUnsafeBytes { source in
                if let base = source.baseAddress { data.copyMemory(from: base, byteCount: source.count) }
            }
            memory.pointee.data = data.assumingMemoryBound(to: UInt8.self)
            memory.pointee.size = UInt64(bytes.count)
            memory.pointee.capacity = UInt64(bytes.count)
        }
        guard let t = intake_tiff_mem_open(mode, memory, errorBuffer) else {
            let detail = TIFFHandle.message(errorBuffer)
            intake_tiff_membuf_free(memory)
            memory.deallocate()
            errorBuffer.deallocate()
            throw ImagingError.tiff("cannot open in-memory TIFF: \(detail)")
        }
        self.tiff = t
        self.errorBuffer = errorBuffer
        self.memory = memory
    }

    deinit {
        if !closed { TIFFClose(tiff) }
        if let memory {
            intake_tiff_membuf_free(memory)
            memory.deallocate()
        }
        errorBuffer.deallocate()
    }

    /// Closes the handle (flushing the directory in write mode). The memory buffer stays readable.
    func close() {
        guard !closed else { return }
        closed = true
        TIFFClose(tiff)
    }

    /// The bytes of an in-memory file.
    var memoryBytes: [UInt8] {
        guard let memory, let data = memory.pointee.data else { return [] }
        return [UInt8](UnsafeBufferPointer(start: data, count: Int(memory.pointee.size)))
    }

    /// The last libtiff error text for this handle.
    var lastError: String { TIFFHandle.message(errorBuffer) }

    func failure(_ what: String) -> ImagingError { ImagingError.tiff("\(what): \(lastError)") }

    // MARK: - Typed field access

    func set(_ tag: Int32, u16 value: UInt16) throws {
        guard intake_tiff_set_u16(tiff, UInt32(tag), value) == 1 else { throw failure("set tag \(tag)") }
    }
    func set(_ tag: Int32, u32 value: UInt32) throws {
        guard intake_tiff_set_u32(tiff, UInt32(tag), value) == 1 else { throw failure("set tag \(tag)") }
    }
    func set(_ tag: Int32, int value: Int32) throws {
        guard intake_tiff_set_int(tiff, UInt32(tag), value) == 1 else { throw failure("set tag \(tag)") }
    }
    func set(_ tag: Int32, double value: Double) throws {
        guard intake_tiff_set_double(tiff, UInt32(tag), value) == 1 else { throw failure("set tag \(tag)") }
    }
    func set(_ tag: Int32, string value: String) throws {
        guard intake_tiff_set_string(tiff, UInt32(tag), value) == 1 else { throw failure("set tag \(tag)") }
    }
    func set(_ tag: Int32, u16 a: UInt16, _ b: UInt16) throws {
        guard intake_tiff_set_u16_pair(tiff, UInt32(tag), a, b) == 1 else { throw failure("set tag \(tag)") }
    }
    func u16(_ tag: Int32) -> UInt16? {
        var v: UInt16 = 0
        return intake_tiff_get_u16(tiff, UInt32(tag), &v) == 1 ? v : nil
    }
    func u32(_ tag: Int32) -> UInt32? {
        var v: UInt32 = 0
        return intake_tiff_get_u32(tiff, UInt32(tag), &v) == 1 ? v : nil
    }
    func float(_ tag: Int32) -> Float? {
        var v: Float = 0
        return intake_tiff_get_float(tiff, UInt32(tag), &v) == 1 ? v : nil
    }

    // MARK: - Page layout shared by the G4 encoder and the TIFF writer

    /// Sets the tags describing `raster` with the given compression; one strip per `rowsPerStrip`.
    func describePage(_ raster: Raster, space: ColorSpace, compression: Int32, rowsPerStrip: Int) throws {
        try set(TIFFTAG_IMAGEWIDTH, u32: UInt32(raster.width))
        try set(TIFFTAG_IMAGELENGTH, u32: UInt32(raster.height))
        try set(TIFFTAG_BITSPERSAMPLE, u16: UInt16(raster.bitsPerSample))
        try set(TIFFTAG_SAMPLESPERPIXEL, u16: UInt16(raster.samplesPerPixel))
        try set(TIFFTAG_PLANARCONFIG, u16: UInt16(PLANARCONFIG_CONTIG))
        try set(TIFFTAG_FILLORDER, u16: UInt16(FILLORDER_MSB2LSB))
        let photometric = switch space {
        case .bilevel: PHOTOMETRIC_MINISWHITE  // SANE lineart: bit set = black
        case .gray: PHOTOMETRIC_MINISBLACK
        case .rgb: PHOTOMETRIC_RGB
        }
        try set(TIFFTAG_PHOTOMETRIC, u16: UInt16(photometric))
        try set(TIFFTAG_COMPRESSION, u16: UInt16(compression))
        try set(TIFFTAG_ROWSPERSTRIP, u32: UInt32(rowsPerStrip))
        try set(TIFFTAG_RESOLUTIONUNIT, u16: UInt16(RESUNIT_INCH))
        try set(TIFFTAG_XRESOLUTION, double: raster.xResolution)
        try set(TIFFTAG_YRESOLUTION, double: raster.yResolution)
    }

    /// Writes every row of `raster` with TIFFWriteScanline. Rows go through one scratch row,
    /// because libtiff codecs may modify the buffer they are given and the raster is shared.
    func writeRows(_ raster: Raster) throws {
        let rowBytes = Raster.minimumBytesPerRow(width: raster.width, bitsPerSample: raster.bitsPerSample,
                                                 samplesPerPixel: raster.samplesPerPixel)
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: max(rowBytes, Int(TIFFScanlineSize(tiff))),
                                                       alignment: 16)
        defer { scratch.deallocate() }
        try raster.pixels.withUnsafeBytes { pixels in
            guard let base = pixels.baseAddress else { throw ImagingError.invalidRaster("empty pixel buffer") }
            for row in 0..<raster.height {
                scratch.copyMemory(from: base + row * raster.bytesPerRow, byteCount: rowBytes)
                guard TIFFWriteScanline(tiff, scratch, UInt32(row), 0) == 1 else {
                    throw failure("write row \(row)")
                }
            }
        }
    }

    /// Writes rows pulled from `next` (whole rows of `layout.bytesPerRow`, valid until the next call)
    /// until the page's height; rows go through one scratch row, as in `writeRows(_:)`.
    func writeRows(_ layout: PageLayout, next: () throws -> UnsafeRawBufferPointer?) throws {
        let rowBytes = Raster.minimumBytesPerRow(width: layout.width, bitsPerSample: layout.colorSpace.bitsPerSample,
                                                 samplesPerPixel: layout.colorSpace.samplesPerPixel)
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: max(rowBytes, Int(TIFFScanlineSize(tiff))), alignment: 16)
        defer { scratch.deallocate() }
        var row = 0
        while row < layout.height {
            guard let strip = try next(), let base = strip.baseAddress, strip.count >= rowBytes else {
                throw ImagingError.invalidRaster("the page ended after \(row) of \(layout.height) rows")
            }
            var offset = 0
            while offset + rowBytes <= strip.count, row < layout.height {
                scratch.copyMemory(from: base + offset, byteCount: rowBytes)
                guard TIFFWriteScanline(tiff, scratch, UInt32(row), 0) == 1 else { throw failure("write row \(row)") }
                offset += layout.bytesPerRow
                row += 1
            }
        }
    }

    // MARK: - Private

    private static func makeErrorBuffer() -> UnsafeMutablePointer<intake_tiff_errbuf> {
        let p = UnsafeMutablePointer<intake_tiff_errbuf>.allocate(capacity: 1)
        p.initialize(to: intake_tiff_errbuf())
        return p
    }

    private static func message(_ p: UnsafeMutablePointer<intake_tiff_errbuf>) -> String {
        withUnsafeBytes(of: &p.pointee.message) { raw in
            let bytes = raw.prefix { $0 != 0 }
            let text = String(decoding: bytes, as: UTF8.self)
            return text.isEmpty ? "unknown error" : text
        }
    }
}
