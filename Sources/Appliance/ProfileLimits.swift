/// The limits of a scan profile, in one place: the configuration file, the CLI's flags and
/// every other way a scan request enters are checked against these same ranges.
public enum ProfileLimits {
    public static let resolution: ClosedRange<Int> = 50...1200
    /// Decree 30/2020, Phụ lục I: the digitised copy of a registered document is at least 200 dpi.
    public static let registeredMinimumResolution = 200
    public static let pageWidthMM: ClosedRange<Double> = 10...1000
    public static let pageHeightMM: ClosedRange<Double> = 10...5000
    public static let blankThreshold: ClosedRange<Double> = 0...0.5
    public static let jpegQuality: ClosedRange<Int> = 10...100

    /// Every limit `profile` breaks, as "--flag: what is wrong" lines; empty when it is fine.
    /// `registered`: the scan gets a number, so the archival rules apply too.
    public static func problems(_ profile: Configuration.Profile, registered: Bool) -> [String] {
        var problems: [String] = []
        if !resolution.contains(profile.resolution) {
            problems.append("--resolution \(profile.resolution) is outside \(resolution.lowerBound)–\(resolution.upperBound) dpi")
        } else if registered && profile.resolution < registeredMinimumResolution {
            problems.append("--resolution \(profile.resolution) dpi is below the \(registeredMinimumResolution) dpi that Decree 30/2020 asks for registered documents (scan to a file with --output for anything else)")
        }
        if let width = profile.pageWidthMM, !pageWidthMM.contains(width) {
            problems.append("--page-width-mm \(width) is outside \(pageWidthMM.lowerBound)–\(pageWidthMM.upperBound) mm")
        }
        if let height = profile.pageHeightMM, !pageHeightMM.contains(height) {
            problems.append("--page-height-mm \(height) is outside \(pageHeightMM.lowerBound)–\(pageHeightMM.upperBound) mm")
        }
        if !blankThreshold.contains(profile.blankThreshold) {
            problems.append("--blank-threshold \(profile.blankThreshold) is outside \(blankThreshold.lowerBound)–\(blankThreshold.upperBound)")
        }
        if !jpegQuality.contains(profile.jpegQuality) {
            problems.append("--quality \(profile.jpegQuality) is outside \(jpegQuality.lowerBound)–\(jpegQuality.upperBound)")
        }
        return problems
    }
}
