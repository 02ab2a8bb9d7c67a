public import FoundationEssentials
internal import Glibc

/// Document information written to the PDF Info dictionary.
public struct PDFMetadata: Sendable {
    public var title: String
    public var author: String?
    public var subject: String?
    public var keywords: String?
    public var creator: String?
    public var producer: String
    public var creationDate: Date
    /// The zone whose offset is written into CreationDate (the office's local time).
    public var timeZone: TimeZone

    public init(title: String, author: String? = nil, subject: String? = nil, keywords: String? = nil,
                creator: String? = nil, producer: String = "Intake", creationDate: Date = Date(),
                timeZone: TimeZone = .current) {
        self.title = title
        self.author = author
        self.subject = subject
        self.keywords = keywords
        self.creator = creator
        self.producer = producer
        self.creationDate = creationDate
        self.timeZone = timeZone
    }
}
