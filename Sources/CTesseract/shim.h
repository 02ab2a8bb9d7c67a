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

/// Fills at most `capacity` boxes of level `level` (RIL_TEXTLINE, RIL_WORD) from a recognised page.
static inline int intake_ocr_collect(TessBaseAPI *api, TessPageIteratorLevel level, intake_ocr_line *boxes, int capacity) {
    int count = 0;
    if (boxes == NULL || capacity <= 0) return 0;
    TessResultIterator *it = TessBaseAPIGetIterator(api);
    if (it == NULL) return 0;
    do {
        char *text = TessResultIteratorGetUTF8Text(it, level);
        if (text == NULL) continue;
        if (count >= capacity) { TessDeleteText(text); break; }
        intake_ocr_line *box = &boxes[count++];
        box->text = text;
        box->confidence = TessResultIteratorConfidence(it, level);
        TessPageIteratorBoundingBox(TessResultIteratorGetPageIteratorConst(it), level,
                                    &box->left, &box->top, &box->right, &box->bottom);
    } while (TessResultIteratorNext(it, level));
    TessResultIteratorDelete(it);
    return count;
}

/// Recognises an 8-bit gray image (one byte per pixel, `stride` bytes per row) with the model
/// `language` in `datapath` (NULL: Tesseract's default). Fills at most `capacity` lines and, when
/// `words` is not NULL, at most `wordCapacity` words (their count in `*wordCount`); returns how
/// many lines, or -1 when the model cannot be loaded. Tesseract's iterator and enums stay here.
static inline int intake_ocr_lines(const char *datapath, const char *language, const unsigned char *pixels,
                                   int width, int height, int stride, intake_ocr_line *lines, int capacity,
                                   intake_ocr_line *words, int wordCapacity, int *wordCount) {
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
    if (wordCount != NULL) *wordCount = 0;
    if (TessBaseAPIRecognize(api, NULL) == 0) {
        count = intake_ocr_collect(api, RIL_TEXTLINE, lines, capacity);
        // The words of the same recognition, with their boxes: the invisible text layer's input.
        if (wordCount != NULL) *wordCount = intake_ocr_collect(api, RIL_WORD, words, wordCapacity);
    }
    TessBaseAPIEnd(api);
    TessBaseAPIDelete(api);
    return count;
}

static inline void intake_ocr_free_text(char *text) { TessDeleteText(text); }

#endif
