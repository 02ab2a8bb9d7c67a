extension Configuration {
    /// Fleet metrics as a node_exporter textfile (`[metrics]`); off unless `textfile` is set.
    public struct Metrics: Sendable, Equatable {
        /// e.g. /var/lib/prometheus/node-exporter/intake.prom; nil writes nothing.
        public var textfile: String?
        /// How often the file is rewritten even when nothing changed.
        public var interval: Duration = .seconds(5)
    }
}
