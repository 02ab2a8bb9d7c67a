/// Where a writer's bytes go once they leave its buffer, when that is not a plain file: the
/// Appliance hands in a sink that encrypts as it goes, so a classified scan's pages never reach
/// the disk in the clear (PDFWriter(sink:name:metadata:)).
public protocol ByteSink: AnyObject {
    /// Takes `bytes` in order; may keep some in memory until `close()`.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Writes out what is kept and ends the output. Called once, after the last write.
    func close() throws
}
