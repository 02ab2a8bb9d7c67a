public import IntakeCore
internal import FoundationEssentials
internal import Glibc

/// A failure while encoding a page or writing a PDF/TIFF file.
///
/// `code` is stable (match on it), `message` is one line a clerk understands,
/// `detail` is for the technician's journal.
public struct ImagingError: IntakeError {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The raster's geometry or pixel format is inconsistent or unsupported.
        public static let invalidRaster = Code(rawValue: "imaging.invalid-raster")
        /// libjpeg refused to compress or decompress.
        public static let jpegFailed = Code(rawValue: "imaging.jpeg-failed")
        /// libtiff refused to open, encode or decode.
        public static let tiffFailed = Code(rawValue: "imaging.tiff-failed")
        /// Writing the output file failed (permissions, I/O error).
        public static let writeFailed = Code(rawValue: "imaging.write-failed")
        /// The disk is full.
        public static let diskFull = Code(rawValue: "imaging.disk-full")
        /// A writer was used after `finish()` or with no pages.
        public static let writerState = Code(rawValue: "imaging.writer-state")
        /// The stamp's font is missing or unusable.
        public static let fontFailed = Code(rawValue: "imaging.font-failed")
        /// The PDF to stamp is not one this program wrote, or is damaged.
        public static let unstampable = Code(rawValue: "imaging.unstampable")

        /// Every code, for the clerk's message catalogue.
        public static let allCases: [Code] = [invalidRaster, jpegFailed, tiffFailed, writeFailed, diskFull, writerState, fontFailed, unstampable]
    }

    public let code: Code
    public let message: String
    public let detail: String

    public init(code: Code, message: String, detail: String) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    /// The codes carry their prefix already ("imaging.jpeg-failed").
    public var errorCode: String { code.rawValue }

    // MARK: - Factories

    static func invalidRaster(_ detail: String) -> ImagingError {
        ImagingError(code: .invalidRaster, message: "The scanned page could not be processed.", detail: detail)
    }

    static func jpeg(_ detail: String) -> ImagingError {
        ImagingError(code: .jpegFailed, message: "The page image could not be compressed.", detail: "libjpeg: \(detail)")
    }

    static func tiff(_ detail: String) -> ImagingError {
        ImagingError(code: .tiffFailed, message: "The page image could not be compressed.", detail: "libtiff: \(detail)")
    }

    package static func font(_ detail: String) -> ImagingError {
        ImagingError(code: .fontFailed, message: "The arrival stamp could not be drawn (font).", detail: detail)
    }

    package static func unstampable(_ detail: String) -> ImagingError {
        ImagingError(code: .unstampable, message: "The arrival stamp could not be put on the document.", detail: detail)
    }

    static func writerState(_ detail: String) -> ImagingError {
        ImagingError(code: .writerState, message: "The document file could not be written.", detail: detail)
    }

    /// Maps an errno from open/write/close on `path`.
    package static func io(errno code: Int32, operation: String, path: String) -> ImagingError {
        let reason = String(cString: strerror(code))
        if code == ENOSPC || code == EDQUOT {
            return ImagingError(code: .diskFull, message: "The disk is full; the document could not be saved.",
                                detail: "\(operation) \(path): \(reason) (errno \(code))")
        }
        return ImagingError(code: .writeFailed, message: "The document file could not be written.",
                            detail: "\(operation) \(path): \(reason) (errno \(code))")
    }
}
