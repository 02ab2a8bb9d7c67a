/// Where số đến come from.
public enum NumberingMode: String, Sendable, Codable, CaseIterable {
    /// The box is the only register: 1, 2, 3… per book and year (the default).
    case local
    /// The ordinary book numbers from blocks leased by the centre (the one numbering authority),
    /// so paper and electronic arrivals share one sequence; when a block runs out offline the box
    /// gives provisional numbers "T-1", "T-2"… that the centre later confirms.
    /// The classified book stays local: the centre never sees classified arrivals.
    case leased
}
