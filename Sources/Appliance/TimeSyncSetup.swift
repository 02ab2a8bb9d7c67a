import IntakeCore
import Foundation

/// The centre as the box's time source: a systemd-timesyncd drop-in
/// (`/etc/systemd/timesyncd.conf.d/intake.conf`) naming the centre's host as `FallbackNTP=`.
///
/// Why FallbackNTP and not NTP: timesyncd uses FallbackNTP only while it knows no other server
/// — none set with NTP= by the office and none handed out by DHCP (systemd-networkd) — which is
/// exactly "the centre where the office has no other". Debian's own fallback pool stays after the
/// centre, so a box that reaches the Internet keeps the time source it had. And when the office
/// has configured NTP itself (an uncommented NTP= or FallbackNTP= in timesyncd.conf or another
/// drop-in), or runs chrony or ntpd instead of timesyncd, nothing is written.
///
/// All paths are under `root` ("/" on a box, a temporary directory in tests).
public struct TimeSyncSetup: Sendable {
    public static let dropInPath = "/etc/systemd/timesyncd.conf.d/intake.conf"
    /// systemd-timesyncd's compiled-in fallback on Debian 12, kept behind the centre.
    public static let debianFallback = ["0.debian.pool.ntp.org", "1.debian.pool.ntp.org", "2.debian.pool.ntp.org", "3.debian.pool.ntp.org"]

    public enum Outcome: Sendable, Equatable {
        /// The drop-in now names `server` (written, or already so).
        case configured(server: String, changed: Bool)
        /// Nothing written, and why (the office's own NTP, another time daemon, no usable host).
        case skipped(String)
    }

    public var root: String

    public init(root: String = "/") {
        self.root = root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    /// The centre's host name from the configuration: the numbering authority's URL, else the
    /// first target with a URL. Nil when there is none.
    public static func centreHost(_ configuration: Configuration) -> String? {
        let targets = configuration.targets.filter(\.numberingAuthority) + configuration.targets
        for target in targets {
            if let url = target.url, let host = URLComponents(string: url)?.host, !host.isEmpty { return host }
        }
        return nil
    }

    /// Why `host` cannot be a time source, or nil when it can: loopback and the reserved example
    /// names (RFC 2606/6761) of the example configuration are refused.
    public static func unusableReason(_ host: String) -> String? {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]."))
        if name == "localhost" || name.hasSuffix(".localhost") || name.hasPrefix("127.") || name == "::1" {
            return "\(host) is this box itself (loopback)"
        }
        let reserved = ["example", "invalid", "test", "example.com", "example.net", "example.org"]
        if reserved.contains(where: { name == $0 || name.hasSuffix("." + $0) }) {
            return "\(host) is an example name, not the centre (edit the targets in the configuration first)"
        }
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" }) else {
            return "\(host) is not a host name"
        }
        return nil
    }

    /// The other time daemon on the box, if one is installed (timesyncd then does not run).
    public func otherTimeDaemon() -> String? {
        for (name, path) in [("chrony", "/usr/sbin/chronyd"), ("ntpd", "/usr/sbin/ntpd"), ("openntpd", "/usr/sbin/openntpd")]
        where FileManager.default.isExecutableFile(atPath: root + path) {
            return name
        }
        return nil
    }

    /// Where the office set NTP servers itself: "file: NTP=…" lines outside our drop-in.
    public func officeServers() -> [String] {
        var files = [root + "/etc/systemd/timesyncd.conf"]
        for directory in ["/etc/systemd/timesyncd.conf.d", "/run/systemd/timesyncd.conf.d"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root + directory)) ?? []
            files += names.filter { $0.hasSuffix(".conf") && directory + "/" + $0 != Self.dropInPath }.sorted().map { root + directory + "/" + $0 }
        }
        var found: [String] = []
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            var section = ""
            for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("[") { section = line; continue }
                guard section == "[Time]", !line.hasPrefix("#"), !line.hasPrefix(";") else { continue }
                guard let equals = line.firstIndex(of: "=") else { continue }
                let key = line[..<equals].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                if key == "NTP" || key == "FallbackNTP", !value.isEmpty {
                    found.append("\(String(file.dropFirst(root.count))): \(key)=\(value)")
                }
            }
        }
        return found
    }

    /// The drop-in's text for `server`.
    public static func dropIn(server: String) -> String {
        """
        # Written by `intake config timesync` (package intake): the centre is this box's time source
        # where the office has none. FallbackNTP is used only while timesyncd knows no other server
        # (no NTP= in timesyncd.conf, none from DHCP); Debian's pool stays behind the centre.
        # To use other servers, set NTP= in /etc/systemd/timesyncd.conf: this file is then neither used nor rewritten.
        [Time]
        FallbackNTP=\(([server] + debianFallback).joined(separator: " "))

        """
    }

    /// Writes (or keeps) the drop-in naming `server`, unless the office has its own NTP.
    public func apply(server: String) throws -> Outcome {
        if let reason = Self.unusableReason(server) { return .skipped(reason) }
        if let daemon = otherTimeDaemon() {
            return .skipped("\(daemon) keeps the time on this box, not systemd-timesyncd; add the centre to it yourself if the office has no server (chrony: `server \(server) iburst` in /etc/chrony/sources.d/intake.sources)")
        }
        let office = officeServers()
        if !office.isEmpty { return .skipped("the office has its own time servers (\(office.joined(separator: "; ")))") }
        let path = root + Self.dropInPath
        let text = Self.dropIn(server: server)
        if (try? String(contentsOfFile: path, encoding: .utf8)) == text { return .configured(server: server, changed: false) }
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
            try BackupFiles.writeDurably(Data(text.utf8), to: path, mode: 0o644)
        } catch {
            throw OperationsError(.timeSync, "Could not write the time-sync drop-in.", detail: "\(path): \(error)")
        }
        return .configured(server: server, changed: true)
    }

    /// The server our drop-in names, if it is there.
    public func configuredServer() -> String? {
        guard let text = try? String(contentsOfFile: root + Self.dropInPath, encoding: .utf8) else { return nil }
        let line = text.split(separator: "\n").first { $0.hasPrefix("FallbackNTP=") }
        return line?.dropFirst("FallbackNTP=".count).split(separator: " ").first.map(String.init)
    }

    /// What `doctor` tells a technician whose clock is not synchronised.
    public func fix(centre: String?) -> String {
        if let daemon = otherTimeDaemon() {
            return "\(daemon) keeps the time here: check its sources (`chronyc sources` for chrony)"
                + (centre.map { "; if the office has no time server, add `server \($0) iburst` (/etc/chrony/sources.d/intake.sources)" } ?? "")
        }
        let office = officeServers()
        if !office.isEmpty {
            return "the office's time servers do not answer (\(office.joined(separator: "; "))): check them and `timedatectl timesync-status`; `timedatectl set-ntp true` if NTP is off"
        }
        if let configured = configuredServer() {
            return "timesyncd falls back to the centre \(configured) (\(Self.dropInPath)): check that it answers NTP (UDP 123) with `timedatectl timesync-status`; `timedatectl set-ntp true` if NTP is off"
        }
        if let centre, Self.unusableReason(centre) == nil {
            return "no time server is configured: `sudo intake config timesync` makes the centre \(centre) the time source (FallbackNTP in \(Self.dropInPath)), then `timedatectl set-ntp true`"
        }
        return "no time server is configured: set NTP= in /etc/systemd/timesyncd.conf (or `sudo intake config timesync --server HOST`), then `timedatectl set-ntp true`"
    }
}
