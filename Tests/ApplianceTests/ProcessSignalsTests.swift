import ArgumentParser
import Testing
@testable import IntakeCLI

/// The daemon's signals are blocked because the parsed command asks for it, not because
/// argv[1] is spelt "serve".
@Suite struct ProcessSignalsTests {
    @Test func theServeCommandAsksForTheProcessSignals() throws {
        let serve = try Intake.parseAsRoot(["serve", "--config", "/etc/intake/intake.toml"])
        #expect(serve is any TakesProcessSignals)
        #expect(serve is Intake.Serve)
    }

    @Test(arguments: [["status"], ["doctor"], ["scan", "--output", "/tmp/out.pdf"], ["queue", "list"]])
    func otherCommandsLeaveTheSignalsAlone(_ arguments: [String]) throws {
        let command = try Intake.parseAsRoot(arguments)
        #expect(!(command is any TakesProcessSignals))
    }
}
