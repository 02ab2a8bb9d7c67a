import Delivery
import Foundation
import IntakeCore
import IntakeDigest
import Registry
import Testing
@testable import Appliance
#if canImport(Glibc)
import Glibc
#endif

/// Whole system: the `intake deliver` binary uploads 20 MiB documents to a real tus server
/// (tuspyserver) through a link that resets every 2 MB, and is killed with SIGKILL in the middle
/// of PATCH requests again and again. Every file must arrive byte-identical, none twice, and the
/// bytes sent must stay within the file sizes plus one chunk per reset or kill, +10 %.
@Suite(.serialized) struct TusResumeSystemTests {
    static let long = ProcessInfo.processInfo.environment["INTAKE_LONG_TESTS"] == "1"

    @Test func largeUploadsSurviveKillsAndLinkResetsByteIdenticalAndWithinTheByteBound() throws {
        let environment = ProcessInfo.processInfo.environment
        let documents = environment["INTAKE_TUS_DOCUMENTS"].flatMap(Int.init) ?? (Self.long ? 20 : 3)
        let kills = environment["INTAKE_TUS_KILLS"].flatMap(Int.init) ?? (Self.long ? 20 : 4)
        let journal = environment["INTAKE_TUS_JOURNAL"]  // a file to append the delivering processes' journal to
        let size = 20 << 20
        let chunk = 1 << 20
        let dir = TemporaryDirectory()
        let tus = try TusServer(root: dir.path)
        let proxy = try LinkResettingProxy(upstreamPort: tus.port, resetEvery: 2_000_000, root: dir.path)
        defer { proxy.stop() }

        let configPath = dir.path + "/intake.toml"
        try """
        organisation_code = "000.00.00.H49"
        [paths]
        state_dir = "\(dir.path)/state"
        socket = "\(dir.path)/intake.sock"
        [[targets]]
        name = "tus"
        kind = "tus"
        url = "http://127.0.0.1:\(proxy.port)/files/"
        chunk_kib = \(chunk / 1024)
        connect_timeout_seconds = 2
        total_timeout_seconds = 60
        [retry]
        base_seconds = 0.05
        cap_seconds = 0.2
        [disk]
        min_free_mb = 1
        [stamp]
        enabled = false                 # the payloads are random bytes, not PDFs to stamp

        """.write(toFile: configPath, atomically: true, encoding: .utf8)
        let context = try ApplianceContext(configuration: try ConfigurationLoader.load(path: configPath), buildYear: 2026)
        var registered: [RegisteredDocument] = []
        var generator = SplitMix64(seed: UInt64(Date().timeIntervalSince1970))
        for _ in 0..<documents {
            let staged = context.configuration.paths.stagingDirectory + "/\(UUID().uuidString).pdf"
            try Data(generator.bytes(size)).write(to: URL(fileURLWithPath: staged))
            registered.append(try context.register.register(NewDocument(profile: "default", pages: 1, stagedFile: staged, targets: ["tus"])))
        }

        // Deliver, killing the delivering process mid-PATCH `kills` times, then let it finish.
        var killed = 0
        var runs = 0
        let deadline = Date().addingTimeInterval(Self.long ? 3600 : 900)
        let started = Date()
        while (try context.register.queueCounts()[.delivered] ?? 0) < documents && Date() < deadline {
            runs += 1
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Products.intake)
            process.arguments = ["deliver", "--all", "--config", configPath] + (journal == nil ? [] : ["--verbose"])
            process.standardOutput = FileHandle.nullDevice
            process.standardError = journal.flatMap { path -> FileHandle? in
                if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
                let handle = FileHandle(forWritingAtPath: path)
                handle?.seekToEndOfFile()
                return handle
            } ?? FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            let before = proxy.bytesUp
            try process.run()
            if killed < kills {
                let target = before + Int.random(in: 300_000...5_000_000)
                let limit = Date().addingTimeInterval(60)
                while process.isRunning && proxy.bytesUp < target && Date() < limit { Thread.sleep(forTimeInterval: 0.01) }
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    killed += 1
                }
                process.waitUntilExit()
                // The upload in flight had its URL in the register before its first PATCH.
                for (id, upload) in tus.uploads() where upload.offset > 0 && upload.offset < upload.size {
                    let states = try context.register.queue().compactMap { try context.register.transferState(outboxID: $0.id) }
                    #expect(states.contains { $0.hasSuffix("/files/\(id)") }, "upload \(id) has bytes but the register does not know its URL")
                }
            } else {
                let limit = Date().addingTimeInterval(600)
                while process.isRunning && Date() < limit { Thread.sleep(forTimeInterval: 0.05) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
            }
        }
        let seconds = Date().timeIntervalSince(started)
        #expect(killed == kills)
        #expect(try context.register.queueCounts()[.delivered] == documents)

        // Byte-identical, exactly once.
        let completed = tus.completed()
        for document in registered {
            let arrivals = completed.filter { $0.metadata["document_id"] == document.id }
            #expect(arrivals.count == 1, "\(document.id) arrived \(arrivals.count) times")
            if let arrival = arrivals.first {
                #expect(try FileDigest.sha256(path: arrival.path) == document.sha256)
                #expect(arrival.metadata["sha256"] == document.sha256)
                #expect(arrival.metadata["so_den"] == String(document.number))
            }
        }
        #expect(completed.count == documents)
        let partials = tus.uploads().filter { $0.value.offset > 0 && $0.value.offset < $0.value.size }
        #expect(partials.isEmpty, "uploads left half-sent: \(partials)")

        let payload = Double(documents * size)
        let interruptions = proxy.resets + killed
        let bound = (payload + Double(chunk * interruptions)) * 1.10
        let ratio = Double(proxy.bytesUp) / payload
        print(String(format: "FIGURE tus resumed upload: %d files x 20 MiB, %d kill -9, %d link resets, %d runs, %.0f s: bytes sent / file bytes = %.4f (bound %.4f)",
                     documents, killed, proxy.resets, runs, seconds, ratio, bound / payload))
        #expect(Double(proxy.bytesUp) <= bound)
    }
}
