internal import CJpeg
#if canImport(FoundationEssentials)
internal import FoundationEssentials
internal import Glibc
#else
internal import Foundation
#endif

/// libjpeg-turbo through the CJpeg shim, whose C functions own the setjmp frame.
enum JPEGCodec {
    static func encode(_ raster: Raster, quality: Int) throws -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        var outputSize: UInt = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = raster.pixels.withUnsafeBufferPointer { pixels in
            intake_jpeg_compress(pixels.baseAddress, UInt32(raster.width), UInt32(raster.height),
                                 Int32(raster.samplesPerPixel), raster.bytesPerRow,
                                 Int32(min(max(quality, 1), 100)),
                                 UInt32(raster.xResolution.rounded()), UInt32(raster.yResolution.rounded()),
                                 &output, &outputSize, &message, message.count)
        }
        defer { free(output) }
        guard status == 0, let output else {
            throw ImagingError.jpeg(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return [UInt8](UnsafeBufferPointer(start: output, count: Int(outputSize)))
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
