import Imaging
public import Stamping

extension Configuration {
    /// The ĐẾN stamp drawn on page 1 of every registered PDF (`[stamp]` in the configuration).
    public struct Stamp: Sendable, Equatable {
        /// false registers PDFs as scanned (the paper is then stamped by hand only).
        public var enabled = true
        /// The corner of page 1 where the stamp goes; the default is the top-right margin.
        public var position: StampPlacement.Corner = .topRight
        /// Distance from the page's edges.
        public var marginMM = 8.0
        /// A TrueType font with Vietnamese glyphs (fonts-dejavu-core's DejaVu Sans by default).
        public var fontPath = ArrivalStamp.defaultFontPath

        public init() {}
    }
}
