import Foundation

extension Configuration {
    /// `[ocr]`: reading the header of page 1 after registration (issue 17): the check of the
    /// page's own secrecy marks before release, the urgency raise and the optional register fields.
    public struct OCR: Sendable, Equatable {
        /// Read headers. A file without the key turns it on when `intake-ocr` and the Vietnamese
        /// model are installed beside `intake` (`OCR.isInstalled`); a configuration built in code
        /// (tests) starts with it off.
        public var enabled = false
        /// How long the stage waits for the optional fields (Tác giả, Số/ký hiệu, date, trích
        /// yếu); a reading that comes later only decides the marks, its fields are not written.
        public var fieldsTimeout: Duration = .seconds(5)
        /// The hard limit of one reading. Past it (or when intake-ocr fails) the marks check
        /// fails closed: the document is flagged and held until the clerk confirms.
        public var marksTimeout: Duration = .seconds(60)
        /// The top fraction of page 1 that holds the header (Decree 30: about 40 %).
        public var band = 0.4
        /// The header reader; `intake-ocr` beside the running `intake` by default.
        public var binary = HeaderReader.besideThisProgram()
        /// The recognised words as an invisible text layer over page 1, so the centre can search
        /// the PDF (`text_layer = "first-page"`), or none (`"off"`).
        public var textLayer: TextLayer = .firstPage

        public enum TextLayer: String, Sendable, Equatable, CaseIterable {
            case firstPage = "first-page"
            case off
        }

        public init() {}

        /// The Vietnamese model Debian's tesseract-ocr-vie installs.
        public static let modelPath = "/usr/share/tesseract-ocr/5/tessdata/vie.traineddata"

        /// `intake-ocr` is installed beside a program named `intake`, with the Vietnamese model.
        public static func isInstalled(binary: String = HeaderReader.besideThisProgram()) -> Bool {
            let program = URL(fileURLWithPath: CommandLine.arguments.first ?? "").lastPathComponent
            return program == "intake" && FileManager.default.isExecutableFile(atPath: binary)
                && FileManager.default.isReadableFile(atPath: modelPath)
        }
    }
}
