import Foundation
import Imaging
import Scanning
import TOMLKit
import Stamping

/// The parts of the configuration that make the document of record: the ĐẾN stamp and the
/// digitisation rules registered profiles must meet.
extension Reader {
    /// `[stamp]`: enabled, position (a corner of page 1), margin_mm, font.
    mutating func stamp(_ table: TOMLTable) -> Configuration.Stamp {
        checkKeys(table, at: "stamp", allowed: ["enabled", "position", "margin_mm", "font"])
        var stamp = Configuration.Stamp()
        stamp.enabled = bool(table, "enabled", at: "stamp") ?? stamp.enabled
        stamp.position = choice(table, "position", at: "stamp", as: StampPlacement.Corner.self) ?? stamp.position
        stamp.marginMM = double(table, "margin_mm", at: "stamp", range: 0...50) ?? stamp.marginMM
        if let font = string(table, "font", at: "stamp") {
            if !font.hasPrefix("/") {
                problem("stamp.font", "must be an absolute path to a TrueType font, e.g. \"\(ArrivalStamp.defaultFontPath)\"")
            } else if !FileManager.default.isReadableFile(atPath: font) {
                problem("stamp.font", "cannot read '\(font)'; install fonts-dejavu-core or name another TrueType font with Vietnamese glyphs")
            } else {
                stamp.fontPath = font
            }
        }
        return stamp
    }

    /// The stamp's font must be readable when the stamp is on; a font named in `[stamp]` was
    /// already checked where it is written.
    mutating func stampFont(_ stamp: Configuration.Stamp, explicit: Bool) {
        guard stamp.enabled, !explicit, !FileManager.default.isReadableFile(atPath: stamp.fontPath) else { return }
        problem("stamp.font", "the ĐẾN stamp's font \(stamp.fontPath) is missing; install fonts-dejavu-core, name another TrueType font with Vietnamese glyphs, or set enabled = false in [stamp]")
    }

    /// Decree 30/2020 Phụ lục I: every rule a registered profile breaks is a problem on its line.
    mutating func digitisationRules(_ profile: Configuration.Profile, at path: String) {
        for violation in DigitisationRule.violations(mode: profile.mode, resolution: profile.resolution) {
            let key = violation.rule == .colour ? "mode" : violation.rule == .resolution ? "resolution" : "mode"
            problem("\(path).\(key)", violation.description)
        }
    }
}
