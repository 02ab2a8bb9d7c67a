@testable import Scanning
import Testing

@Suite struct StripMemoryTests {
    /// A buffer handed back is the one taken next for the same size; beyond the limit buffers are
    /// freed, not kept; a size never seen gets a new buffer.
    @Test func buffersAreReusedUpToTheLimit() {
        let memory = StripMemory(limitBytes: 3000)
        let first = memory.take(byteCount: 1000)
        let second = memory.take(byteCount: 1000)
        let third = memory.take(byteCount: 1000)
        let fourth = memory.take(byteCount: 1000)
        memory.give(first)
        memory.give(second)
        memory.give(third)
        memory.give(fourth)  // over the limit: freed
        #expect(memory.keptBytes == 3000)
        let again = memory.take(byteCount: 1000)
        #expect([first, second, third].contains { $0.baseAddress == again.baseAddress })
        #expect(memory.keptBytes == 2000)
        let other = memory.take(byteCount: 500)
        #expect(other.count == 500)
        #expect(memory.keptBytes == 2000)
        memory.give(again)
        memory.give(other)
        #expect(memory.keptBytes == 2500 + 500)
    }

    /// Strips carry their rows whatever buffer they were given: a reused buffer's old bytes are
    /// overwritten by the reader before the strip is handed on, so a strip from a page's whole
    /// raster is that raster's rows.
    @Test func aStripFromReusedMemoryHoldsItsOwnRows() {
        let pixels = (0..<(40 * 10)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        do { _ = Strip(copying: [UInt8](repeating: 0xAA, count: 400), firstRow: 0, rows: 10, bytesPerRow: 40) }
        let strip = Strip(copying: pixels, firstRow: 2, rows: 5, bytesPerRow: 40)
        #expect(Array(strip.bytes) == Array(pixels[80..<280]))
    }
}
