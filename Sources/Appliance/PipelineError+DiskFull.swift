public import PagePipeline

extension PipelineError {
    /// The disk guard refused a scan (DiskGuard lives in Appliance).
    public static func diskFull(_ report: DiskGuard.Report) -> PipelineError {
        .init(code: .diskFull, message: "The box is out of disk space — call the technician before scanning.",
              detail: "\(report.path): \(report.freeMB) MB free, at least \(report.minimumMB) MB required (disk.min_free_mb)")
    }
}
