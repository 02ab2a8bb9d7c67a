import IntakeCore
import Reports
internal import CPangoCairo

/// Owns one cairo PDF surface and its drawing context; pages stream to the file at `showPage`.
final class CairoPDF {
    let surface: OpaquePointer
    let context: OpaquePointer
    let path: String

    init(path: String, width: Double, height: Double) throws {
        guard let surface = cairo_pdf_surface_create(path, width, height) else {
            throw ReportError(.cairo, "Không tạo được tệp PDF.", detail: "cairo_pdf_surface_create(\(path)) returned nil")
        }
        guard let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw ReportError(.cairo, "Không tạo được tệp PDF.", detail: "cairo_create returned nil")
        }
        self.surface = surface
        self.context = context
        self.path = path
        try check("create")
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// Turns cairo's sticky error status into a thrown error.
    func check(_ step: String) throws {
        let status = cairo_status(context) == CAIRO_STATUS_SUCCESS ? cairo_surface_status(surface) : cairo_status(context)
        guard status == CAIRO_STATUS_SUCCESS else {
            let reason = cairo_status_to_string(status).map { String(cString: $0) } ?? "status \(status.rawValue)"
            throw ReportError(.cairo, "Không ghi được tệp PDF (đĩa đầy?).", detail: "cairo \(step) \(path): \(reason)")
        }
    }

    func showPage() throws {
        cairo_show_page(context)
        try check("show_page")
    }

    func finish() throws {
        cairo_surface_finish(surface)
        try check("finish")
    }

    // MARK: - drawing

    func rectangle(x: Double, y: Double, width: Double, height: Double, fill: Double? = nil) {
        cairo_rectangle(context, x, y, width, height)
        if let fill {
            cairo_set_source_rgb(context, fill, fill, fill)
            cairo_fill_preserve(context)
            cairo_set_source_rgb(context, 0, 0, 0)
        }
        cairo_set_line_width(context, 0.5)
        cairo_stroke(context)
    }

    func moveTo(x: Double, y: Double) {
        cairo_move_to(context, x, y)
    }
}

/// Owns one pango layout (and its font description) drawing into a `CairoPDF`.
final class PangoText {
    private let layout: OpaquePointer
    private let font: OpaquePointer
    private unowned let canvas: CairoPDF

    /// `width` in points wraps text by words (or characters for very long words); nil: no wrap.
    init(canvas: CairoPDF, font name: String, width: Double?, maxLines: Int32 = 30) throws {
        guard let layout = pango_cairo_create_layout(canvas.context) else {
            throw ReportError(.cairo, "Không tạo được tệp PDF.", detail: "pango_cairo_create_layout returned nil")
        }
        guard let font = pango_font_description_from_string(name) else {
            g_object_unref(UnsafeMutableRawPointer(layout))
            throw ReportError(.cairo, "Không tạo được tệp PDF.", detail: "no font description for \(name)")
        }
        self.layout = layout
        self.font = font
        self.canvas = canvas
        pango_layout_set_font_description(layout, font)
        if let width {
            pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
            pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
            pango_layout_set_height(layout, -maxLines)
        }
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(layout))
        pango_font_description_free(font)
    }

    func setText(_ text: String) {
        pango_layout_set_text(layout, text, -1)
    }

    func setAlignment(centre: Bool) {
        pango_layout_set_alignment(layout, centre ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT)
    }

    /// Size of the laid-out text in points.
    var size: (width: Double, height: Double) {
        var width: Int32 = 0
        var height: Int32 = 0
        pango_layout_get_pixel_size(layout, &width, &height)
        return (Double(width), Double(height))
    }

    func draw(x: Double, y: Double) {
        canvas.moveTo(x: x, y: y)
        pango_cairo_show_layout(canvas.context, layout)
    }
}
