import PagePipeline

/// The limits of a scan profile, in one place: the configuration file, the CLI's flags and
/// every other way a scan request enters are checked against these same ranges (ScanLimits)
/// plus, for registered documents, the archival rules.
public enum ProfileLimits {
    public static let resolution = ScanLimits.resolution
    /// Decree 30/2020, Phụ lục I: the digitised copy of a registered document is at least 200 dpi.
    public static let registeredMinimumResolution = 200
    public static let pageWidthMM = ScanLimits.pageWidthMM
    public static let pageHeightMM = ScanLimits.pageHeightMM
    public static let blankThreshold = ScanLimits.blankThreshold
    public static let jpegQuality = ScanLimits.jpegQuality

    /// Every limit `profile` breaks, as "--flag: what is wrong" lines; empty when it is fine.
    /// `registered`: the scan gets a number, so the archival rules apply too.
    public static func problems(_ profile: Configuration.Profile, registered: Bool) -> [String] {
        var problems = ScanLimits.problems(resolution: profile.resolution, pageWidthMM: profile.pageWidthMM,
                                           pageHeightMM: profile.pageHeightMM, blankThreshold: profile.blankThreshold,
                                           jpegQuality: profile.jpegQuality)
        guard registered else { return problems }
        var archival: [String] = []
        if resolution.contains(profile.resolution) && profile.resolution < registeredMinimumResolution {
            archival.append("--resolution \(profile.resolution) dpi is below the \(registeredMinimumResolution) dpi that Decree 30/2020 asks for registered documents (scan to a file with --output for anything else)")
        }
        for violation in DigitisationRule.violations(mode: profile.mode, resolution: profile.resolution) where violation.rule == .colour {
            archival.append("--mode: \(violation)")
        }
        // Right after the resolution line, where they have always been listed.
        let resolutionLines = resolution.contains(profile.resolution) ? 0 : 1
        problems.insert(contentsOf: archival, at: resolutionLines)
        return problems
    }
}
