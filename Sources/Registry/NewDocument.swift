/// A scanned document ready to be numbered.
public struct NewDocument: Sendable, Codable {
    /// The scan profile name it came from.
    public var profile: String
    public var urgency: Urgency
    public var secrecy: Secrecy
    public var pages: Int
    /// A complete PDF written by the caller on the same filesystem as the documents directory.
    /// `register` moves it; the caller must not touch it afterwards.
    public var stagedFile: String
    public var fields: RegisterFields
    /// Delivery target names; one outbox row is created per target.
    public var targets: [String]
    /// A number reserved before an imprinter printed it on the paper (`Register.reserveNumber`):
    /// the document gets exactly that number.
    public var reservation: String?

    public init(
        profile: String, urgency: Urgency = .normal, secrecy: Secrecy = .none, pages: Int,
        stagedFile: String, fields: RegisterFields = RegisterFields(), targets: [String] = [],
        reservation: String? = nil
    ) {
        self.reservation = reservation
        self.profile = profile
        self.urgency = urgency
        self.secrecy = secrecy
        self.pages = pages
        self.stagedFile = stagedFile
        self.fields = fields
        self.targets = targets
    }
}
