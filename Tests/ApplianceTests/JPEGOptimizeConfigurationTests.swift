import Foundation
import Testing
@testable import Appliance
import Imaging
import PagePipeline

@Suite struct JPEGOptimizeConfigurationTests {
    static func withProfileLine(_ line: String) -> String {
        ConfigurationTests.valid.replacingOccurrences(of: "resolution = 300\n", with: "resolution = 300\n\(line)\n")
    }

    @Test func profilesUseTheTrainedTablesByDefault() throws {
        let profile = try #require(try ConfigurationLoader.parse(ConfigurationTests.valid, file: "t.toml").profiles["default"])
        #expect(profile.jpegOptimize == false)
        #expect(ScanRecipe(profile: profile).huffmanTables == .trained)
    }

    @Test func jpegOptimizeTrueKeepsPerPageOptimisedTablesAndIsPrintedBack() throws {
        let config = try ConfigurationLoader.parse(Self.withProfileLine("jpeg_optimize = true"), file: "t.toml")
        let profile = try #require(config.profiles["default"])
        #expect(profile.jpegOptimize)
        #expect(ScanRecipe(profile: profile).huffmanTables == .optimised)
        let reparsed = try ConfigurationLoader.parse(ConfigurationPrinter.render(config), file: "shown")
        #expect(reparsed.profiles["default"]?.jpegOptimize == true)
    }

    @Test func aJPEGOptimizeThatIsNotABooleanIsReportedWithItsLine() {
        do {
            _ = try ConfigurationLoader.parse(Self.withProfileLine("jpeg_optimize = \"yes\""), file: "t.toml")
            Issue.record("accepted jpeg_optimize = \"yes\"")
        } catch {
            #expect(error.description.contains("jpeg_optimize"), "\(error.description)")
        }
    }
}
