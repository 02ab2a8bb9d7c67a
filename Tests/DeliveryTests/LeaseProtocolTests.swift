import Delivery
import Foundation
import Testing

/// The numbering authority of the real intake-receiver, through `LeaseClient` over CurlTransport.
@Suite(.serialized)
struct LeaseProtocolTests {
    func client(_ receiver: ReceiverProcess, box: String = "box-a", token: String? = nil) throws -> LeaseClient {
        LeaseClient(baseURL: receiver.url, box: box, token: token ?? receiver.token, transport: try CurlTransport())
    }

    func arrival(_ receiver: ReceiverProcess, reference: String) async throws -> Int {
        let response = try await CurlTransport().perform(HTTPRequest(
            method: "POST", url: receiver.url + "/arrivals",
            headers: [.init(name: "Authorization", value: "Bearer \(receiver.token)")],
            body: .bytes(Array(#"{"book":"DEN","year":2026,"reference":"\#(reference)"}"#.utf8))))
        try #require(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        return try #require(object["number"] as? Int)
    }

    @Test func blocksArrivalsAndConfirmationsShareOneSequenceAcrossARestart() async throws {
        var receiver = try ReceiverProcess()
        let lease = try await client(receiver).requestLease(book: "DEN", year: 2026, count: 20, requestID: "r1")
        #expect(lease.first == 1 && lease.last == 20)
        // The same request again (answer lost) gets the same block, not a hole in the book.
        #expect(try await client(receiver).requestLease(book: "DEN", year: 2026, count: 20, requestID: "r1") == lease)
        #expect(try await arrival(receiver, reference: "e-1") == 21)
        let confirmed = try await client(receiver).confirm(
            book: "DEN", year: 2026, entries: [("T-1", "2026-03-10T09:00:00+07:00"), ("T-2", "2026-03-10T09:05:00+07:00")])
        #expect(confirmed.map(\.number) == [22, 23])
        #expect(confirmed.map(\.provisional) == ["T-1", "T-2"])

        receiver.keepStore = true
        let directory = receiver.directory
        receiver.stop()
        receiver = try ReceiverProcess(directory: directory)
        // Durable: a replayed confirmation answers the same numbers; new numbers continue after 23.
        #expect(try await client(receiver).confirm(book: "DEN", year: 2026, entries: [("T-1", ""), ("T-2", "")]).map(\.number) == [22, 23])
        #expect(try await arrival(receiver, reference: "e-2") == 24)
        let second = try await client(receiver).requestLease(book: "DEN", year: 2026, count: 5, requestID: "r2")
        #expect(second.first == 25 && second.last == 29)
        // Another box's T-1 is its own entry.
        #expect(try await client(receiver, box: "box-b").confirm(book: "DEN", year: 2026, entries: [("T-1", "")]).map(\.number) == [30])
        receiver.keepStore = false
    }

    @Test func badRequestsAreRefusedWithTheReasonAndGrantNothing() async throws {
        let receiver = try ReceiverProcess()
        await #expect { try await client(receiver).requestLease(book: "DEN", year: 2026, count: 0, requestID: "x") } throws: {
            ($0 as? LeaseClientError)?.code == .refused && ($0 as? LeaseClientError)?.status == 400
        }
        await #expect { try await client(receiver).confirm(book: "DEN", year: 2026, entries: [("12", "")]) } throws: {
            ($0 as? LeaseClientError)?.message.contains("T-1") == true
        }
        await #expect { try await client(receiver, token: "wrong").requestLease(book: "DEN", year: 2026, count: 5, requestID: "y") } throws: {
            ($0 as? LeaseClientError)?.status == 401
        }
        #expect(try await arrival(receiver, reference: "first") == 1, "nothing was granted by the refused requests")
    }

    @Test func anUnreachableCentreIsUnreachableNotRefused() async throws {
        let client = LeaseClient(baseURL: "http://127.0.0.1:9", box: "b", token: nil, transport: try CurlTransport())
        await #expect { try await client.requestLease(book: "DEN", year: 2026, count: 5, requestID: "z") } throws: {
            ($0 as? LeaseClientError)?.code == .unreachable
        }
    }
}
