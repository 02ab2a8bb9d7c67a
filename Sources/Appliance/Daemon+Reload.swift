import Foundation

extension Daemon {
    /// SIGHUP (`systemctl reload intake`): re-reads and validates the configuration file and
    /// applies it without closing the scanner or interrupting a scan; an invalid file is refused
    /// with its problems in the journal and the running configuration stays.
    @discardableResult
    public func reloadConfiguration() -> LiveConfiguration.Outcome {
        notifier.reloading()
        let outcome = live.reload()
        switch outcome {
        case .applied:
            notifier.ready(status: "configuration reloaded")
        case .refused(let problems):
            notifier.ready(status: "configuration reload refused: \(problems.count) problem(s), see the journal")
        }
        return outcome
    }
}
