import IntakeCore
import Delivery
import Foundation
import Registry
import Testing
@testable import Appliance

/// A centre in memory (unit test double for the transport): one counter per book and year for
/// blocks, electronic arrivals and confirmations; "offline" makes every request fail to connect.
final class FakeCentre: Transport, @unchecked Sendable {
    private let lock = NSLock()
    private var next = 1
    private var confirmed: [String: Int] = [:]
    var offline = false
    private(set) var electronic: [Int] = []
    private(set) var leaseCounts: [Int] = []

    func arrive() -> Int { lock.withLock { defer { next += 1 }; electronic.append(next); return next } }

    func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        try lock.withLock {
            if offline { throw TransportError(code: .couldNotConnect, message: "offline") }
            guard case let .bytes(bytes) = request.body,
                  let body = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                return HTTPResponse(status: 400)
            }
            var answer: [String: Any] = [:]
            if request.url.hasSuffix("/leases"), let count = body["count"] as? Int {
                leaseCounts.append(count)
                answer = ["first": next, "last": next + count - 1]
                next += count
            } else if request.url.hasSuffix("/confirmations"), let entries = body["entries"] as? [[String: Any]] {
                answer["confirmations"] = entries.map { entry -> [String: Any] in
                    let t = entry["provisional"] as? String ?? ""
                    if confirmed[t] == nil { confirmed[t] = next; next += 1 }
                    return ["provisional": t, "number": confirmed[t] ?? 0]
                }
            }
            return HTTPResponse(status: 200, body: Array(try JSONSerialization.data(withJSONObject: answer)))
        }
    }
}

@Suite struct LeaseKeeperTests {
    func leasedContext(_ dir: TemporaryDirectory, clock: ManualClock) throws -> ApplianceContext {
        var configuration = Configuration()
        configuration.stamp.enabled = false
        configuration.organisationCode = "000.00.00.H49"
        configuration.paths.stateDirectory = dir.path + "/state"
        configuration.paths.socket = dir.path + "/intake.sock"
        configuration.books.numbering = .leased
        configuration.targets = [Configuration.Target(name: "central", kind: .directory, path: dir.path + "/out")]
        configuration.disk.minimumFreeMB = 1
        return try ApplianceContext(configuration: configuration, clock: clock, buildYear: 2026)
    }

    @Test func threeDaysOfflineEndInTNumbersConfirmedInArrivalOrderWithoutDuplicates() async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock(Date(timeIntervalSince1970: 1_795_000_000))  // 2026-11-18
        let context = try leasedContext(dir, clock: clock)
        let centre = FakeCentre()
        let keeper = LeaseKeeper(register: context.register, client: LeaseClient(baseURL: "http://centre", box: "box", token: nil, transport: centre),
                                 book: "DEN", source: "central", logger: testLogger)
        var boxNumbers: [Int] = []
        // Two days online: a paper arrival every hour at the box and an electronic one at the
        // centre; the keeper runs every hour.
        for _ in 0..<48 {
            let round = await keeper.round(now: clock.now())
            #expect(round.problem == nil, "\(round.problem ?? "")")
            boxNumbers.append(try registerDocument(context).number)
            _ = centre.arrive()
            clock.advance(3600)
        }
        #expect(boxNumbers.allSatisfy { $0 > 0 }, "online, every number comes from a block")
        // The block grows with the recent average: 3 days of it, at least 20.
        let perDay = try context.register.arrivalsPerDay(book: "DEN", days: LeaseKeeper.averageDays)
        #expect(try keeper.wantedBlockSize() == max(20, Int((perDay * 3).rounded(.up))))

        // Three days offline: the blocks held run out, then T-numbers; the centre goes on numbering.
        centre.offline = true
        var offline: [RegisteredDocument] = []
        for _ in 0..<(3 * 24) {
            let round = await keeper.round(now: clock.now())
            #expect(round.leased == nil && round.confirmed.isEmpty)
            offline.append(try registerDocument(context))
            centre.offline = false
            _ = centre.arrive()
            centre.offline = true
            clock.advance(3600)
        }
        let provisional = offline.filter(\.isProvisional)
        #expect(!provisional.isEmpty, "the block ran out offline")
        #expect(provisional.map(\.numberText) == (1...provisional.count).map { "T-\($0)" })
        #expect(offline.prefix(offline.count - provisional.count).allSatisfy { $0.number > 0 }, "blocks first, then T")
        #expect(try context.register.queue().filter { $0.number < 0 }.allSatisfy { $0.state == .held })

        // Back online: one round confirms all, in arrival order, then takes a new block.
        centre.offline = false
        let round = await keeper.round(now: clock.now())
        #expect(round.problem == nil, "\(round.problem ?? "")")
        #expect(round.confirmed.count == provisional.count)
        #expect(round.leased != nil)
        let finals = try provisional.map { try #require(try context.register.document(id: $0.id)).number }
        #expect(finals == finals.sorted() && finals.allSatisfy { $0 > 0 }, "arrival order kept: \(finals)")
        let all = try context.register.list(book: "DEN").map(\.number) + centre.electronic
        #expect(Set(all).count == all.count, "no number given twice between the box and the centre")
        #expect(try context.register.queue().allSatisfy { $0.state != .held })
        #expect(try context.register.leaseStatus(book: "DEN", year: 2026).unconfirmed == 0)
    }

    @Test func theNextBlockIsAskedForWhenAQuarterIsLeftNotBefore() async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock(Date(timeIntervalSince1970: 1_795_000_000))
        let context = try leasedContext(dir, clock: clock)
        let centre = FakeCentre()
        let keeper = LeaseKeeper(register: context.register, client: LeaseClient(baseURL: "http://centre", box: "box", token: nil, transport: centre),
                                 book: "DEN", source: "central", logger: testLogger, minimumBlock: 8)
        #expect(await keeper.round(now: clock.now()).leased?.count == 8)
        for _ in 0..<5 { clock.advance(1); try registerDocument(context) }
        #expect(await keeper.round(now: clock.now()).leased == nil, "3 of 8 left: more than a quarter")
        clock.advance(1)
        try registerDocument(context)
        let topUp = await keeper.round(now: clock.now()).leased
        #expect(topUp?.first == 9, "2 of 8 left: the next block")
        #expect(centre.leaseCounts == [8, 8])
    }

    @Test func theClerksScreenShowsAProvisionalNumberAsSuch() {
        var state = ScreenState()
        state.lastNumber = "T-12"
        let screen = StatusScreen.render(state)
        #expect(screen.contains("█████\n") || screen.contains("█████ "), "big glyphs drawn")
        #expect(BigDigits.render("T-12").allSatisfy { $0.split(separator: " ").count >= 3 })
        #expect(BigDigits.render("T-12")[0].hasPrefix("█████"), "the T is drawn, not dropped")
    }
}
