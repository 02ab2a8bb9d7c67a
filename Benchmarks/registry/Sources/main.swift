// registry-bench: time to register one document (with fsync) and to export a large register.
//
// usage: registry-bench [work-dir] [registrations=1000] [export-entries=100000] [document-bytes]
// With document-bytes, each registered file is that many bytes of distinct random data behind a
// "%PDF-1.4" header (Benchmarks/run-all.sh fills a register this way for the upload drain);
// without it, every file is the same 200 kB.
import Foundation
import Registry
import Reports
import ReportsPDF

let arguments = CommandLine.arguments
let work = arguments.count > 1 ? arguments[1] : NSTemporaryDirectory() + "registry-bench-\(getpid())"
let registrations = arguments.count > 2 ? Int(arguments[2]) ?? 1000 : 1000
let entries = arguments.count > 3 ? Int(arguments[3]) ?? 100_000 : 100_000
let documentBytes = arguments.count > 4 ? Int(arguments[4]) : nil

/// Distinct PDF-like contents: a header, then random bytes.
func randomDocument(_ count: Int) -> Data {
    var generator = SystemRandomNumberGenerator()
    var data = Data("%PDF-1.4\n".utf8)
    var words = [UInt64](repeating: 0, count: max(0, count - data.count + 7) / 8)
    for index in words.indices { words[index] = generator.next() }
    words.withUnsafeBytes { data.append(contentsOf: $0.prefix(max(0, count - data.count))) }
    return data
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func peakRSSMiB() -> String {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM") })
    else { return "?" }
    return line.split(separator: " ").dropFirst().joined(separator: " ")
}

do {
    try? FileManager.default.removeItem(atPath: work)
    try FileManager.default.createDirectory(atPath: work + "/staging", withIntermediateDirectories: true)
    let register = try Register(
        path: work + "/register.sqlite",
        configuration: RegisterConfiguration(
            organisationCode: "000.00.00.H49", buildYear: 2024, documentsDirectory: work + "/documents"),
        clock: SystemWallClock())

    // MARK: - register latency
    let body = Data(repeating: 0x41, count: 200_000)
    var times: [Double] = []
    for index in 0..<registrations {
        let staged = "\(work)/staging/\(index).pdf"
        _ = FileManager.default.createFile(atPath: staged, contents: documentBytes.map(randomDocument) ?? body)
        let doc = NewDocument(
            profile: "bench", urgency: index % 10 == 0 ? .hoaToc : .normal, pages: 3, stagedFile: staged,
            fields: RegisterFields(sender: "Sở Tài chính", summary: "Công văn về việc hướng dẫn số \(index)"),
            targets: ["central"])
        times.append(try seconds { _ = try register.register(doc) })
    }
    times.sort()
    let mean = times.reduce(0, +) / Double(times.count)
    print(String(format: "register: n=%d (%d kB PDF each, fsync)  p50 %.2f ms  p99 %.2f ms  mean %.2f ms  max %.2f ms",
                 times.count, (documentBytes ?? body.count) / 1000, percentile(times, 0.5) * 1000, percentile(times, 0.99) * 1000, mean * 1000,
                 (times.last ?? 0) * 1000))

    // MARK: - export
    var docs: [RegisteredDocument] = []
    docs.reserveCapacity(entries)
    let start = Date(timeIntervalSince1970: 1_767_200_400)  // 2026-01-01 00:00 +07
    let perEntry = 365 * 86_400.0 / Double(max(1, entries))
    for index in 0..<entries {
        let urgency: Urgency = index % 50 == 0 ? .hoaToc : (index % 9 == 0 ? .khan : .normal)
        docs.append(RegisteredDocument(
            id: "000.00.00.H49-DEN-2026-\(index + 1)-bench", book: "DEN", year: 2026, number: index + 1,
            arrivedAt: start.addingTimeInterval(Double(index) * perEntry), pages: 2, sha256: "", path: "",
            profile: "bench", urgency: urgency, secrecy: .none,
            fields: RegisterFields(
                sender: "Ủy ban nhân dân tỉnh Hà Giang", notation: "\(index % 900 + 1)/UBND-KT",
                documentDate: "12/03/2026",
                summary: "Công văn về việc triển khai thực hiện kế hoạch cải cách hành chính năm 2026 số \(index)",
                recipient: "Phòng Tổng hợp", forwardedDate: "13/03/2026", notes: nil),
            state: index % 500 == 7 ? .voided : .registered, voidReason: index % 500 == 7 ? "Quét hỏng" : nil))
    }
    let csvPath = work + "/register.csv"
    let pdfPath = work + "/register.pdf"
    let book = PrintedBook(organisation: "UBND TỈNH HÀ GIANG", code: docs.first?.book ?? "DEN", classified: false)
    let csvTime = try seconds { try RegisterExport.csv(docs, book: book, to: csvPath) }
    let pdfTime = try seconds { try RegisterExport.pdf(docs, book: book, to: pdfPath) }
    func size(_ path: String) -> String {
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        return String(format: "%.1f MB", Double(bytes) / 1e6)
    }
    print(String(format: "export: %d entries  CSV %.2f s (%@)  PDF %.1f s (%@)  peak RSS %@",
                 entries, csvTime, size(csvPath), pdfTime, size(pdfPath), peakRSSMiB()))
} catch {
    FileHandle.standardError.write(Data("registry-bench: \(error)\n".utf8))
    exit(1)
}
