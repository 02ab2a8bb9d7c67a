import Foundation
import Imaging
import Stamping
import Registry
import Testing
@testable import Appliance

/// A provisional number (T-1) stamped, the header's text layer added through the register, then
/// the centre's number confirmed: the restamp keeps the layer and the register hashes the result.
@Suite struct TextLayerRestampTests {
    @Test func confirmingATNumberAfterTheTextLayerKeepsTheLayerAndRecordsTheFinalFile() throws {
        let dir = TemporaryDirectory()
        let staged = dir.path + "/scan.pdf"
        var pixels = [UInt8](repeating: 235, count: 1654 * 2339 * 3)
        for i in stride(from: 0, to: 600 * 3, by: 3) { pixels[(400 * 1654 + 200) * 3 + i] = 20 }
        let raster = Raster(width: 1654, height: 2339, bitsPerSample: 8, samplesPerPixel: 3, xResolution: 200, yResolution: 200, pixels: pixels)
        let writer = try PDFWriter(path: staged, metadata: PDFMetadata(title: "Văn bản đến"))
        try writer.add(try PageEncoder.encode(raster))
        try writer.finish()

        var configuration = RegisterConfiguration(organisationCode: "000.00.00.H49", buildYear: 2026, documentsDirectory: dir.path + "/documents")
        configuration.numbering = .leased
        var register = try Register(path: dir.path + "/register.sqlite", configuration: configuration, clock: ManualClock())
        register.stamper = PDFArrivalStamper(organisation: "Văn phòng thử nghiệm")
        let document = try register.register(NewDocument(profile: "default", pages: 1, stagedFile: staged, targets: ["central"]))
        #expect(document.numberText == "T-1")

        let words = [TextLayerWord(text: "QUYẾT", left: 200, top: 600, right: 420, bottom: 660),
                     TextLayerWord(text: "ĐỊNH", left: 440, top: 600, right: 620, bottom: 660)]
        let layered = try register.updateFile(documentID: document.id, action: "text-layer", detail: ["page": "1"]) { path in
            try PDFTextLayer.add(to: path, words: words, imageWidth: 1654, imageHeight: 2339)
        }
        let confirmed = try register.confirmProvisional(book: "DEN", year: 2026, seq: 1, finalNumber: 7)
        let run = DocumentOfRecordTests().run
        let text = try run("pdftotext", ["-f", "1", "-l", "1", confirmed.path, "-"]).output
        #expect(text.contains("Số: 7") && !text.contains("T-1") && text.contains("QUYẾT ĐỊNH"), "\(text)")
        let check = try run("qpdf", ["--check", confirmed.path])
        #expect(check.status == 0 && !check.output.contains("WARNING"), "\(check.output)")
        let sum = try run("sha256sum", [confirmed.path]).output.split(separator: " ").first.map(String.init)
        #expect(confirmed.sha256 != layered.sha256 && sum == confirmed.sha256)
    }
}
