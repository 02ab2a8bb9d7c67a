/// The network the box is declared to sit on (config `network`); it decides what secrecy allows.
///
/// - `internet`: the box reaches the Internet (the default). A classified or sensitive
///   document is numbered in the classified book, but none of its pages is stored or sent.
/// - `classified`: the box is on the Party's own classified network. MẬT, TỐI MẬT and sensitive
///   documents are scanned, kept encrypted at rest and sent only to `classified = true`
///   targets over mutually authenticated TLS.
///
/// TUYỆT MẬT is numbered but never scanned, stored or sent on either.
public enum NetworkPosture: String, Sendable, Equatable, CaseIterable {
    case internet, classified
}
