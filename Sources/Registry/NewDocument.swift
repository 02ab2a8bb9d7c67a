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
    /// How the pages are kept; with `.none` there is no file (`stagedFile` is ignored).
    public var storage: DocumentStorage = .plain
    /// Whether the release waits for a check of the page's own secrecy marks.
    public var marksCheck: MarksCheck = .notRequired
    /// A number reserved before an imprinter printed it on the paper (`Register.reserveNumber`):
    /// the document gets exactly that number.
    public var reservation: String?

    public init(
        profile: String, urgency: Urgency = .normal, secrecy: Secrecy = .none, pages: Int,
        stagedFile: String, fields: RegisterFields = RegisterFields(), targets: [String] = [],
        storage: DocumentStorage = .plain, marksCheck: MarksCheck = .notRequired, reservation: String? = nil
    ) {
        self.reservation = reservation
        self.profile = profile
        self.urgency = urgency
        self.secrecy = secrecy
        self.pages = pages
        self.stagedFile = stagedFile
        self.fields = fields
        self.targets = targets
        self.storage = storage
        self.marksCheck = marksCheck
    }

    private enum CodingKeys: String, CodingKey {
        case profile, urgency, secrecy, pages, stagedFile, fields, targets, storage, marksCheck, reservation
    }

    /// Sidecars written before `storage` and `marksCheck` existed still decode.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        profile = try c.decode(String.self, forKey: .profile)
        urgency = try c.decode(Urgency.self, forKey: .urgency)
        secrecy = try c.decode(Secrecy.self, forKey: .secrecy)
        pages = try c.decode(Int.self, forKey: .pages)
        stagedFile = try c.decode(String.self, forKey: .stagedFile)
        fields = try c.decode(RegisterFields.self, forKey: .fields)
        targets = try c.decode([String].self, forKey: .targets)
        storage = try c.decodeIfPresent(DocumentStorage.self, forKey: .storage) ?? .plain
        marksCheck = try c.decodeIfPresent(MarksCheck.self, forKey: .marksCheck) ?? .notRequired
        // The imprinted number travels in the sidecar: recovery gives the document exactly that number.
        reservation = try c.decodeIfPresent(String.self, forKey: .reservation)
    }
}
