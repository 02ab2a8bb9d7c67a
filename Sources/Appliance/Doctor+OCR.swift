import Foundation

extension Doctor {
    /// `[ocr]`: with it on, the header reader and the Vietnamese model must be there, or every
    /// document is held by a failed marks check (fail closed).
    static func ocr(_ configuration: Configuration) -> Check {
        let ocr = configuration.ocr
        guard ocr.enabled else {
            return Check(name: "ocr", ok: true, detail: "off: headers are not read and no marks check holds documents")
        }
        guard FileManager.default.isExecutableFile(atPath: ocr.binary) else {
            return Check(name: "ocr", ok: false, detail: "\(ocr.binary) is missing: every document would be held by a failed marks check",
                         fix: "install intake-ocr beside intake, set [ocr] binary, or [ocr] enabled = false")
        }
        guard FileManager.default.isReadableFile(atPath: Configuration.OCR.modelPath) else {
            return Check(name: "ocr", ok: false, detail: "\(Configuration.OCR.modelPath) is missing: every document would be held by a failed marks check",
                         fix: "apt-get install tesseract-ocr-vie")
        }
        return Check(name: "ocr", ok: true, detail: "headers read by \(ocr.binary) with the Vietnamese model; the marks check holds before release")
    }
}
