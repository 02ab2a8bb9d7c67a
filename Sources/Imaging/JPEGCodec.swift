internal import CJpeg
internal import FoundationEssentials
internal import Glibc

/// libjpeg-turbo through the CJpeg shim, whose C functions own the setjmp frame.
enum JPEGCodec {
    static func encode(_ raster: Raster, quality: Int, tables: HuffmanTables = .default) throws -> [UInt8] {
        guard let layout = PageLayout(raster) else { throw ImagingError.invalidRaster("not a gray or RGB raster") }
        return try raster.pixels.withUnsafeBytes { pixels in
            var given: UnsafeRawBufferPointer? = pixels
            return try encode(layout, quality: quality, tables: tables) {
                defer { given = nil }
                return given
            }
        }
    }

    /// Encodes rows pulled from `next` as they come (each call: whole rows, valid until the next
    /// call; nil before the last row is an error) into one JFIF in memory.
    static func encode(_ layout: PageLayout, quality: Int, tables: HuffmanTables,
                       next: () throws -> UnsafeRawBufferPointer?) throws -> [UInt8] {
        var data: [UInt8] = []
        try encode(layout, quality: quality, tables: tables, next: next) { data.append(contentsOf: $0) }
        return data
    }

    /// Encodes rows pulled from `next` as they come, handing the JFIF stream to `emit` as libjpeg
    /// makes it (64 KiB at a time; each buffer valid during the call). Errors thrown by `next` or
    /// `emit` are rethrown unchanged; what `emit` took before an error is not a whole stream.
    static func encode(_ layout: PageLayout, quality: Int, tables: HuffmanTables,
                       next: () throws -> UnsafeRawBufferPointer?,
                       emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try withoutActuallyEscaping(next) { next in try withoutActuallyEscaping(emit) { emit in
            let feed = RowFeed(next: next, bytesPerRow: layout.bytesPerRow, emit: emit)
            var message = [CChar](repeating: 0, count: 256)
            let mode: Int32 = switch tables {
            case .standard: Int32(INTAKE_JPEG_STANDARD_TABLES)
            case .optimised: Int32(INTAKE_JPEG_OPTIMISED_TABLES)
            case .trained: Int32(INTAKE_JPEG_GIVEN_TABLES)
            }
            let context = Unmanaged.passUnretained(feed).toOpaque()
            let status = withTrainedTables(tables == .trained) { given in
                intake_jpeg_compress_rows(UInt32(layout.width), UInt32(layout.height), Int32(layout.colorSpace.samplesPerPixel),
                                          layout.bytesPerRow, Int32(min(max(quality, 1), 100)),
                                          UInt32(layout.xResolution.rounded()), UInt32(layout.yResolution.rounded()),
                                          mode, given, { context, rows, count in
                    guard let context, let rows, let count else { return 1 }
                    return Unmanaged<RowFeed>.fromOpaque(context).takeUnretainedValue().fetch(rows, count)
                }, context, { context, bytes, count in
                    guard let context, let bytes else { return 1 }
                    return Unmanaged<RowFeed>.fromOpaque(context).takeUnretainedValue().take(bytes, count)
                }, context, &message, message.count)
            }
            if let failure = feed.failure { throw failure }
            guard status == 0 else {
                if status == 2 { throw ImagingError.invalidRaster("the page ended after \(feed.rowsGiven) of \(layout.height) rows") }
                throw ImagingError.jpeg(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
        } }
    }

    /// Decodes a JFIF to a raster (8-bit gray or RGB). Used by tests to prove output decodes.
    static func decode(_ data: [UInt8]) throws -> Raster {
        var output: UnsafeMutablePointer<UInt8>?
        var width: UInt32 = 0, height: UInt32 = 0
        var components: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = data.withUnsafeBufferPointer { bytes in
            intake_jpeg_decompress(bytes.baseAddress, UInt(bytes.count), &width, &height, &components,
                                   &output, &message, message.count)
        }
        defer { free(output) }
        guard status == 0, let output else {
            throw ImagingError.jpeg(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        let stride = Int(width) * Int(components)
        let pixels = [UInt8](UnsafeBufferPointer(start: output, count: stride * Int(height)))
        return Raster(width: Int(width), height: Int(height), bitsPerSample: 8, samplesPerPixel: Int(components),
                      bytesPerRow: stride, xResolution: 0, yResolution: 0, pixels: pixels)
    }
}

/// Carries the Swift row source and byte sink through libjpeg's C callbacks.
private final class RowFeed {
    let next: () throws -> UnsafeRawBufferPointer?
    let emit: (UnsafeRawBufferPointer) throws -> Void
    let bytesPerRow: Int
    var failure: (any Error)?
    var rowsGiven = 0

    init(next: @escaping () throws -> UnsafeRawBufferPointer?, bytesPerRow: Int,
         emit: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.next = next
        self.bytesPerRow = bytesPerRow
        self.emit = emit
    }

    func take(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
        do {
            try emit(UnsafeRawBufferPointer(start: bytes, count: count))
            return 0
        } catch {
            failure = error
            return 1
        }
    }

    func fetch(_ rows: UnsafeMutablePointer<UnsafePointer<UInt8>?>, _ count: UnsafeMutablePointer<UInt32>) -> Int32 {
        do {
            guard let strip = try next(), let base = strip.baseAddress, strip.count >= bytesPerRow else { return 1 }
            let n = (strip.count + bytesPerRow - 1) / bytesPerRow
            rows.pointee = base.assumingMemoryBound(to: UInt8.self)
            count.pointee = UInt32(n)
            rowsGiven += n
            return 0
        } catch {
            failure = error
            return 1
        }
    }
}
