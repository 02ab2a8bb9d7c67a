extension Configuration {
    /// `[backup]`: where the daily backup (systemd/intake-backup.timer) goes and how many are kept.
    public struct Backup: Sendable, Equatable {
        /// A local directory: a second disk or a mounted USB device. Never a network file system
        /// when the register holds classified documents.
        public var destination = "/var/backups/intake"
        /// Complete backups kept in `destination`; older ones are removed after a good backup.
        public var keep = 7
        /// `doctor` fails when the last good backup is older than this.
        public var maximumAgeHours = 48
    }

    /// `[retention]`: how long the local copy of a delivered document is kept.
    public struct Retention: Sendable, Equatable {
        /// Days after the last target confirmed receipt; 0 keeps copies indefinitely.
        public var deliveredDays = 90
        /// The same for classified documents (mật, tối mật, tuyệt mật); 0 (the default) keeps them.
        public var classifiedDays = 0
        /// How often the daemon sweeps.
        public var sweepInterval: Duration = .seconds(3600)
    }
}
