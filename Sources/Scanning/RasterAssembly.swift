/// Normalises raw SANE frames into `Page` layout. Pure Swift, no SANE calls.
enum RasterAssembly {
    /// 16-bit samples (host byte order, as SANE delivers them) → 8-bit by keeping the high byte.
    static func reduce16To8(_ data: [UInt8], bytesPerLine: Int, lines: Int) -> (pixels: [UInt8], bytesPerLine: Int) {
        let outBPL = bytesPerLine / 2
        var out = [UInt8](repeating: 0, count: outBPL * lines)
        data.withUnsafeBytes { src in
            out.withUnsafeMutableBufferPointer { dst in
                for line in 0..<lines {
                    let s = line * bytesPerLine
                    let d = line * outBPL
                    for i in 0..<outBPL {
                        let sample = src.loadUnaligned(fromByteOffset: s + 2 * i, as: UInt16.self)
                        dst[d + i] = UInt8(truncatingIfNeeded: sample >> 8)
                    }
                }
            }
        }
        return (out, outBPL)
    }

    /// Three single-channel planes (R, G, B; 8 bits) → interleaved RGB with `width * 3` bytes per line.
    static func interleave(red: [UInt8], green: [UInt8], blue: [UInt8], planeBytesPerLine: Int, width: Int, lines: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width * 3 * lines)
        out.withUnsafeMutableBufferPointer { dst in
            for line in 0..<lines {
                let s = line * planeBytesPerLine
                let d = line * width * 3
                for x in 0..<width {
                    dst[d + 3 * x] = red[s + x]
                    dst[d + 3 * x + 1] = green[s + x]
                    dst[d + 3 * x + 2] = blue[s + x]
                }
            }
        }
        return out
    }

    /// One bit per sample planes can't be interleaved meaningfully into 8-bit RGB; expand 1-bit plane to 8-bit (black = 0).
    static func expand1To8(_ data: [UInt8], bytesPerLine: Int, width: Int, lines: Int) -> [UInt8] {
        var out = [UInt8](repeating: 255, count: width * lines)
        for line in 0..<lines {
            for x in 0..<width where data[line * bytesPerLine + x / 8] & (0x80 >> UInt8(x % 8)) != 0 {
                out[line * width + x] = 0
            }
        }
        return out
    }
}

extension RasterAssembly {
    /// 8-bit gray → 1-bit lineart (bit set = black) at a fixed mid threshold: the last resort for
    /// a lineart profile on a device that offers no lineart, halftone or 1-bit depth.
    static func threshold(_ page: Page, level: UInt8 = 128) -> Page {
        let outBPL = (page.width + 7) / 8
        var out = [UInt8](repeating: 0, count: outBPL * page.height)
        for y in 0..<page.height {
            let s = y * page.bytesPerLine
            let d = y * outBPL
            for x in 0..<page.width where page.pixels[s + x] < level {
                out[d + x / 8] |= 0x80 >> UInt8(x % 8)
            }
        }
        return Page(index: page.index, width: page.width, height: page.height, depth: 1, channels: 1,
                    bytesPerLine: outBPL, resolution: page.resolution, pixels: out)
    }
}

extension RasterAssembly {
    /// The same threshold, row by row on a streamed page.
    static func threshold(_ strips: PageStrips, level: UInt8 = 128) {
        let gray = strips.format
        var lineart = gray
        lineart.depth = 1
        lineart.bytesPerLine = (gray.width + 7) / 8
        strips.transformRows(to: lineart) { strip in
            let out = Strip(firstRow: strip.firstRow, rows: strip.rows, bytesPerRow: lineart.bytesPerLine)
            let source = strip.bytes, target = out.mutableBytes
            target.initializeMemory(as: UInt8.self, repeating: 0)
            for y in 0..<strip.rows {
                let s = y * strip.bytesPerRow, d = y * lineart.bytesPerLine
                for x in 0..<gray.width where source[s + x] < level {
                    target[d + x / 8] |= 0x80 >> UInt8(x % 8)
                }
            }
            return out
        }
    }
}
