import IntakeCore
import Imaging

/// Puts the pages of one batch into its PDF in page order while they are being encoded, on
/// whichever encoder thread has them: the page whose turn it is writes its JPEG into the file as
/// libjpeg makes it, so when the scanner's last line arrives only the tail of the last page is
/// left to write. A page encoded ahead of its turn (the other worker's) keeps its bytes until the
/// pages before it are in; with blank removal a page is written only once it is known not to be
/// blank (its ink passed the threshold, or it ended) — a blank page's bytes never reach the file.
///
/// Every PDFWriter call happens under one lock, so the file is written by one thread at a time.
final class PageAssembler: @unchecked Sendable {
    private let pdf: PDFWriter
    private let removeBlankPages: Bool
    private let lock = ConditionLock()
    private var slots: [Int: Slot] = [:]
    /// The page whose bytes go into the file next; nil before the first page.
    private var next: Int?
    private var failure: (any Error)?
    /// Pages written whole / left out as blank.
    private(set) var kept = 0
    private(set) var blank = 0
    /// The most page bytes ever held back at once (tests: bounded by the pages encoding ahead).
    private(set) var mostHeldBytes = 0

    private struct Slot {
        var image: PageImage?
        var held: [UInt8] = []
        var inked = false
        var ended = false
        var isBlank = false
        /// Its image stream is open in the file: its bytes go straight there.
        var live = false
    }

    init(pdf: PDFWriter, removeBlankPages: Bool) {
        self.pdf = pdf
        self.removeBlankPages = removeBlankPages
    }

    /// A page of the batch, in scan order, before it is handed to an encoder.
    func expect(_ index: Int) {
        lock.lock()
        defer { lock.unlock() }
        if next == nil { next = index }
        slots[index] = Slot()
    }

    /// The page's encoder starts: what its image is.
    func begin(_ index: Int, image: PageImage) throws {
        try locked { slots[index]?.image = image; try pump() }
    }

    /// The next bytes of the page's compressed stream.
    func write(_ index: Int, _ bytes: UnsafeRawBufferPointer) throws {
        try locked {
            guard var slot = slots[index] else { return }
            if slot.live {
                try pdf.writeImage(bytes)
            } else {
                slots[index] = nil  // no copy-on-write of the held bytes
                slot.held.append(contentsOf: bytes)
                slots[index] = slot
                mostHeldBytes = max(mostHeldBytes, slots.values.reduce(0) { $0 + $1.held.count })
            }
        }
    }

    /// The page's ink passed the blank threshold: it will be kept, whatever comes.
    func inked(_ index: Int) throws {
        try locked { slots[index]?.inked = true; try pump() }
    }

    /// The page's stream is complete; `isBlank`: leave it out.
    func end(_ index: Int, isBlank: Bool) throws {
        try locked {
            slots[index]?.ended = true
            slots[index]?.isBlank = isBlank
            try pump()
        }
    }

    /// After the last page: every expected page is in the file (or left out as blank).
    func finish() throws {
        try locked {
            try pump()
            guard slots.isEmpty else {
                throw ImagingError(code: .writerState, message: "The document could not be written.",
                                   detail: "pages \(slots.keys.sorted()) of the batch never ended")
            }
        }
    }

    /// Call with the lock held: writes what may go into the file now, in page order.
    private func pump() throws {
        while let index = next, var slot = slots[index] {
            if !slot.live {
                if slot.ended && slot.isBlank && removeBlankPages {
                    slots[index] = nil
                    next = index + 1
                    blank += 1
                    continue
                }
                guard let image = slot.image, !removeBlankPages || slot.inked || slot.ended else { return }
                try pdf.beginImage(image)
                if !slot.held.isEmpty { try slot.held.withUnsafeBytes { try pdf.writeImage($0) } }
                slot.held = []
                slot.live = true
            }
            guard slot.ended else {
                slots[index] = slot
                return
            }
            try pdf.endImage()
            slots[index] = nil
            next = index + 1
            kept += 1
        }
    }

    private func locked<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        do {
            return try body()
        } catch {
            // The file is broken past this point: every later call fails the same way.
            failure = error
            throw error
        }
    }
}
