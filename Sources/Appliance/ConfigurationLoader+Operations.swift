import TOMLKit

extension Reader {
    /// `[backup]` and `[retention]`.
    mutating func operations(from root: TOMLTable, into config: inout Configuration) {
        if let backup = subtable(root, "backup", at: "") {
            checkKeys(backup, at: "backup", allowed: ["destination", "keep", "max_age_hours"])
            if let destination = string(backup, "destination", at: "backup") {
                if destination.hasPrefix("/") {
                    config.backup.destination = destination
                } else {
                    problem("backup.destination", "must be an absolute local path such as \"/media/backup-disk/intake\", found '\(destination)' (network destinations are not accepted)")
                }
            }
            config.backup.keep = int(backup, "keep", at: "backup", range: 1...1000) ?? config.backup.keep
            config.backup.maximumAgeHours = int(backup, "max_age_hours", at: "backup", range: 1...8760) ?? config.backup.maximumAgeHours
        }
        if let retention = subtable(root, "retention", at: "") {
            checkKeys(retention, at: "retention", allowed: ["delivered_days", "classified_days", "sweep_minutes"])
            config.retention.deliveredDays = int(retention, "delivered_days", at: "retention", range: 0...36500) ?? config.retention.deliveredDays
            config.retention.classifiedDays = int(retention, "classified_days", at: "retention", range: 0...36500) ?? config.retention.classifiedDays
            if let minutes = int(retention, "sweep_minutes", at: "retention", range: 1...10080) {
                config.retention.sweepInterval = .seconds(minutes * 60)
            }
        }
    }
}
