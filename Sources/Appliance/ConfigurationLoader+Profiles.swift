import Foundation
import IntakeCore
import Registry
import Scanning
import TOMLKit

/// `[profiles.NAME]` and `[[triggers]]`: what a scan does and what starts it.
extension Reader {
    mutating func profile(_ table: TOMLTable, at path: String) -> Configuration.Profile {
        checkKeys(table, at: path, allowed: ["source", "mode", "resolution", "page_width_mm", "page_height_mm",
                                             "remove_blank_pages", "blank_threshold", "jpeg_quality", "jpeg_optimize", "urgency",
                                             "secrecy", "device_options", "imprint"])
        if table["book"] != nil {
            problem("\(path).book", "is no longer read: the book follows the secrecy ([books] ordinary and classified)")
        }
        var profile = Configuration.Profile()
        profile.source = word(table, "source", at: path, as: ScanSource.self) ?? profile.source
        profile.mode = word(table, "mode", at: path, as: ScanMode.self) ?? profile.mode
        profile.resolution = int(table, "resolution", at: path, range: ProfileLimits.resolution) ?? profile.resolution
        profile.pageWidthMM = double(table, "page_width_mm", at: path, range: ProfileLimits.pageWidthMM)
        profile.pageHeightMM = double(table, "page_height_mm", at: path, range: ProfileLimits.pageHeightMM)
        profile.removeBlankPages = bool(table, "remove_blank_pages", at: path) ?? profile.removeBlankPages
        profile.blankThreshold = double(table, "blank_threshold", at: path, range: ProfileLimits.blankThreshold) ?? profile.blankThreshold
        profile.jpegQuality = int(table, "jpeg_quality", at: path, range: ProfileLimits.jpegQuality) ?? profile.jpegQuality
        profile.jpegOptimize = bool(table, "jpeg_optimize", at: path) ?? profile.jpegOptimize
        profile.urgency = word(table, "urgency", at: path, as: Urgency.self) ?? profile.urgency
        profile.secrecy = word(table, "secrecy", at: path, as: Secrecy.self) ?? profile.secrecy
        digitisationRules(profile, at: path)
        profile.imprint = bool(table, "imprint", at: path) ?? profile.imprint
        if profile.mode == .lineart, table["jpeg_quality"] != nil {
            problem("\(path).jpeg_quality", "has no effect with mode Lineart (lineart pages are stored losslessly as CCITT G4)")
        }
        if let options = subtable(table, "device_options", at: path) {
            for key in options.keys {
                guard let value = options[key] else { continue }
                if let s = value.string { profile.deviceOptions[key] = s }
                else if let i = value.int { profile.deviceOptions[key] = String(i) }
                else if let d = value.double { profile.deviceOptions[key] = String(d) }
                else if let b = value.bool { profile.deviceOptions[key] = b ? "true" : "false" }
                else { problem("\(path).device_options.\(key)", "must be a string, number or true/false") }
            }
        }
        return profile
    }

    mutating func trigger(_ table: TOMLTable, at path: String, profiles: [String: Configuration.Profile]) -> Configuration.Trigger? {
        checkKeys(table, at: path, allowed: ["kind", "button", "input_device", "key_code", "profile", "urgency", "action"])
        let kind = choice(table, "kind", at: path, as: Configuration.TriggerKind.self)
        let action = choice(table, "action", at: path, as: Configuration.TriggerAction.self) ?? .scan
        if table["kind"] == nil { problem("\(path).kind", "is required: \"button\" (scanner button) or \"key\" (USB keypad / foot switch)") }
        let profile = action == .scan ? string(table, "profile", at: path) : ""
        if action != .scan, table["profile"] != nil {
            problem("\(path).profile", "has no effect with action = \"\(action.rawValue)\": the key corrects the last registered document")
        } else if action == .scan, let profile, profiles[profile] == nil {
            problem("\(path).profile", "no profile named '\(profile)'; defined: \(profiles.keys.sorted().joined(separator: ", "))")
        } else if profile == nil {
            problem("\(path).profile", "is required: the profile this trigger starts")
        }
        let button = string(table, "button", at: path)
        let input = string(table, "input_device", at: path)
        let code = int(table, "key_code", at: path, range: 1...767)
        let urgency = word(table, "urgency", at: path, as: Urgency.self)
        switch kind {
        case .button where button == nil:
            problem("\(path).button", "is required for kind = \"button\": the scanner's button option name, e.g. \"scan\" (see `intake options DEVICE`)")
        case .key where input == nil || code == nil:
            problem("\(path).\(input == nil ? "input_device" : "key_code")",
                    "kind = \"key\" needs input_device (e.g. /dev/input/by-id/usb-…-event-kbd) and key_code (e.g. 59 for F1)")
        default: break
        }
        guard let kind, let profile, action != .scan || profiles[profile] != nil else { return nil }
        guard action == .scan else {
            return .init(kind: kind, button: button, inputDevice: input, keyCode: code, profile: profile, urgency: nil, action: action)
        }
        return .init(kind: kind, button: button, inputDevice: input, keyCode: code, profile: profile, urgency: urgency)
    }
}
