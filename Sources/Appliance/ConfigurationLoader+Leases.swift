import Foundation
import Registry
import TOMLKit

/// `[books] numbering = "leased"` and the one target marked `numbering_authority = true`.
extension Reader {
    mutating func leaseSettings(_ table: TOMLTable, into books: inout Configuration.Books) {
        books.numbering = choice(table, "numbering", at: "books", as: NumberingMode.self) ?? books.numbering
        books.leaseCheck = seconds(table, "lease_check_seconds", at: "books", range: 0.2...86400) ?? books.leaseCheck
        books.leaseMinimum = int(table, "lease_minimum", at: "books", range: 1...100_000) ?? books.leaseMinimum
    }

    /// Leased numbering needs exactly one numbering authority, an http target; local numbering none.
    mutating func numberingAuthority(_ config: Configuration) {
        let authorities = config.targets.filter(\.numberingAuthority)
        switch config.books.numbering {
        case .leased:
            if authorities.isEmpty {
                problem("books.numbering", "\"leased\" needs one target with numbering_authority = true (the centre that grants số đến)")
            } else if authorities.count > 1 {
                problem("books.numbering", "exactly one target may have numbering_authority = true; found \(authorities.map(\.name).joined(separator: ", "))")
            } else if let authority = authorities.first, authority.kind != .http {
                problem("targets.\(authority.name).numbering_authority", "must be an http target (the centre's lease protocol)")
            }
        case .local:
            for authority in authorities {
                problem("targets.\(authority.name).numbering_authority", "is only read with [books] numbering = \"leased\"; set that or remove the key")
            }
        }
    }
}
