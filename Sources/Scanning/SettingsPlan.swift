/// Turns a profile into option assignments for one device, collecting every problem on the way.
/// Pure Swift: works on a snapshot of `ScanOption`s, sets nothing. `apply` runs it phase by phase on
/// fresh options (a new source can change other constraints); `validate` runs all phases on one snapshot.
struct SettingsPlan {
    /// In this order: the source first (it moves other constraints), then the feeder's switches
    /// (duplex, batch-scan, double-feed detection), the mode, the paper size (page-width/height,
    /// paper-size) before tl/br, then resolution, geometry and raw options.
    enum Phase: CaseIterable { case source, feeder, detection, mode, paper, rest }

    struct Step: Equatable {
        var name: String
        var value: OptionValue
    }

    private(set) var steps: [Step] = []
    private(set) var problems: [ScanError] = []
    /// Lineart asked of a device with no lineart, halftone or 1-bit depth: scan gray, threshold here.
    private(set) var thresholdInSoftware = false
    private let options: [ScanOption]
    private let info: DeviceInfo
    /// `apply` plans each phase on the options as they are now (`live`); `validate` plans all phases on
    /// one snapshot, where an option an earlier phase would activate still reads inactive.
    private let live: Bool

    /// Inactive options are not a problem here: an earlier step may activate them; `setOption` checks again live.
    init(settings: ScanSettings, phase: Phase, options: [ScanOption], info: DeviceInfo = DeviceInfo(name: "", vendor: "", model: "", type: ""), live: Bool = false) {
        self.options = options
        self.info = info
        self.live = live
        switch phase {
        case .source: if let source = settings.source { planSource(source) }
        case .feeder: planFeeder(settings)
        case .detection: planDetection(settings)
        case .mode: if let mode = settings.mode { planMode(mode) }
        case .paper: planPaper(settings)
        case .rest: planRest(settings)
        }
    }

    private func option(_ name: String) -> ScanOption? { options.first { $0.name == name } }

    /// An option the plan may write without being asked for it by name: there, settable, and active
    /// (or, when validating one snapshot, possibly activated by an earlier phase).
    private func optional(_ name: String) -> ScanOption? {
        guard let o = option(name), o.isSettable, o.isActive || !live else { return nil }
        return o
    }

    private mutating func want(_ name: String, _ value: OptionValue, context: String = "") {
        guard let option = option(name) else {
            problems.append(.invalidOption("\(context)scanner has no option '\(name)'"))
            return
        }
        if var problem = option.problem(with: value, ignoringInactive: true) {
            problem.detail = context + problem.detail
            problems.append(problem)
        } else {
            steps.append(Step(name: name, value: value))
        }
    }

    private func stringList(_ option: ScanOption?) -> [String] {
        if case .stringList(let values)? = option?.constraint { return values }
        return []
    }

    // MARK: - Phases

    private mutating func planSource(_ source: ScanSource) {
        guard let sourceOption = option("source"), sourceOption.isSettable, sourceOption.isActive || !live else {
            planWithoutSource(source)
            return
        }
        let list = stringList(sourceOption)
        if let name = DeviceVocabulary.sourceName(for: source, in: list) {
            want("source", .string(name))
            return
        }
        if source == .adfDuplex, let adf = DeviceVocabulary.sourceName(for: .adf, in: list), hasDuplexSwitch {
            want("source", .string(adf))
            return
        }
        if !sourceOption.isActive, FeederDetection.hasFeeder(options.filter { $0.name != "source" }, info: info) || source == .flatbed {
            planWithoutSource(source)
            return
        }
        problems.append(.unsupported(
            "source \(source.rawValue): scanner offers \(sourceOption.allowedDescription), none of them means \(source.rawValue)"))
    }

    private var hasDuplexSwitch: Bool {
        if option("duplex")?.type == .bool, option("duplex")?.isSettable == true { return true }
        return stringList(option("adf-mode")).contains { $0.lowercased() == "duplex" }
    }

    /// No usable `source` (absent, inactive or read-only): the device has one paper path, or a feeder
    /// switched by `duplex`/`adf-mode`/`feeder-mode`.
    private mutating func planWithoutSource(_ source: ScanSource) {
        let sheetfed = info.type.lowercased().contains("sheetfed")
        let feeder = FeederDetection.hasFeeder(options, info: info)
        switch source {
        case .flatbed:
            if sheetfed { problems.append(.unsupported("source Flatbed: \(info.name) is a sheet-fed scanner with no flatbed")) }
        case .adf:
            // Fail closed: a profile that asks for the feeder on a flatbed-only device is refused
            // (a scan with no source at all, `intake scan` without --source, works on it).
            if !feeder {
                problems.append(.unsupported("source ADF: scanner has no 'source' option and no feeder (flatbed only); use source Flatbed"))
            }
        case .adfDuplex:
            if !(feeder && hasDuplexSwitch) {
                problems.append(.unsupported("source ADF Duplex: scanner has no duplex source or switch (no 'source' it can set, no 'duplex', no 'adf-mode' Duplex)"))
            }
        }
    }

    /// Duplex switches are always written (a simplex profile after a duplex one sets them back),
    /// hpaio's batch-scan follows the feeder, double-feed detection is switched on where the device has it.
    private mutating func planFeeder(_ settings: ScanSettings) {
        guard let source = settings.source else { return }
        let duplex = source == .adfDuplex
        let feeder = source != .flatbed
        if let o = optional("duplex"), o.type == .bool { want("duplex", .bool(duplex)) }
        let adfModes = stringList(optional("adf-mode"))
        if let name = adfModes.first(where: { $0.lowercased() == (duplex ? "duplex" : "simplex") }) {
            want("adf-mode", .string(name))
        }
        if let o = optional("batch-scan"), o.type == .bool { want("batch-scan", .bool(feeder)) }
        // fujitsu.c activates df-thickness/df-length only once df-action is not Default.
        if feeder, settings.detectDoubleFeed != false,
           let stop = stringList(optional("df-action")).first(where: { $0.lowercased() == "stop" }) {
            want("df-action", .string(stop))
        }
    }

    /// Double-feed detection on where the device has a switch for it: fujitsu/canon_dr df-thickness and
    /// df-length, kvs1025/kvs20xx double-feed, kvs40xx dfeed (bool), hpaio multi-pick (int 0..1).
    private mutating func planDetection(_ settings: ScanSettings) {
        planImprinterSwitch(settings)
        guard let source = settings.source, source != .flatbed, settings.detectDoubleFeed != false else { return }
        for name in ["df-thickness", "df-length", "double-feed", "dfeed", "multi-pick"] {
            guard let o = optional(name), !o.isHardwareSelected else { continue }
            switch (o.type, o.constraint) {
            case (.bool, _): want(name, .bool(true))
            case (.int, .range(_, let hi, _)) where hi >= 1: want(name, .int(1))
            default: continue
            }
        }
    }

    private mutating func planMode(_ mode: ScanMode) {
        guard let modeOption = option("mode") else {
            // A scanner with one fixed format (e.g. the pnm backend, some sheet-fed devices) has no
            // mode to choose; pages are encoded as SANE delivers them (1-bit → G4, else JPEG).
            return
        }
        let list = stringList(modeOption)
        let depth = option("depth")
        if let name = DeviceVocabulary.modeName(for: mode, in: list) {
            want("mode", .string(name))
            // Undo a lineart fallback (gray + depth 1) left from an earlier profile.
            if mode != .lineart, let depth, depth.isActive || !live, depth.value == .int(1),
               depth.problem(with: .int(8), ignoringInactive: true) == nil {
                want("depth", .int(8))
            }
            return
        }
        guard mode == .lineart, let gray = DeviceVocabulary.modeName(for: .gray, in: list) else {
            problems.append(.unsupported(
                "mode \(mode.rawValue): scanner offers \(modeOption.allowedDescription)\(mode == .lineart ? " and no 1-bit depth" : "")"))
            return
        }
        want("mode", .string(gray))
        if let depth, depth.problem(with: .int(1), ignoringInactive: true) == nil {
            want("depth", .int(1))
        } else {
            // Last resort: gray pages, thresholded to 1 bit before encoding.
            thresholdInSoftware = true
        }
    }

    /// page-width/page-height (Kodak: pagewidth/pageheight) cap and centre the ADF window, so they are
    /// set before tl/br; Panasonic KV-S wants paper-size "user_def" before tl/br become active.
    private mutating func planPaper(_ settings: ScanSettings) {
        guard settings.source != .flatbed else { return }
        let width = settings.pageWidthMM
        let height = settings.pageHeightMM
        for (names, length) in [(["page-width", "pagewidth"], width), (["page-height", "pageheight"], height)] {
            guard let length, let name = names.first(where: { optional($0) != nil }), let o = option(name) else { continue }
            let value: OptionValue = o.type == .int ? .int(Int(length.rounded())) : .fixed(length)
            want(name, value, context: "paper \(names[0]) \(formatNumber(length)) mm: ")
        }
        guard width != nil || height != nil, let paper = optional("paper-size") else { return }
        let list = stringList(paper)
        if let custom = list.first(where: { ["user_def", "user defined", "custom", "user-defined"].contains($0.lowercased()) }) {
            want("paper-size", .string(custom))
        } else if let width, let height, let named = PaperSizes.name(width: width, height: height, in: list) {
            want("paper-size", .string(named))
        }
    }

    // MARK: - Imprinter

    /// fujitsu.c:4180 `endorser` (bool; its `endorser-string` is active only while it is on).
    private var endorser: ScanOption? {
        option("endorser").flatMap { $0.type == .bool && $0.isActive && $0.isSettable ? $0 : nil }
    }

    /// canon_dr.c (2025): a non-empty `post-imprint-string` or `pre-imprint-string` prints.
    private var imprinterString: ScanOption? {
        ["post-imprint-string", "pre-imprint-string"].lazy.compactMap { self.option($0) }
            .first { $0.type == .string && $0.isActive && $0.isSettable }
    }

    private mutating func planImprinterSwitch(_ settings: ScanSettings) {
        guard let text = settings.imprint else {
            if let endorser, endorser.value == .bool(true) { want("endorser", .bool(false)) }
            return
        }
        if let bad = text.unicodeScalars.first(where: { !(0x20...0x7E).contains($0.value) || $0 == "%" }) {
            problems.append(.invalidOption("imprint text '\(text)': '\(bad)' cannot be printed (ASCII letters, digits and punctuation other than %)"))
            return
        }
        if endorser != nil {
            want("endorser", .bool(true))
        } else if imprinterString == nil {
            problems.append(.unsupported("imprint: scanner has no endorser or imprinter (fujitsu 'endorser', canon_dr 'post-imprint-string')"))
        }
    }

    private mutating func planImprintText(_ settings: ScanSettings) {
        if let text = settings.imprint {
            if endorser != nil, option("endorser-string") != nil {
                want("endorser-string", .string(text), context: "imprint: ")
            } else if let imprinter = imprinterString {
                want(imprinter.name, .string(text), context: "imprint: ")
            }
        } else if let imprinter = imprinterString, imprinter.value != .string(""), imprinter.value != nil {
            want(imprinter.name, .string(""))
        }
    }

    private mutating func planRest(_ settings: ScanSettings) {
        planImprintText(settings)
        if let dpi = settings.resolution {
            want("resolution", .int(dpi), context: "resolution \(dpi) dpi: ")
        }
        if let width = settings.pageWidthMM { planEdge(start: "tl-x", end: "br-x", length: width, what: "page width") }
        if let height = settings.pageHeightMM { planEdge(start: "tl-y", end: "br-y", length: height, what: "page height") }
        for (name, text) in settings.extraOptions.sorted(by: { $0.key < $1.key }) {
            guard let option = option(name) else {
                problems.append(.invalidOption("extra option '\(name)': scanner has no such option"))
                continue
            }
            do {
                want(name, try option.parse(text), context: "extra option: ")
            } catch {
                problems.append(error)
            }
        }
    }

    private mutating func planEdge(start: String, end: String, length: Double, what: String) {
        let context = "\(what) \(formatNumber(length)) mm: "
        guard let endOption = option(end) else {
            problems.append(.unsupported("\(context)scanner has no '\(end)' option"))
            return
        }
        if live, !endOption.isActive, case .string(let paper)? = option("paper-size")?.value, paper.lowercased() != "user_def" {
            return // a named paper size holds the window; tl/br stay inactive
        }
        guard endOption.unit == .mm else {
            problems.append(.unsupported("\(context)'\(end)' is measured in \(endOption.unit.rawValue), not mm"))
            return
        }
        func value(_ option: ScanOption?, _ d: Double) -> OptionValue {
            option?.type == .int ? .int(Int(d.rounded())) : .fixed(d)
        }
        if option(start) != nil { want(start, value(option(start), 0), context: context) }
        if !live, endOption.problem(with: value(endOption, length), ignoringInactive: true) != nil,
           let cap = paperCap(for: end), cap.problem(with: .fixed(length), ignoringInactive: true) == nil || cap.problem(with: .int(Int(length.rounded())), ignoringInactive: true) == nil {
            // Validating one snapshot: the paper phase raises br-x/br-y's cap (fujitsu, canon_dr, kodak).
            steps.append(Step(name: end, value: value(endOption, length)))
            return
        }
        want(end, value(endOption, length), context: context)
    }


    private func paperCap(for end: String) -> ScanOption? {
        let names = end == "br-x" ? ["page-width", "pagewidth"] : ["page-height", "pageheight"]
        return names.lazy.compactMap { self.option($0) }.first
    }
}
