/// The ranges a scan's settings must stay in, for any scan (registered or to a file): the
/// configuration, the CLI's flags and the lean scan-to-file front check against these same
/// ranges. The archival rules of registered scans are added on top by ProfileLimits (Appliance).
public enum ScanLimits {
    public static let resolution: ClosedRange<Int> = 50...1200
    public static let pageWidthMM: ClosedRange<Double> = 10...1000
    public static let pageHeightMM: ClosedRange<Double> = 10...5000
    public static let blankThreshold: ClosedRange<Double> = 0...0.5
    public static let jpegQuality: ClosedRange<Int> = 10...100

    /// Every range the settings leave, as "--flag: what is wrong" lines in flag order; empty when fine.
    public static func problems(resolution: Int, pageWidthMM: Double?, pageHeightMM: Double?,
                                blankThreshold: Double, jpegQuality: Int) -> [String] {
        var problems: [String] = []
        if !self.resolution.contains(resolution) {
            problems.append("--resolution \(resolution) is outside \(self.resolution.lowerBound)–\(self.resolution.upperBound) dpi")
        }
        if let width = pageWidthMM, !self.pageWidthMM.contains(width) {
            problems.append("--page-width-mm \(width) is outside \(self.pageWidthMM.lowerBound)–\(self.pageWidthMM.upperBound) mm")
        }
        if let height = pageHeightMM, !self.pageHeightMM.contains(height) {
            problems.append("--page-height-mm \(height) is outside \(self.pageHeightMM.lowerBound)–\(self.pageHeightMM.upperBound) mm")
        }
        if !self.blankThreshold.contains(blankThreshold) {
            problems.append("--blank-threshold \(blankThreshold) is outside \(self.blankThreshold.lowerBound)–\(self.blankThreshold.upperBound)")
        }
        if !self.jpegQuality.contains(jpegQuality) {
            problems.append("--quality \(jpegQuality) is outside \(self.jpegQuality.lowerBound)–\(self.jpegQuality.upperBound)")
        }
        return problems
    }
}
