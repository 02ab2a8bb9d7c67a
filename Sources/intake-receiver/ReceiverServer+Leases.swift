import Foundation
import Hummingbird
import NIOCore

/// The lease side of the numbering protocol (README "Number leases"):
/// `POST /leases`, `POST /arrivals`, `POST /confirmations`, `GET /leases`.
extension ReceiverServer {
    func addLeaseRoutes(_ router: Router<ReceiverContext>) {
        router.post("/leases") { request, _ in
            try await leaseRequest(request) { body in
                guard let box = body["box"] as? String, let book = body["book"] as? String,
                      let year = body["year"] as? Int, let count = body["count"] as? Int
                else { throw NumberingAuthority.Refusal(message: "send {\"box\", \"book\", \"year\", \"count\"}") }
                let grant = try await numbering.grant(
                    box: box, book: book, year: year, count: count, requestID: body["requestID"] as? String)
                return ["book": grant.book, "year": grant.year, "first": grant.first, "last": grant.last,
                        "grantedAt": grant.grantedAt]
            }
        }
        router.post("/arrivals") { request, _ in
            try await leaseRequest(request) { body in
                guard let book = body["book"] as? String, let year = body["year"] as? Int else {
                    throw NumberingAuthority.Refusal(message: "send {\"book\", \"year\", \"reference\"}")
                }
                let arrival = try await numbering.arrive(book: book, year: year, reference: body["reference"] as? String ?? "")
                return ["book": arrival.book, "year": arrival.year, "number": arrival.number, "reference": arrival.reference]
            }
        }
        router.post("/confirmations") { request, _ in
            try await leaseRequest(request) { body in
                guard let box = body["box"] as? String, let book = body["book"] as? String,
                      let year = body["year"] as? Int, let entries = body["entries"] as? [[String: Any]]
                else { throw NumberingAuthority.Refusal(message: "send {\"box\", \"book\", \"year\", \"entries\": [{\"provisional\", \"arrivedAt\"}]}") }
                let pairs = try entries.map { entry -> (provisional: String, arrivedAt: String) in
                    guard let provisional = entry["provisional"] as? String else {
                        throw NumberingAuthority.Refusal(message: "every entry needs \"provisional\"")
                    }
                    return (provisional, entry["arrivedAt"] as? String ?? "")
                }
                let answers = try await numbering.confirm(box: box, book: book, year: year, entries: pairs)
                return ["book": book, "year": year,
                        "confirmations": answers.map { ["provisional": $0.provisional, "number": $0.number] }]
            }
        }
        router.get("/leases") { request, _ in
            guard authorised(request) else { return unauthorised() }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(await numbering.state)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    /// Authorised JSON object in, JSON object out; a refusal is 400 naming what is wrong, a
    /// storage failure 507 (nothing was granted).
    private func leaseRequest(
        _ request: Request, _ handle: ([String: Any]) async throws -> [String: Any]
    ) async throws -> Response {
        guard authorised(request) else { return unauthorised() }
        let buffer = try await request.body.collect(upTo: 1024 * 1024)
        guard let body = (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] else {
            return json(400, ["error": "the body must be a JSON object"])
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
