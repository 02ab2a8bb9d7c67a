import Foundation

/// The state of the link to each target, shared by the worker's tasks: how many transient
/// failures in a row, and until when it is left alone.
final class TargetLinks: @unchecked Sendable {
    private struct Link { var failures = 0; var until = Date.distantPast }
    private let lock = NSLock()
    private var links: [String: Link] = [:]

    /// Consecutive transient failures of the target's link (0 when it is up).
    func failures(of target: String) -> Int { lock.withLock { links[target]?.failures ?? 0 } }

    /// Records a transient failure; true when the link was up before (it just went down).
    func failed(_ target: String, until: Date) -> Bool {
        lock.withLock {
            var link = links[target] ?? Link()
            link.failures += 1
            link.until = until
            links[target] = link
            return link.failures == 1
        }
    }

    /// Records an answer; true when the link had been down.
    func answered(_ target: String) -> Bool { lock.withLock { links.removeValue(forKey: target) != nil } }

    /// Targets left alone at `now` (their next probe is later).
    func backingOff(at now: Date) -> Set<String> { lock.withLock { Set(links.filter { $0.value.until > now }.keys) } }

    /// Targets whose link is down.
    func down() -> Set<String> { lock.withLock { Set(links.keys) } }

    /// Forgets the links of targets not in `keep` (nothing left to send them).
    func forget(except keep: Set<String>) { lock.withLock { links = links.filter { keep.contains($0.key) } } }
}
