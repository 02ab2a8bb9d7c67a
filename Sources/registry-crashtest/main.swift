// registry-crashtest: registers documents in a loop until killed. The kill -9 test in
// RegistryTests starts it, kills it with SIGKILL at random moments, restarts it, and then
// checks the register: consecutive numbers, every gap a void with a reason, files and rows
// matching, audit chain intact.
//
// With --no-recover it skips start-up recovery, so several copies can register side by side
// (recovery must only run while nobody else is registering).
//
// usage: registry-crashtest <state-dir> [max-documents] [--no-recover]
import Foundation
import Registry

/// Unbuffered, so a killed child's output is complete up to the kill.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let noRecover = CommandLine.arguments.contains("--no-recover")
let arguments = CommandLine.arguments.filter { $0 != "--no-recover" }
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: registry-crashtest <state-dir> [max-documents] [--no-recover]\n".utf8))
    exit(2)
}
let stateDir = arguments[1]
let maxDocuments = arguments.count >= 3 ? Int(arguments[2]) ?? Int.max : Int.max
let staging = stateDir + "/staging"

do {
    try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
    let register = try Register(
        path: stateDir + "/register.sqlite",
        configuration: RegisterConfiguration(
            organisationCode: "000.00.00.H49", buildYear: 2024, documentsDirectory: stateDir + "/documents"),
        clock: SystemWallClock())
    if !noRecover {
        let report = try register.recover()
        say("recovered registered=\(report.registered.count) finished=\(report.finished.count) voided=\(report.voided.count)")
    }

    var generator = SystemRandomNumberGenerator()
    let pid = ProcessInfo.processInfo.processIdentifier
    for index in 0..<maxDocuments {
        let staged = "\(staging)/\(pid)-\(index).pdf"
        var body = Data("%PDF-1.4\n% crashtest \(pid) \(index)\n".utf8)
        body.append(contentsOf: (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) })
        body.append(contentsOf: "\n%%EOF\n".utf8)
        guard FileManager.default.createFile(atPath: staged, contents: body) else {
            throw CocoaError(.fileWriteUnknown)
        }
        let secrecy: Secrecy = index % 7 == 3 ? .mat : .none
        let urgency = Urgency.allCases[index % Urgency.allCases.count]
        let doc = try register.register(NewDocument(
            profile: "crashtest", urgency: urgency, secrecy: secrecy, pages: 1, stagedFile: staged,
            fields: RegisterFields(sender: "UBND tỉnh Thử nghiệm", summary: "Công văn thử số \(index)"),
            targets: secrecy.isClassified ? [] : ["central"]))
        if index % 11 == 5 {
            try register.void(book: doc.book, year: doc.year, number: doc.number, reason: "Quét hỏng, quét lại")
        }
        say("registered \(doc.book) \(doc.year) \(doc.number)")
    }
} catch {
    FileHandle.standardError.write(Data("registry-crashtest: \(error)\n".utf8))
    exit(1)
}
