internal import Foundation
import GRDB

extension Register {
    /// The totals behind the fleet metrics, read in one transaction.
    public func deliveryStatistics() throws -> DeliveryStatistics {
        try read { db in
            var books: [String: DeliveryStatistics.BookTotals] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT book, COUNT(*) AS n, COALESCE(SUM(pages), 0) AS p FROM document GROUP BY book") {
                books[row["book"]] = .init(documents: row["n"], pages: row["p"])
            }
            let attempts = try Row.fetchAll(db, sql: """
                SELECT o.target, a.outcome, COUNT(*) AS n FROM attempt a JOIN outbox o ON o.id = a.outboxID
                GROUP BY o.target, a.outcome ORDER BY o.target, a.outcome
                """).map { DeliveryStatistics.AttemptCount(target: $0["target"], outcome: $0["outcome"], count: $0["n"]) }
            var last: [String: Date] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT target, MAX(deliveredAtMs) AS at FROM outbox WHERE deliveredAtMs IS NOT NULL GROUP BY target") {
                if let ms: Int64 = row["at"] { last[row["target"]] = Millis.date(ms) }
            }
            let paths = try Row.fetchAll(db, sql: """
                SELECT DISTINCT d.path FROM outbox o JOIN document d ON d.id = o.documentID
                WHERE o.state != 'delivered' AND d.state = 'registered' AND d.path != ''
                """).map { row -> String in
                let path: String = row["path"]
                return files.root + "/" + path
            }
            return DeliveryStatistics(books: books, attempts: attempts, lastDelivered: last, waitingFiles: paths)
        }
    }
}
