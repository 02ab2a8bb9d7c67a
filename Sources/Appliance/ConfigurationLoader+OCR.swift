import TOMLKit

extension Reader {
    /// `[ocr]`: enabled, fields_timeout_seconds, marks_timeout_seconds, band, binary, text_layer.
    mutating func ocr(from root: TOMLTable, into config: inout Configuration) {
        var ocr = Configuration.OCR()
        ocr.enabled = Configuration.OCR.isInstalled(binary: ocr.binary)
        if let table = subtable(root, "ocr", at: "") {
            checkKeys(table, at: "ocr", allowed: ["enabled", "fields_timeout_seconds", "marks_timeout_seconds", "band", "binary", "text_layer"])
            if let binary = string(table, "binary", at: "ocr") {
                if binary.hasPrefix("/") { ocr.binary = binary }
                else { problem("ocr.binary", "must be an absolute path such as \"/usr/bin/intake-ocr\", found '\(binary)'") }
            }
            if let layer = string(table, "text_layer", at: "ocr") {
                if let value = Configuration.OCR.TextLayer(rawValue: layer) { ocr.textLayer = value }
                else { problem("ocr.text_layer", "must be \"first-page\" or \"off\", found '\(layer)'") }
            }
            ocr.enabled = bool(table, "enabled", at: "ocr") ?? ocr.enabled
            ocr.fieldsTimeout = seconds(table, "fields_timeout_seconds", at: "ocr", range: 0.5...120) ?? ocr.fieldsTimeout
            ocr.marksTimeout = seconds(table, "marks_timeout_seconds", at: "ocr", range: 5...3600) ?? ocr.marksTimeout
            ocr.band = double(table, "band", at: "ocr", range: 0.05...1) ?? ocr.band
            if ocr.marksTimeout < ocr.fieldsTimeout {
                problem("ocr.marks_timeout_seconds", "must not be shorter than ocr.fields_timeout_seconds: the marks are always waited for")
            }
        }
        config.ocr = ocr
    }
}
