import Foundation
import Imaging
import IntakeCore
import Registry
import Scanning
import Stamping

/// Prints the effective configuration as TOML, with defaults filled in and secrets masked, so
/// a technician can paste it into a ticket.
public enum ConfigurationPrinter {
    public static func render(_ c: Configuration) -> String {
        var out: [String] = []
        if let source = c.sourcePath { out.append("# effective configuration from \(source)") }
        out.append("organisation_code = \(q(c.organisationCode))")
        out.append("organisation_name = \(q(c.organisationName))")
        out.append("network = \(q(c.network.rawValue))")
        out.append("\n[paths]\nstate_dir = \(q(c.paths.stateDirectory))\nsocket = \(q(c.paths.socket))")
        out.append("\n[books]\nordinary = \(q(c.books.ordinary))\nclassified = \(q(c.books.classified))")
        var device = ["\n[device]"]
        if let name = c.device.name { device.append("name = \(q(name))") }
        if let vendor = c.device.vendor { device.append("vendor = \(q(vendor))") }
        if let model = c.device.model { device.append("model = \(q(model))") }
        device.append("poll_buttons = \(c.device.pollButtons)")
        device.append("button_poll_ms = \(ms(c.device.buttonPollInterval))")
        device.append("rescan_seconds = \(seconds(c.device.rescanInterval))")
        for (backend, rules) in c.device.buttons.sorted(by: { $0.key < $1.key }) {
            device.append("\n[device.buttons.\(backend)]")
            device.append("watch = [\(rules.watch.map { q($0) }.joined(separator: ", "))]")
            device.append("ignore = [\(rules.ignore.map { q($0) }.joined(separator: ", "))]")
            if let refresh = rules.refresh { device.append("refresh = \(q(refresh))") }
        }
        out.append(device.joined(separator: "\n"))
        for (name, p) in c.profiles.sorted(by: { $0.key < $1.key }) {
            var lines = ["\n[profiles.\(name)]", "source = \(q(p.source.word))", "mode = \(q(p.mode.word))", "resolution = \(p.resolution)"]
            if let w = p.pageWidthMM { lines.append("page_width_mm = \(w)") }
            if let h = p.pageHeightMM { lines.append("page_height_mm = \(h)") }
            lines += ["remove_blank_pages = \(p.removeBlankPages)", "blank_threshold = \(p.blankThreshold)",
                      "jpeg_quality = \(p.jpegQuality)", "urgency = \(q(p.urgency.word))", "secrecy = \(q(p.secrecy.word))"]
            if p.jpegOptimize { lines.append("jpeg_optimize = true") }
            if p.imprint { lines.append("imprint = true") }
            for (key, value) in p.deviceOptions.sorted(by: { $0.key < $1.key }) { lines.append("device_options.\(key) = \(q(value))") }
            out.append(lines.joined(separator: "\n"))
        }
        for t in c.triggers {
            var lines = ["\n[[triggers]]", "kind = \(q(t.kind.rawValue))", "action = \(q(t.action.rawValue))"]
            if t.action == .scan { lines.append("profile = \(q(t.profile))") }
            if let b = t.button { lines.append("button = \(q(b))") }
            if let d = t.inputDevice { lines.append("input_device = \(q(d))") }
            if let k = t.keyCode { lines.append("key_code = \(k)") }
            if let u = t.urgency { lines.append("urgency = \(q(u.word))") }
            out.append(lines.joined(separator: "\n"))
        }
        for t in c.targets {
            var lines = ["\n[[targets]]", "name = \(q(t.name))", "kind = \(q(t.kind.rawValue))", "classified = \(t.classified)"]
            if let d = t.approvedDevice { lines.append("approved_device = { vendor = \(q(d.vendor)), product = \(q(d.product)), serial = \(q(d.serial)) }") }
            if let u = t.url { lines.append("url = \(q(maskCredentials(u)))") }
            if let f = t.tokenFile { lines.append("token_file = \(q(f))   # contents not shown") }
            if let p = t.path { lines.append("path = \(q(p))") }
            if let ca = t.caBundle { lines.append("ca_bundle = \(q(ca))") }
            if let cert = t.clientCertificate { lines.append("client_certificate = \(q(cert))") }
            if let key = t.clientKey { lines.append("client_key = \(q(key))") }
            if let proxy = t.proxy { lines.append("proxy = \(q(maskCredentials(proxy)))") }
            lines.append("connect_timeout_seconds = \(seconds(t.connectTimeout))")
            lines.append("total_timeout_seconds = \(seconds(t.totalTimeout))")
            lines += resumableTargetLines(t)
            out.append(lines.joined(separator: "\n"))
        }
        out.append("\n[retry]\nbase_seconds = \(seconds(c.retry.base))\ncap_seconds = \(seconds(c.retry.cap))")
        out.append("\n[feedback]\n\(c.feedback.console.map { "console = \(q($0))\n" } ?? "")bell = \(c.feedback.bell)")
        for h in c.hooks {
            out.append("\n[[hooks]]\nevent = \(q(h.event.rawValue))\nargv = [\(h.argv.map(q).joined(separator: ", "))]\ntimeout_seconds = \(seconds(h.timeout))")
        }
        out.append("\n[disk]\nmin_free_mb = \(c.disk.minimumFreeMB)")
        out.append("\n[stamp]\nenabled = \(c.stamp.enabled)\nposition = \(q(c.stamp.position.rawValue))\nmargin_mm = \(c.stamp.marginMM)\nfont = \(q(c.stamp.fontPath))")
        let r = c.release
        out.append("\n[release]\nhold_seconds = \(r.holdSeconds)\nkhan_hold_seconds = \(r.khanHoldSeconds)\nthuong_khan_hold_seconds = \(r.thuongKhanHoldSeconds)\nhoa_toc_hold_seconds = \(r.hoaTocHoldSeconds)\nmarks_recheck_seconds = \(r.marksRecheckSeconds)")
        out.append("\n[at_rest]\ncredential = \(q(c.atRest.credential))\(c.atRest.keyFile.map { "\nkey_file = \(q($0))" } ?? "")")
        if let metrics = metricsSection(c.metrics) { out.append(metrics) }
        out.append(ocrSection(c.ocr))
        return out.joined(separator: "\n")
    }

    /// `https://user:secret@host` → `https://user:***@host`.
    public static func maskCredentials(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else { return url }
        let userInfo = url[scheme.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<url.index(after: colon)]) + "***" + String(url[at...])
    }

    static func q(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func seconds(_ d: Duration) -> String {
        let value = d.seconds
        return value == value.rounded() ? String(Int(value)) : String(value)
    }

    static func ms(_ d: Duration) -> Int {
        Int(d.milliseconds)
    }
}
