import Foundation
import Testing
@testable import Appliance

/// `[backup]` and `[retention]`: defaults, values, and every mistake named with its line.
@Suite struct OperationsConfigurationTests {
    let head = "organisation_code = \"000.00.00.H49\"\n"

    @Test func defaultsKeepNinetyDaysAndSevenBackupsInVarBackups() throws {
        let config = try ConfigurationLoader.parse(head, file: "t.toml")
        #expect(config.backup == Configuration.Backup())
        #expect(config.backup.destination == "/var/backups/intake" && config.backup.keep == 7)
        #expect(config.retention.deliveredDays == 90 && config.retention.classifiedDays == 0)
    }

    @Test func valuesAreRead() throws {
        let config = try ConfigurationLoader.parse(head + """
            [backup]
            destination = "/media/usb/intake"
            keep = 14
            max_age_hours = 30
            [retention]
            delivered_days = 30
            classified_days = 365
            sweep_minutes = 5
            """, file: "t.toml")
        #expect(config.backup.destination == "/media/usb/intake" && config.backup.keep == 14 && config.backup.maximumAgeHours == 30)
        #expect(config.retention.deliveredDays == 30 && config.retention.classifiedDays == 365)
        #expect(config.retention.sweepInterval == .seconds(300))
    }

    @Test(arguments: [
        ("[backup]\ndestination = \"backup-host:/srv/intake\"\n", "backup.destination", "absolute local path"),
        ("[backup]\nkeep = 0\n", "backup.keep", "out of range"),
        ("[backup]\nkep = 3\n", "backup.kep", "did you mean 'keep'"),
        ("[retention]\ndelivered_days = \"soon\"\n", "retention.delivered_days", "whole number"),
        ("[retention]\nclassified_days = -1\n", "retention.classified_days", "out of range"),
    ])
    func mistakesAreNamedWithTheirLine(_ text: String, _ key: String, _ words: String) {
        expectConfigurationProblem(head + text, key: key, words: words)
    }
}
