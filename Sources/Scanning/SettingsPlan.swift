/// Turns a profile into option assignments for one device, collecting every problem on the way.
/// Pure Swift: works on a snapshot of `ScanOption`s, sets nothing. `apply` runs it phase by phase on
/// fresh options (a new source can change other constraints); `validate` runs all phases on one snapshot.
struct SettingsPlan {
    enum Phase: CaseIterable { case source, mode, rest }

    struct Step: Equatable {
        var name: String
        var value: OptionValue
    }

    private(set) var steps: [Step] = []
    private(set) var problems: [ScanError] = []
    private let options: [ScanOption]

    /// Inactive options are not a problem here: an earlier step may activate them; `setOption` checks again live.
    init(settings: ScanSettings, phase: Phase, options: [ScanOption]) {
        self.options = options
        switch phase {
        case .source: if let source = settings.source { planSource(source) }
        case .mode: if let mode = settings.mode { planMode(mode) }
        case .rest: planRest(settings)
        }
    }

    private func option(_ name: String) -> ScanOption? { options.first { $0.name == name } }

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
        guard let sourceOption = option("source") else {
            if source != .flatbed {
                problems.append(.unsupported("source \(source.rawValue): scanner has no 'source' option (flatbed only)"))
            }
            return
        }
        let list = stringList(sourceOption)
        if let name = DeviceVocabulary.sourceName(for: source, in: list) {
            want("source", .string(name))
            return
        }
        if source == .adfDuplex, let adf = DeviceVocabulary.sourceName(for: .adf, in: list) {
            if let mode = stringList(option("adf-mode")).first(where: { $0.lowercased() == "duplex" }) {
                want("source", .string(adf))
                want("adf-mode", .string(mode))
                return
            }
            if option("duplex")?.type == .bool {
                want("source", .string(adf))
                want("duplex", .bool(true))
                return
            }
        }
        problems.append(.unsupported(
            "source \(source.rawValue): scanner offers \(sourceOption.allowedDescription), none of them means \(source.rawValue)"))
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
            if mode != .lineart, let depth, depth.value == .int(1), depth.problem(with: .int(8), ignoringInactive: true) == nil {
                want("depth", .int(8))
            }
            return
        }
        if mode == .lineart, let depth, depth.problem(with: .int(1), ignoringInactive: true) == nil,
           let gray = DeviceVocabulary.modeName(for: .gray, in: list) {
            want("mode", .string(gray))
            want("depth", .int(1))
            return
        }
        problems.append(.unsupported(
            "mode \(mode.rawValue): scanner offers \(modeOption.allowedDescription)\(mode == .lineart ? " and no 1-bit depth" : "")"))
    }

    private mutating func planRest(_ settings: ScanSettings) {
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
        guard endOption.unit == .mm else {
            problems.append(.unsupported("\(context)'\(end)' is measured in \(endOption.unit.rawValue), not mm"))
            return
        }
        func value(_ option: ScanOption?, _ d: Double) -> OptionValue {
            option?.type == .int ? .int(Int(d.rounded())) : .fixed(d)
        }
        if option(start) != nil { want(start, value(option(start), 0), context: context) }
        want(end, value(endOption, length), context: context)
    }
}
