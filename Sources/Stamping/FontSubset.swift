internal import CHarfBuzz
internal import Foundation
internal import Imaging

/// A TrueType font cut down by HarfBuzz's subsetter to the characters one stamp uses, with the
/// metrics a PDF CIDFontType2 needs. The one Swift file that calls HarfBuzz.
///
/// Glyph ids are those of the subset font (HarfBuzz renumbers them); they are read back from the
/// subset's own `cmap`, so the ids written in the content stream always match the embedded font.
struct FontSubset {
    /// The subset font file, embedded as /FontFile2.
    let data: [UInt8]
    /// Glyph id in `data` for each character that has one.
    let glyphs: [Unicode.Scalar: UInt16]
    /// Advance widths in thousandths of an em, by glyph id.
    let advances: [UInt16: Int]
    /// Font bounding box, ascender and descender in thousandths of an em.
    let boundingBox: (Int, Int, Int, Int)
    let ascent: Int
    let descent: Int
    /// PostScript name of the original font, e.g. "DejaVuSans".
    let postScriptName: String

    init(fontPath: String, characters: Set<Unicode.Scalar>) throws {
        guard let source = hb_blob_create_from_file_or_fail(fontPath) else {
            throw ImagingError.font("cannot read font file \(fontPath)")
        }
        defer { hb_blob_destroy(source) }
        let face = hb_face_create(source, 0)
        defer { hb_face_destroy(face) }
        guard hb_face_get_glyph_count(face) > 0 else {
            throw ImagingError.font("\(fontPath) is not a TrueType/OpenType font")
        }
        postScriptName = Self.postScriptName(face) ?? "Font"

        guard let input = hb_subset_input_create_or_fail() else { throw ImagingError.font("hb_subset_input_create_or_fail") }
        defer { hb_subset_input_destroy(input) }
        let unicodes = hb_subset_input_unicode_set(input)
        for scalar in characters { hb_set_add(unicodes, scalar.value) }
        // Hinting is for screens at small sizes; a stamp is printed and zoomed, and the
        // instructions are a large part of DejaVu's glyph data.
        hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING.rawValue)
        guard let subsetFace = hb_subset_or_fail(face, input) else {
            throw ImagingError.font("HarfBuzz could not subset \(fontPath) to \(characters.count) characters")
        }
        defer { hb_face_destroy(subsetFace) }
        let blob = hb_face_reference_blob(subsetFace)
        defer { hb_blob_destroy(blob) }
        var length: UInt32 = 0
        guard let bytes = hb_blob_get_data(blob, &length), length > 0 else {
            throw ImagingError.font("HarfBuzz returned an empty subset of \(fontPath)")
        }
        data = bytes.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { Array(UnsafeBufferPointer(start: $0, count: Int(length))) }

        // Read the metrics back from the subset exactly as a PDF reader will see it.
        let packed = data.withUnsafeBufferPointer { buffer in
            hb_blob_create(UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self), UInt32(buffer.count),
                           HB_MEMORY_MODE_DUPLICATE, nil, nil)
        }
        defer { hb_blob_destroy(packed) }
        let subset = hb_face_create(packed, 0)
        defer { hb_face_destroy(subset) }
        let font = hb_font_create(subset)
        defer { hb_font_destroy(font) }
        let upem = Double(max(1, hb_face_get_upem(subset)))
        hb_font_set_scale(font, Int32(upem), Int32(upem))
        func thousandths(_ value: Int32) -> Int { Int((Double(value) * 1000 / upem).rounded()) }

        var glyphs: [Unicode.Scalar: UInt16] = [:]
        var advances: [UInt16: Int] = [:]
        for scalar in characters {
            var glyph: hb_codepoint_t = 0
            guard hb_font_get_nominal_glyph(font, scalar.value, &glyph) != 0, glyph > 0, glyph <= 0xFFFF else { continue }
            glyphs[scalar] = UInt16(glyph)
            advances[UInt16(glyph)] = thousandths(hb_font_get_glyph_h_advance(font, glyph))
        }
        advances[0] = thousandths(hb_font_get_glyph_h_advance(font, 0))
        self.glyphs = glyphs
        self.advances = advances

        var extents = hb_font_extents_t()
        _ = hb_font_get_h_extents(font, &extents)
        ascent = thousandths(extents.ascender)
        descent = thousandths(extents.descender)
        boundingBox = Self.headBoundingBox(subset).map {
            (thousandths(Int32($0.0)), thousandths(Int32($0.1)), thousandths(Int32($0.2)), thousandths(Int32($0.3)))
        } ?? (0, descent, 1000, ascent)
    }

    /// xMin, yMin, xMax, yMax from the `head` table (font units).
    private static func headBoundingBox(_ face: OpaquePointer?) -> (Int16, Int16, Int16, Int16)? {
        let table = hb_face_reference_table(face, intake_hb_tag(0x68, 0x65, 0x61, 0x64))  // 'head'
        defer { hb_blob_destroy(table) }
        var length: UInt32 = 0
        guard let raw = hb_blob_get_data(table, &length), length >= 54 else { return nil }
        let bytes = UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self)
        func int16(_ at: Int) -> Int16 { Int16(bitPattern: UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1])) }
        return (int16(36), int16(38), int16(40), int16(42))
    }

    private static func postScriptName(_ face: OpaquePointer?) -> String? {
        var buffer = [CChar](repeating: 0, count: 128)
        var size = UInt32(buffer.count)
        let written = hb_ot_name_get_utf8(face, hb_ot_name_id_t(HB_OT_NAME_ID_POSTSCRIPT_NAME), nil, &size, &buffer)
        guard written > 0 else { return nil }
        let name = String(decoding: buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // A PDF name: keep it to the characters that need no escaping.
        let clean = name.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        return clean.isEmpty ? nil : clean
    }
}
