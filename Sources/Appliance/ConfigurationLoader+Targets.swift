import Foundation
import IntakeCore
import Registry
import Scanning
import TOMLKit

/// `[[targets]]`: where documents are delivered.
extension Reader {
    mutating func target(_ table: TOMLTable, at path: String) -> Configuration.Target? {
        checkKeys(table, at: path, allowed: ["name", "kind", "url", "token_file", "path", "secure_network", "classified", "approved_device", "ca_bundle",
                                             "client_certificate", "client_key", "proxy", "connect_timeout_seconds",
                                             "total_timeout_seconds", "numbering_authority"] + Self.resumableTargetKeys)
        var name = string(table, "name", at: path)
        if name == nil { problem("\(path).name", "is required: a short name for this target, e.g. \"central\"") }
        if let given = name, given.wholeMatch(of: #/[A-Za-z0-9][A-Za-z0-9._-]{0,31}/#) == nil {
            problem("\(path).name", "'\(SafeText.escapedForDisplay(given))' is not a usable name: 1–32 letters, digits, '.', '_' or '-', e.g. \"central\"")
            name = nil
        }
        let kind = choice(table, "kind", at: path, as: Configuration.TargetKind.self)
        if table["kind"] == nil { problem("\(path).kind", "is required: \"http\", \"directory\", \"paperless\" or \"tus\"") }
        var target = Configuration.Target(name: name ?? "", kind: kind ?? .http)
        target.url = string(table, "url", at: path)
        target.tokenFile = string(table, "token_file", at: path)
        target.path = string(table, "path", at: path)
        if table["secure_network"] != nil {
            problem("\(path).secure_network", "was replaced: declare the box's network at the top (network = \"internet\" or \"classified\") "
                    + "and mark a target that may receive classified documents with classified = true")
        }
        target.classified = bool(table, "classified", at: path) ?? false
        if let device = subtable(table, "approved_device", at: path) {
            target.approvedDevice = approvedDevice(device, at: "\(path).approved_device")
        }
        target.numberingAuthority = bool(table, "numbering_authority", at: path) ?? false
        target.caBundle = string(table, "ca_bundle", at: path)
        target.clientCertificate = string(table, "client_certificate", at: path)
        target.clientKey = string(table, "client_key", at: path)
        target.proxy = string(table, "proxy", at: path)
        target.connectTimeout = seconds(table, "connect_timeout_seconds", at: path, range: 0.1...600) ?? target.connectTimeout
        target.totalTimeout = seconds(table, "total_timeout_seconds", at: path, range: 1...86400) ?? target.totalTimeout
        switch kind {
        case .http:
            if let url = target.url {
                if URL(string: url).flatMap({ $0.scheme == "http" || $0.scheme == "https" ? $0.host : nil }) == nil {
                    problem("\(path).url", "'\(url)' is not an http:// or https:// address")
                }
            } else {
                problem("\(path).url", "is required for kind = \"http\", e.g. \"https://vanban.example.gov.vn/api\"")
            }
            if (target.clientCertificate == nil) != (target.clientKey == nil) {
                problem("\(path).client_key", "client_certificate and client_key go together")
            }
        case .directory:
            if target.path == nil { problem("\(path).path", "is required for kind = \"directory\", e.g. \"/media/intake-usb\"") }
        case .paperless, .tus:
            resumableTarget(table, at: path, into: &target)
        case nil: break
        }
        guard name != nil, kind != nil else { return nil }
        return target
    }
}
