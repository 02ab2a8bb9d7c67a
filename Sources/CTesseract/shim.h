#ifndef INTAKE_CTESSERACT_SHIM_H
#define INTAKE_CTESSERACT_SHIM_H

#include <stdlib.h>
#include <tesseract/capi.h>

/// One recognised text line of the header band: its text (UTF-8, caller frees with
/// intake_ocr_free_text), its confidence 0–100 and its box in pixels.
typedef struct {
    char *text;
    float confidence;
    int left, top, right, bottom;
} intake_ocr_line;

/// Recognises an 8-bit gray image (one byte per pixel, `stride` bytes per row) with the model
/// `language` in `datapath` (NULL: Tesseract's default). Fills at most `capacity` lines; returns
/// how many, or -1 when the model cannot be loaded. Tesseract's iterator and enums stay here.
static inline int intake_ocr_lines(const char *datapath, const char *language, const unsigned char *pixels,
                                   int width, int height, int stride, intake_ocr_line *lines, int capacity) {
    TessBaseAPI *api = TessBaseAPICreate();
    if (TessBaseAPIInit3(api, datapath, language) != 0) {
        TessBaseAPIDelete(api);
        return -1;
    }
    TessBaseAPISetPageSegMode(api, PSM_AUTO);
    TessBaseAPISetVariable(api, "user_defined_dpi", "300");
    TessBaseAPISetVariable(api, "debug_file", "/dev/null");
    TessBaseAPISetImage(api, pixels, width, height, 1, stride);
    int count = 0;
    if (TessBaseAPIRecognize(api, NULL) == 0) {
        TessResultIterator *it = TessBaseAPIGetIterator(api);
        if (it != NULL) {
            do {
                char *text = TessResultIteratorGetUTF8Text(it, RIL_TEXTLINE);
                if (text == NULL) continue;
                if (count >= capacity) { TessDeleteText(text); break; }
                intake_ocr_line *line = &lines[count++];
                line->text = text;
                line->confidence = TessResultIteratorConfidence(it, RIL_TEXTLINE);
                TessPageIteratorBoundingBox(TessResultIteratorGetPageIteratorConst(it), RIL_TEXTLINE,
                                            &line->left, &line->top, &line->right, &line->bottom);
            } while (TessResultIteratorNext(it, RIL_TEXTLINE));
            TessResultIteratorDelete(it);
        }
    }
    TessBaseAPIEnd(api);
    TessBaseAPIDelete(api);
    return count;
}

static inline void intake_ocr_free_text(char *text) { TessDeleteText(text); }

#endif
