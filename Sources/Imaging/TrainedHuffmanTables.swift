internal import CJpeg

/// Passes the trained tables to `body` (nil when `wanted` is false).
func withTrainedTables<T>(_ wanted: Bool, _ body: (UnsafePointer<intake_jpeg_tables>?) -> T) -> T {
    body(nil)
}
