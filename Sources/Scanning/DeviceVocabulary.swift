/// Maps logical sources and modes to the names devices use for them. Pure Swift, no SANE calls.
enum DeviceVocabulary {
    /// The device's entry for `source`, or nil when it has none.
    /// Flatbed: "Flatbed", "FlatBed", "Normal", "Document Table". ADF: "ADF", "ADF Front",
    /// "Automatic Document Feeder", "ADF Simplex", Brother's "Automatic Document Feeder(centrally aligned)".
    /// Duplex: "ADF Duplex", "Duplex", "Automatic Document Feeder(duplex)". hpaio's "Auto" is never chosen.
    static func sourceName(for source: ScanSource, in list: [String]) -> String? {
        let lower = list.map { $0.lowercased() }
        func isFeeder(_ s: String) -> Bool { s.contains("adf") || s.contains("feeder") || s.contains("sheetfed") }
        func pick(_ match: (String) -> Bool, prefer: [String]) -> String? {
            for p in prefer { if let i = lower.firstIndex(of: p) { return list[i] } }
            // Brother lists each feeder twice, left and centrally aligned: paper in its ADF is centred.
            let matching = lower.indices.filter { match(lower[$0]) }
            if let centred = matching.first(where: { lower[$0].contains("central") || lower[$0].contains("center") }) { return list[centred] }
            return matching.first.map { list[$0] }
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

    /// Words that mark a dithered (error-diffused, halftoned) mode: never chosen for gray.
    static func isDithered(_ s: String) -> Bool {
        s.contains("diffusion") || s.contains("dither") || s.contains("halftone")
    }

    /// The device's entry for `mode` in order of preference, or nil when it has none (lineart then
    /// falls back to gray + depth 1, or gray thresholded in software).
    /// Gray never picks a dithered mode (Brother's "Gray[Error Diffusion]"): "True Gray" is the gray one.
    /// Lineart takes a true black-and-white mode (kvs1025's "bw", Brother's "Black & White") before a
    /// halftone (sane-airscan offers only "Halftone").
    static func modeName(for mode: ScanMode, in list: [String]) -> String? {
        let lower = list.map { $0.lowercased() }
        func pick(_ prefer: [String], _ match: (String) -> Bool) -> String? {
            for p in prefer { if let i = lower.firstIndex(of: p) { return list[i] } }
            return lower.firstIndex(where: match).map { list[$0] }
        }
        switch mode {
        case .color:
            return pick(["color", "colour", "24bit color", "24bit colour"]) {
                ($0.contains("color") || $0.contains("colour")) && !isDithered($0)
            }
        case .gray:
            return pick(["gray", "grey", "true gray", "grayscale", "greyscale", "8bit gray"]) {
                ($0.contains("gray") || $0.contains("grey")) && !isDithered($0)
            }
        case .lineart:
            return pick(["lineart", "binary", "black & white", "black and white", "bw", "monochrome", "mono", "line art"]) {
                $0.contains("lineart") || $0.contains("line art") || $0.contains("binary") || $0.contains("black & white")
            } ?? pick(["halftone"]) { $0.contains("halftone") }
        }
    }

    /// Whether the current source value means a document feeder (scan until NO_DOCS).
    static func isFeeder(_ sourceValue: String) -> Bool {
        let s = sourceValue.lowercased()
        return s.contains("adf") || s.contains("feeder") || s.contains("duplex") || s.contains("sheetfed")
    }
}
