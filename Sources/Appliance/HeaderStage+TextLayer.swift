import Foundation
import HeaderReading
import Imaging
import Stamping
import IntakeCore
import Logging
import Registry

extension HeaderStage {
    /// `[ocr] text_layer = "first-page"`: the words just read go over page 1 as invisible text
    /// (Imaging's `PDFTextLayer`, an incremental update), so the centre can search the PDF; the
    /// register records the new sha256 with an audit entry "text-layer". Only for plainly stored
    /// PDFs (a sealed file is never opened here). A layer that cannot be added leaves the file as
    /// it was and holds nothing: a journal warning.
    func addTextLayer(to document: RegisteredDocument, _ reading: HeaderReader.Reading, in context: ApplianceContext) {
        guard context.configuration.ocr.textLayer == .firstPage, document.storage == .plain, !document.path.isEmpty else { return }
        guard !reading.words.isEmpty, reading.width > 0, reading.height > 0 else {
            logger.info("no words read; no text layer", metadata: ["id": "\(document.id)"])
            return
        }
        let words = reading.words.map {
            TextLayerWord(text: $0.text, left: $0.left, top: $0.top, right: $0.right, bottom: $0.bottom)
        }
        let fontPath = context.configuration.stamp.fontPath
        let (width, height) = (reading.width, reading.height)
        do {
            var written = 0
            let updated = try context.register.updateFile(
                documentID: document.id, action: "text-layer", detail: ["page": "1", "words_read": String(words.count)]
            ) { path in
                let result = try PDFTextLayer.add(to: path, words: words, imageWidth: width, imageHeight: height, fontPath: fontPath)
                written = result.words
            }
            logger.info("text layer added to page 1", metadata: [
                "id": "\(document.id)", "words": "\(written)", "sha256": "\(updated.sha256)",
            ])
        } catch {
            let payload = ErrorPayload(error)
            logger.warning("text layer not added; the document goes on without it", metadata: [
                "id": "\(document.id)", "error": "\(payload.message)", "detail": "\(payload.detail)",
            ])
        }
    }
}

