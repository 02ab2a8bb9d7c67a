/// Maps logical sources and modes to the names devices use for them. Pure Swift, no SANE calls.
enum DeviceVocabulary {
    /// The device's entry for `source`, or nil when it has none.
    /// Flatbed: "Flatbed", "FlatBed", "Normal", "Document Table". ADF: "ADF", "ADF Front",
    /// "Automatic Document Feeder", "ADF Simplex". Duplex: "ADF Duplex", "Duplex", "Automatic Document Feeder(duplex)".
    static func sourceName(for source: ScanSource, in list: [String]) -> String? {
        let lower = list.map { $0.lowercased() }
        func isFeeder(_ s: String) -> Bool { s.contains("adf") || s.contains("feeder") || s.contains("sheetfed") }
        func pick(_ match: (String) -> Bool, prefer: [String]) -> String? {
            for p in prefer { if let i = lower.firstIndex(of: p) { return list[i] } }
            return lower.firstIndex(where: match).map { list[$0] }
        }
        switch source {
        case .flatbed:
            return pick({ $0.contains("flatbed") || $0 == "normal" || $0 == "fb" || $0.contains("document table") },
                        prefer: ["flatbed"])
        case .adf:
            return pick({ isFeeder($0) && !$0.contains("duplex") && !$0.contains("back") && !$0.contains("rear") },
                        prefer: ["adf", "adf front", "automatic document feeder", "adf simplex"])
        case .adfDuplex:
            return pick({ $0.contains("duplex") }, prefer: ["adf duplex"])
        }
    }

    /// The device's entry for `mode`, or nil when it has none (lineart then falls back to gray + depth 1).
    static func modeName(for mode: ScanMode, in list: [String]) -> String? {
        let lower = list.map { $0.lowercased() }
        func pick(_ prefer: [String], _ match: (String) -> Bool) -> String? {
            for p in prefer { if let i = lower.firstIndex(of: p) { return list[i] } }
            return lower.firstIndex(where: match).map { list[$0] }
        }
        switch mode {
        case .color:
            return pick(["color", "colour"]) { $0.contains("color") || $0.contains("colour") }
        case .gray:
            return pick(["gray", "grey", "grayscale", "greyscale"]) { $0.contains("gray") || $0.contains("grey") }
        case .lineart:
            return pick(["lineart", "binary", "black & white", "black and white", "monochrome", "mono"]) {
                $0.contains("lineart") || $0.contains("line art") || $0.contains("binary")
            }
        }
    }

    /// Whether the current source value means a document feeder (scan until NO_DOCS).
    static func isFeeder(_ sourceValue: String) -> Bool {
        let s = sourceValue.lowercased()
        return s.contains("adf") || s.contains("feeder") || s.contains("duplex") || s.contains("sheetfed")
    }

    /// Option names that are scanner buttons on common backends (besides SANE_CAP_HARD_SELECT).
    static func looksLikeButton(_ name: String) -> Bool {
        let n = name.lowercased()
        let known: Set<String> = ["scan", "email", "copy", "fax", "file", "ocr", "pdf", "button", "function", "start"]
        return known.contains(n) || n.contains("button") || n.hasSuffix("-key")
    }
}
