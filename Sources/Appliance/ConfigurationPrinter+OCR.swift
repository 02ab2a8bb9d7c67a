extension ConfigurationPrinter {
    /// `[ocr]` as `intake config show` prints it (the resolved value of `enabled`).
    static func ocrSection(_ ocr: Configuration.OCR) -> String {
        "\n[ocr]\nenabled = \(ocr.enabled)\nfields_timeout_seconds = \(seconds(ocr.fieldsTimeout))\n"
            + "marks_timeout_seconds = \(seconds(ocr.marksTimeout))\nband = \(ocr.band)\nbinary = \(q(ocr.binary))\ntext_layer = \(q(ocr.textLayer.rawValue))"
    }
}
