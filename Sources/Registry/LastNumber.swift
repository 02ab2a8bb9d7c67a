/// The highest number given so far in one book and year.
public struct LastNumber: Sendable, Equatable, Codable {
    public var book: String
    public var year: Int
    public var number: Int

    public init(book: String, year: Int, number: Int) {
        self.book = book
        self.year = year
        self.number = number
    }
}
