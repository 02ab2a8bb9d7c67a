/// One line of text read from the header band of page 1, with where it stood.
public struct OCRLine: Codable, Sendable, Equatable {
    /// Which pass read it: the page's gray, or only its red ink (stamped marks, seals).
    public enum Ink: String, Codable, Sendable { case any, red }

    public var text: String
    /// Tesseract's confidence, 0–100.
    public var confidence: Double
    public var left: Int
    public var top: Int
    public var right: Int
    public var bottom: Int
    public var ink: Ink

    public init(text: String, confidence: Double, left: Int, top: Int, right: Int, bottom: Int, ink: Ink = .any) {
        self.text = text
        self.confidence = confidence
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
        self.ink = ink
    }

    var centreX: Int { (left + right) / 2 }
}
