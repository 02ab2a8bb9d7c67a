import Foundation
public import Logging
import Registry
public import PagePipeline
import Scanning

/// `intake scan` without the daemon (it is not running, or `--direct`): the register is
/// recovered first, then the same checks and pipeline as the daemon's scanner thread.
public enum DirectScan {
    /// Registers one document with `profile` of `configuration` (the command's flags already
    /// laid over it); opens the configured scanner only when a page is to be kept.
    public static func register(configuration: Configuration, profile: String, overrides: ScanOverrides, buildYear: Int,
                                logger: Logger, progress: (ScanProgress) -> Void) throws -> DocumentSummary {
        let context = try ApplianceContext(configuration: configuration, buildYear: buildYear)
        _ = try context.register.recover()
        let service = ScanService(context: context, logger: logger)
        try service.preflight()
        if let numbered = try service.registerIfNoPagesKept(profileName: profile, overrides: overrides) {
            return DocumentSummary(numbered)   // no page is scanned: no scanner needed
        }
        let scanner = try Daemon.saneLocator(configuration.device)()
        defer { scanner.close() }
        let document = try service.scanAndRegister(scanner: scanner, profileName: profile, overrides: overrides, progress: progress)
        return DocumentSummary(document)
    }
}
