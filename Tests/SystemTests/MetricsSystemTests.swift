import Foundation
import Testing

extension SystemSuite {

/// Fleet metrics: the daemon's node_exporter textfile passes `promtool check metrics` and says
/// what `intake status --json` says.
@Suite struct MetricsSystemTests {
    /// name{labels} → value, from the text exposition.
    static func samples(_ text: String) -> [String: Double] {
        var result: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            result[String(line[..<space])] = value
        }
        return result
    }

    @Test func textfilePassesPromtoolAndMatchesStatusJSON() throws {
        let world = try World()
        let prom = world.root + "/textfile/intake.prom"
        try FileManager.default.createDirectory(atPath: world.root + "/textfile", withIntermediateDirectories: true)
        // A centre that is not there: documents stay pending and attempts are counted as retries.
        try world.writeConfig(port: 9, extra: """
            [metrics]
            textfile = "\(prom)"
            interval_seconds = 1

            """)
        let daemon = try Child(Harness.intake, ["serve", "--config", world.configPath], environment: world.environment)
        defer { daemon.signal(SIGTERM); _ = daemon.wait(timeout: 20) }
        #expect(eventually(timeout: 60) { FileManager.default.fileExists(atPath: world.socket) }, "\(daemon.stderr.snapshot())")
        #expect(try world.intakeWithConfig(["scan", "--profile", "default"]).status == 0)
        #expect(try world.intakeWithConfig(["scan", "--profile", "urgent"]).status == 0)
        #expect(eventually(timeout: 30) {
            let text = (try? String(contentsOfFile: prom, encoding: .utf8)) ?? ""
            let samples = Self.samples(text)
            // Both documents counted as pending, and a failed attempt of each seen by the textfile.
            return samples["intake_queue_documents{state=\"pending\"}"] == 2
                && (samples["intake_upload_attempts_total{result=\"retry\",target=\"central\"}"] ?? 0) >= 2
        }, "\(daemon.stderr.snapshot())")

        let promtool = try Harness.run("/bin/bash", ["-c", "/usr/bin/promtool check metrics < \"$1\"", "promtool", prom])
        #expect(promtool.status == 0, "promtool: \(promtool.stdout)\(promtool.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: prom)[.posixPermissions] as? Int
        #expect(mode == 0o644)

        // Compare with the status the CLI prints (read the file on both sides of it: stable).
        var metrics: [String: Double] = [:]
        var report: [String: Any] = [:]
        #expect(eventually(timeout: 30) {
            let before = Self.samples((try? String(contentsOfFile: prom, encoding: .utf8)) ?? "")
            let status = try? world.intakeWithConfig(["status", "--json"])
            let after = Self.samples((try? String(contentsOfFile: prom, encoding: .utf8)) ?? "")
            guard let status, let json = try? JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any] else { return false }
            metrics = after
            report = json
            return before.filter { $0.key.hasPrefix("intake_queue") || $0.key.hasPrefix("intake_last_number") }
                == after.filter { $0.key.hasPrefix("intake_queue") || $0.key.hasPrefix("intake_last_number") }
        })
        let queue = report["queue"] as? [String: Int] ?? [:]
        for state in ["pending", "held", "needsAttention", "delivered", "corrupt"] {
            #expect(metrics["intake_queue_documents{state=\"\(state)\"}"] == Double(queue[state] ?? 0), "\(state)")
        }
        for last in report["lastNumbers"] as? [[String: Any]] ?? [] {
            let key = "intake_last_number{book=\"\(last["book"] ?? "")\",year=\"\(last["year"] ?? "")\"}"
            #expect(metrics[key] == (last["number"] as? Int).map(Double.init), "\(key)")
        }
        let oldest = (report["oldestUndelivered"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
        let metricOldest = try #require(metrics["intake_oldest_undelivered_timestamp_seconds"])
        #expect(abs(metricOldest - (oldest?.timeIntervalSince1970 ?? -1)) < 1.0)
        let disk = report["disk"] as? [String: Any] ?? [:]
        let freeMB = Double(disk["freeMB"] as? Int ?? -1)
        #expect(abs((metrics["intake_disk_free_bytes"] ?? 0) / 1_048_576 - freeMB) < 64)
        let deviceState = (report["daemon"] as? [String: Any])?["deviceState"] as? String
        #expect(metrics["intake_scanner_up"] == (deviceState == "connected" ? 1 : 0))
        #expect(metrics["intake_documents_scanned_total{book=\"DEN\"}"] == 2)
        #expect((metrics["intake_upload_attempts_total{result=\"retry\",target=\"central\"}"] ?? 0) >= 2)
        #expect((metrics["intake_spool_bytes"] ?? 0) > 0)
        #expect(metrics.keys.contains { $0.hasPrefix("intake_build_info{") })
    }

    @Test func alertRulesPassPromtoolAndFireWhenTheyShould() throws {
        let rules = Harness.repository.appendingPathComponent("ops/prometheus/intake-alerts.yml").path
        let check = try Harness.run("/usr/bin/promtool", ["check", "rules", rules])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let tests = Harness.repository.appendingPathComponent("ops/prometheus/intake-alerts.test.yml").path
        let run = try Harness.run("/usr/bin/promtool", ["test", "rules", tests])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    }

    @Test func grafanaDashboardIsJSONAndQueriesOnlyMetricsTheBoxWrites() throws {
        let path = Harness.repository.appendingPathComponent("ops/grafana/intake-dashboard.json").path
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let panels = dashboard["panels"] as? [[String: Any]] ?? []
        #expect(panels.count >= 6)
        let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        let known = ["intake_build_info", "intake_documents_scanned_total", "intake_pages_scanned_total", "intake_upload_attempts_total",
                     "intake_uploaded_bytes_total", "intake_queue_documents", "intake_oldest_undelivered_timestamp_seconds",
                     "intake_last_successful_upload_timestamp_seconds", "intake_scanner_up", "intake_spool_bytes", "intake_disk_free_bytes",
                     "intake_disk_minimum_free_bytes", "intake_last_number", "intake_clock_ok", "node_textfile_mtime_seconds"]
        for expression in expressions {
            let names = expression.matches(of: /[a-z_]+_[a-z_]+(?=[{\[( ]|$)/).map { String($0.output) }.filter { $0.hasPrefix("intake_") || $0.hasPrefix("node_") }
            for name in names { #expect(known.contains(name), "\(name) in \(expression)") }
        }
    }
}

}
