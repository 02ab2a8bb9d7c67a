import Foundation
import Hummingbird
import NIOCore

/// The lease side of the numbering protocol (README "Number leases"):
/// `POST /leases`, `POST /arrivals`, `POST /confirmations`, `GET /leases`.
extension ReceiverServer {
    struct LeaseAsk: Decodable { var box: String; var book: String; var year: Int; var count: Int; var requestID: String? }
    struct LeaseAnswer: Encodable { var book: String; var year: Int; var first: Int; var last: Int; var grantedAt: String }
    struct ArrivalAsk: Decodable { var book: String; var year: Int; var reference: String? }
    struct ArrivalAnswer: Encodable { var book: String; var year: Int; var number: Int; var reference: String }
    struct ConfirmationAsk: Decodable {
        struct Entry: Decodable { var provisional: String; var arrivedAt: String? }
        var box: String
        var book: String
        var year: Int
        var entries: [Entry]
    }
    struct ConfirmationAnswer: Encodable {
        struct Entry: Encodable { var provisional: String; var number: Int }
        var book: String
        var year: Int
        var confirmations: [Entry]
    }

    func addLeaseRoutes(_ router: Router<ReceiverContext>) {
        router.post("/leases") { request, _ in
            try await leaseRequest(request, LeaseAsk.self, refusal: "send {\"box\", \"book\", \"year\", \"count\"}") { ask in
                let grant = try await numbering.grant(
                    box: ask.box, book: ask.book, year: ask.year, count: ask.count, requestID: ask.requestID)
                return LeaseAnswer(book: grant.book, year: grant.year, first: grant.first, last: grant.last, grantedAt: grant.grantedAt)
            }
        }
        router.post("/arrivals") { request, _ in
            try await leaseRequest(request, ArrivalAsk.self, refusal: "send {\"book\", \"year\", \"reference\"}") { ask in
                let arrival = try await numbering.arrive(book: ask.book, year: ask.year, reference: ask.reference ?? "")
                return ArrivalAnswer(book: arrival.book, year: arrival.year, number: arrival.number, reference: arrival.reference)
            }
        }
        router.post("/confirmations") { request, _ in
            try await leaseRequest(
                request, ConfirmationAsk.self,
                refusal: "send {\"box\", \"book\", \"year\", \"entries\": [{\"provisional\", \"arrivedAt\"}]}"
            ) { ask in
                let pairs = ask.entries.map { (provisional: $0.provisional, arrivedAt: $0.arrivedAt ?? "") }
                let answers = try await numbering.confirm(box: ask.box, book: ask.book, year: ask.year, entries: pairs)
                return ConfirmationAnswer(book: ask.book, year: ask.year,
                                          confirmations: answers.map { .init(provisional: $0.provisional, number: $0.number) })
            }
        }
        router.get("/leases") { request, _ in
            guard authorised(request) else { return unauthorised() }
            let data = try JSONEncoder.canonical.encode(await numbering.state)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    /// Authorised JSON object in, JSON object out; a body that is not the asked shape is 400
    /// with `refusal`, a refusal of the authority 400 naming what is wrong, a storage failure 507
    /// (nothing was granted).
    private func leaseRequest<Ask: Decodable, Answer: Encodable>(
        _ request: Request, _ ask: Ask.Type, refusal: String, _ handle: (Ask) async throws -> Answer
    ) async throws -> Response {
        guard authorised(request) else { return unauthorised() }
        let buffer = try await request.body.collect(upTo: 1024 * 1024)
        let body: Ask
        do {
            body = try JSONDecoder().decode(Ask.self, from: Data(buffer.readableBytesView))
        } catch DecodingError.dataCorrupted {
            return json(400, ["error": "the body must be a JSON object"])
        } catch {
            return json(400, ["error": refusal])
        }
        do {
            return json(200, try await handle(body))
        } catch let refusal as NumberingAuthority.Refusal {
            return json(400, ["error": refusal.message])
        } catch {
            return json(507, ["error": "the receiver could not store the numbering state: \(error)"])
        }
    }
}
