import Foundation
import Testing
@testable import Appliance

/// `[ocr]`: defaults, values, the resolved `enabled`, and every mistake named with its line.
@Suite struct OCRConfigurationTests {
    let head = "organisation_code = \"000.00.00.H49\"\n"

    @Test func withoutTheKeyOCRIsOnOnlyWhereIntakeOcrIsInstalledBesideIntake() throws {
        let config = try ConfigurationLoader.parse(head, file: "t.toml")
        // The tests run inside the test bundle, not a program named `intake`: off here.
        #expect(config.ocr.enabled == Configuration.OCR.isInstalled())
        #expect(config.ocr.enabled == false)
        #expect(config.ocr.fieldsTimeout == .seconds(5) && config.ocr.marksTimeout == .seconds(60) && config.ocr.band == 0.4)
        #expect(config.ocr.textLayer == .firstPage)
    }

    @Test func valuesAreReadAndShownBack() throws {
        let config = try ConfigurationLoader.parse(head + """
            [ocr]
            enabled = true
            fields_timeout_seconds = 3
            marks_timeout_seconds = 90
            band = 0.35
            binary = "/opt/intake/bin/intake-ocr"
            text_layer = "off"
            """, file: "t.toml")
        #expect(config.ocr.enabled && config.ocr.textLayer == .off)
        #expect(config.ocr.fieldsTimeout == .seconds(3) && config.ocr.marksTimeout == .seconds(90))
        #expect(config.ocr.band == 0.35 && config.ocr.binary == "/opt/intake/bin/intake-ocr")
        let shown = ConfigurationPrinter.ocrSection(config.ocr)
        let again = try ConfigurationLoader.parse(head + shown, file: "shown.toml")
        #expect(again.ocr == config.ocr)
    }

    @Test(arguments: [
        ("[ocr]\nenabled = \"yes\"\n", "ocr.enabled", "true or false"),
        ("[ocr]\nfields_timeout_seconds = 0\n", "ocr.fields_timeout_seconds", "out of range"),
        ("[ocr]\nband = 1.5\n", "ocr.band", "out of range"),
        ("[ocr]\nbinary = \"intake-ocr\"\n", "ocr.binary", "absolute path"),
        ("[ocr]\nfields_timeout_seconds = 30\nmarks_timeout_seconds = 10\n", "ocr.marks_timeout_seconds", "always waited for"),
        ("[ocr]\nenable = true\n", "ocr.enable", "did you mean 'enabled'"),
        ("[ocr]\ntext_layer = \"all\"\n", "ocr.text_layer", "\"first-page\" or \"off\""),
    ])
    func mistakesAreNamedWithTheirLine(_ text: String, _ key: String, _ words: String) {
        expectConfigurationProblem(head + text, key: key, words: words)
    }

    @Test func doctorFailsOCRThatWouldHoldEveryDocument() throws {
        var config = try ConfigurationLoader.parse(head + "[ocr]\nenabled = true\nbinary = \"/nonexistent/intake-ocr\"\n", file: "t.toml")
        let missing = Doctor.ocr(config)
        #expect(!missing.ok && missing.detail.contains("/nonexistent/intake-ocr") && missing.fix?.contains("enabled = false") == true)
        config.ocr.enabled = false
        #expect(Doctor.ocr(config).ok)
    }
}
