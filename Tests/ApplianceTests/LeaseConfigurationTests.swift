import Foundation
import Registry
import Testing
@testable import Appliance

@Suite struct LeaseConfigurationTests {
    func issues(_ text: String) -> [String] {
        do {
            _ = try ConfigurationLoader.parse(text, file: "t.toml")
            return []
        } catch {
            return error.issues.map { "\($0.key): \($0.message)" }
        }
    }

    static let leased = ConfigurationTests.valid + "\nnumbering_authority = true\n\n[books]\nnumbering = \"leased\"\nlease_minimum = 5\n"

    @Test func leasedNumberingWithOneHTTPAuthorityIsReadAndReachesTheRegister() throws {
        let config = try ConfigurationLoader.parse(Self.leased, file: "t.toml")
        #expect(config.books.numbering == .leased)
        #expect(config.books.leaseMinimum == 5)
        #expect(config.targets.first?.numberingAuthority == true)
        #expect(ApplianceContext.registerConfiguration(config, buildYear: 2026).numbering == .leased)
        #expect(ApplianceContext.registerConfiguration(try ConfigurationLoader.parse(ConfigurationTests.valid, file: "t.toml"),
                                                       buildYear: 2026).numbering == .local)
    }

    @Test func leasedWithoutAnAuthorityOrWithTwoIsRefused() {
        let none = issues(ConfigurationTests.valid + "\n[books]\nnumbering = \"leased\"\n")
        #expect(none.contains { $0.hasPrefix("books.numbering") && $0.contains("numbering_authority = true") }, "\(none)")
        let two = issues(Self.leased + """

            [[targets]]
            name = "second"
            kind = "http"
            url = "http://127.0.0.1:8089"
            numbering_authority = true
            """)
        #expect(two.contains { $0.contains("exactly one target") }, "\(two)")
    }

    @Test func anAuthorityWithLocalNumberingOrAnUnknownModeIsRefused() {
        let local = issues(ConfigurationTests.valid + "\nnumbering_authority = true\n")
        #expect(local.contains { $0.contains("numbering_authority") && $0.contains("leased") }, "\(local)")
        let unknown = issues(ConfigurationTests.valid + "\n[books]\nnumbering = \"centre\"\n")
        #expect(unknown.contains { $0.hasPrefix("books.numbering") }, "\(unknown)")
    }
}
