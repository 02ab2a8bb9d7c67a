internal import CJpeg

/// Passes the tables trained on document pages (Sources/CJpeg/trained_tables.h, written by
/// Benchmarks/huffman/train.sh) to `body`, or nil when `wanted` is false.
func withTrainedTables<T>(_ wanted: Bool, _ body: (UnsafePointer<intake_jpeg_tables>?) -> T) -> T {
    body(wanted ? intake_jpeg_trained_tables() : nil)
}
