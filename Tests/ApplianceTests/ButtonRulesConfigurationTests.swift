import Foundation
import Scanning
import Testing
@testable import Appliance

struct ButtonRulesConfigurationTests {
    private func config(_ extra: String) throws(ConfigurationError) -> Configuration {
        try ConfigurationLoader.parse(ConfigurationTests.valid.replacingOccurrences(of: "name = \"test:0\"\n", with: "name = \"test:0\"\n" + extra), file: "t.toml")
    }

    @Test func perBackendButtonRulesAreReadAndPrintedBack() throws {
        let c = try config("""
        [device.buttons.pixma]
        watch = ["button-1", "button-2"]
        refresh = "button-update"
        [device.buttons.fujitsu]
        ignore = ["function"]

        """)
        #expect(c.device.buttonMap(forDevice: "pixma:04A9176C_123456") == ButtonMap(watch: ["button-1", "button-2"], refresh: "button-update"))
        #expect(c.device.buttonMap(forDevice: "fujitsu:fi-7160:1") == ButtonMap(ignore: ["function"]))
        #expect(c.device.buttonMap(forDevice: "test:0") == ButtonMap())
        let printed = ConfigurationPrinter.render(c)
        #expect(printed.contains("[device.buttons.pixma]\nwatch = [\"button-1\", \"button-2\"]"))
        #expect(try ConfigurationLoader.parse(printed, file: "printed.toml").device.buttons == c.device.buttons)
    }

    @Test func aButtonRuleThatIsNotAListOfNamesIsRefusedWithItsLine() {
        do {
            _ = try config("""
            [device.buttons.pixma]
            watch = "button-1"
            wach = ["x"]

            """)
            Issue.record("accepted a bad button rule")
        } catch {
            let text = "\(error)"
            #expect(text.contains("device.buttons.pixma.watch"))
            #expect(text.contains("did you mean 'watch'"))
        }
    }
}
