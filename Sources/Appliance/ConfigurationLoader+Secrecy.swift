import Foundation
import IntakeCore
import Registry
import Scanning
import TOMLKit

/// Secrecy, network posture and release: `network`, `[release]`, `[at_rest]`, approved devices.
extension Reader {
    mutating func readSecrecy(_ root: TOMLTable, into config: inout Configuration) {
        config.network = choice(root, "network", at: "", as: NetworkPosture.self) ?? config.network
        if let release = subtable(root, "release", at: "") {
            checkKeys(release, at: "release", allowed: ["hold_seconds", "khan_hold_seconds", "thuong_khan_hold_seconds",
                                                        "hoa_toc_hold_seconds", "marks_recheck_seconds"])
            var r = config.release
            r.holdSeconds = double(release, "hold_seconds", at: "release", range: 0...86400) ?? r.holdSeconds
            // An urgent window left unset is never longer than the ordinary one.
            r.khanHoldSeconds = double(release, "khan_hold_seconds", at: "release", range: 0...86400) ?? min(r.khanHoldSeconds, r.holdSeconds)
            r.thuongKhanHoldSeconds = double(release, "thuong_khan_hold_seconds", at: "release", range: 0...86400) ?? min(r.thuongKhanHoldSeconds, r.khanHoldSeconds)
            r.hoaTocHoldSeconds = double(release, "hoa_toc_hold_seconds", at: "release", range: 0...86400) ?? min(r.hoaTocHoldSeconds, r.thuongKhanHoldSeconds)
            r.marksRecheckSeconds = double(release, "marks_recheck_seconds", at: "release", range: 1...3600) ?? r.marksRecheckSeconds
            for (key, value, longer) in [("khan_hold_seconds", r.khanHoldSeconds, r.holdSeconds),
                                         ("thuong_khan_hold_seconds", r.thuongKhanHoldSeconds, r.khanHoldSeconds),
                                         ("hoa_toc_hold_seconds", r.hoaTocHoldSeconds, r.thuongKhanHoldSeconds)] where value > longer {
                problem("release.\(key)", "\(value) s is longer than the window of a less urgent document (\(longer) s): urgency may only shorten the hold")
            }
            config.release = r
        }
        if let atRest = subtable(root, "at_rest", at: "") {
            checkKeys(atRest, at: "at_rest", allowed: ["credential", "key_file"])
            if let credential = string(atRest, "credential", at: "at_rest") {
                if credential.isEmpty || credential.contains("/") {
                    problem("at_rest.credential", "'\(credential)' must be a credential name (LoadCredential=NAME:…), without /")
                } else {
                    config.atRest.credential = credential
                }
            }
            if let file = string(atRest, "key_file", at: "at_rest") {
                if !file.hasPrefix("/") {
                    problem("at_rest.key_file", "must be an absolute path, found '\(file)'")
                } else if Self.isInside(file, config.paths.stateDirectory) {
                    problem("at_rest.key_file", "'\(file)' is inside the state directory \(config.paths.stateDirectory): "
                            + "the key must be kept apart from the files it protects (e.g. /etc/intake/keys/at-rest.key, or LoadCredential=)")
                } else {
                    config.atRest.keyFile = file
                }
            }
        }
        for (index, target) in config.targets.enumerated() where target.classified {
            let path = "targets[\(index)]"
            if config.network != .classified {
                problem("\(path).classified", "a classified target needs network = \"classified\": a box that reaches the Internet never stores or sends classified pages")
            }
            // Every kind but a directory is a network target: fail closed for kinds added later.
            if target.kind == .directory {
                if target.approvedDevice == nil {
                    problem("\(path).approved_device", "a classified directory target needs the approved USB device: approved_device = { vendor = \"0951\", product = \"1666\", serial = \"…\" }")
                }
            } else if !target.hasMutualTLS {
                problem("\(path).classified", "a classified \(target.kind.rawValue) target needs mutually authenticated TLS: an https:// url, client_certificate and client_key")
            }
        }
        for (index, target) in config.targets.enumerated() where !target.classified && target.approvedDevice != nil {
            problem("targets[\(index)].approved_device", "only a classified = true directory target is tied to an approved device")
        }
    }

    mutating func approvedDevice(_ table: TOMLTable, at path: String) -> Configuration.ApprovedDevice? {
        checkKeys(table, at: path, allowed: ["vendor", "product", "serial"])
        var values: [String] = []
        for key in ["vendor", "product"] {
            guard let value = string(table, key, at: path) else {
                problem("\(path).\(key)", "is required: four hex digits as lsusb shows them, e.g. \"0951\"")
                continue
            }
            guard value.wholeMatch(of: #/[0-9a-fA-F]{4}/#) != nil else {
                problem("\(path).\(key)", "'\(value)' is not four hex digits")
                continue
            }
            values.append(value.lowercased())
        }
        let serial = string(table, "serial", at: path)
        if serial?.isEmpty ?? true {
            problem("\(path).serial", "is required: the device's serial number (udevadm info … | grep ID_SERIAL_SHORT)")
        }
        guard values.count == 2, let serial, !serial.isEmpty else { return nil }
        return .init(vendor: values[0], product: values[1], serial: serial)
    }

    static func isInside(_ path: String, _ directory: String) -> Bool {
        let a = URL(fileURLWithPath: path).standardizedFileURL.path
        let d = URL(fileURLWithPath: directory).standardizedFileURL.path
        return a == d || a.hasPrefix(d.hasSuffix("/") ? d : d + "/")
    }
}
