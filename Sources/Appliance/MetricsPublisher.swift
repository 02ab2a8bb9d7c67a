import Foundation
import Logging
import Registry

/// Keeps the node_exporter textfile up to date: rewritten every `interval` and soon after every
/// change (a document numbered, a delivery attempt), never more than a few times a second.
final class MetricsPublisher: @unchecked Sendable {
    // @unchecked: `uploaded` is only touched under `lock`.
    private let context: ApplianceContext
    private let file: MetricsTextfile
    private let interval: Duration
    private let version: String
    private let logger: Logger
    private let daemonStatus: @Sendable () -> StatusReport.Daemon?
    private let wake = Wakeup()
    private let lock = NSLock()
    private var uploaded: [String: Int64] = [:]
    private var failing = false

    init(context: ApplianceContext, path: String, interval: Duration, version: String, logger: Logger,
         daemonStatus: @escaping @Sendable () -> StatusReport.Daemon?) {
        self.context = context
        self.file = MetricsTextfile(path: path)
        self.interval = interval
        self.version = version
        self.logger = logger
        self.daemonStatus = daemonStatus
    }

    /// Something changed: write again soon.
    func changed() { wake.signal() }

    /// A delivery was confirmed: count its bytes.
    func delivered(target: String, path: String) {
        let size = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.int64Value ?? 0
        lock.withLock { uploaded[target, default: 0] += size }
        wake.signal()
    }

    func run() async {
        while !Task.isCancelled {
            publish()
            await wake.wait(for: interval)
            try? await Task.sleep(for: .milliseconds(200))  // let a burst of changes settle
        }
    }

    func publish() {
        do {
            try file.write(try render())
            if failing { logger.notice("metrics file written again", metadata: ["path": "\(file.path)"]) }
            failing = false
        } catch {
            if !failing { logger.warning("cannot write the metrics file: \(error)", metadata: ["path": "\(file.path)"]) }
            failing = true
        }
    }

    func render() throws -> String {
        var status = try StatusReport.collect(context, daemon: nil)
        status.daemon = daemonStatus()
        let statistics = try context.register.deliveryStatistics()
        var spool: Int64 = 0
        for path in statistics.waitingFiles {
            spool += ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.int64Value ?? 0
        }
        var stats = statvfs()
        let free = statvfs(context.configuration.paths.stateDirectory, &stats) == 0 ? Int64(stats.f_bavail) * Int64(stats.f_frsize) : 0
        return MetricsText(version: version, organisationCode: context.configuration.organisationCode, status: status,
                           statistics: statistics, targets: context.configuration.targets.map(\.name),
                           uploadedBytes: lock.withLock { uploaded }, spoolBytes: spool, diskFreeBytes: free).render()
    }
}
