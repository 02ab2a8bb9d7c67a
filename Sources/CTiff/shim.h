#ifndef INTAKE_CTIFF_SHIM_H
#define INTAKE_CTIFF_SHIM_H
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

// TIFFSetField is variadic; Swift never calls a variadic C function.
// One typed wrapper per argument type.
static inline int intake_tiff_set_u16(TIFF *t, uint32_t tag, uint16_t v) { return TIFFSetField(t, tag, v); }
static inline int intake_tiff_set_u32(TIFF *t, uint32_t tag, uint32_t v) { return TIFFSetField(t, tag, v); }
static inline int intake_tiff_set_double(TIFF *t, uint32_t tag, double v) { return TIFFSetField(t, tag, v); }
static inline int intake_tiff_set_string(TIFF *t, uint32_t tag, const char *v) { return TIFFSetField(t, tag, v); }
// Pseudo-tags such as TIFFTAG_JPEGQUALITY / TIFFTAG_JPEGCOLORMODE / TIFFTAG_ZIPQUALITY are read with va_arg(ap, int).
static inline int intake_tiff_set_int(TIFF *t, uint32_t tag, int v) { return TIFFSetField(t, tag, v); }
// TIFFTAG_PAGENUMBER takes two uint16 values (page, total; total 0 = unknown).
static inline int intake_tiff_set_u16_pair(TIFF *t, uint32_t tag, uint16_t a, uint16_t b) { return TIFFSetField(t, tag, a, b); }

// TIFFGetField is variadic too; typed getters. Return 1 when the tag is present.
static inline int intake_tiff_get_u16(TIFF *t, uint32_t tag, uint16_t *v) { return TIFFGetField(t, tag, v); }
static inline int intake_tiff_get_u32(TIFF *t, uint32_t tag, uint32_t *v) { return TIFFGetField(t, tag, v); }
// RATIONAL tags such as X/YResolution are returned as float in libtiff 4.
static inline int intake_tiff_get_float(TIFF *t, uint32_t tag, float *v) { return TIFFGetField(t, tag, v); }

// MARK: - Per-handle error capture
// libtiff reports errors through a printf-style callback (va_list), which Swift cannot
// implement. These handlers format the last error into a buffer owned by the Swift object
// that owns the TIFF handle (user_data), and keep warnings off stderr.
typedef struct intake_tiff_errbuf { char message[512]; } intake_tiff_errbuf;

static inline int intake_tiff_error_handler(TIFF *tif, void *user_data, const char *module, const char *fmt, va_list ap) {
    (void)tif;
    intake_tiff_errbuf *e = (intake_tiff_errbuf *)user_data;
    if (e == NULL) return 1;
    int n = 0;
    if (module != NULL) n = snprintf(e->message, sizeof e->message, "%s: ", module);
    if (n < 0 || (size_t)n >= sizeof e->message) n = 0;
    vsnprintf(e->message + n, sizeof e->message - (size_t)n, fmt, ap);
    return 1; // handled: do not also print to stderr
}
static inline int intake_tiff_warning_handler(TIFF *tif, void *user_data, const char *module, const char *fmt, va_list ap) {
    (void)tif; (void)user_data; (void)module; (void)fmt; (void)ap;
    return 1; // swallow warnings (unknown tags etc.); they are not actionable for a clerk
}
static inline TIFFOpenOptions *intake_tiff_options(intake_tiff_errbuf *err) {
    TIFFOpenOptions *o = TIFFOpenOptionsAlloc();
    if (o == NULL) return NULL;
    TIFFOpenOptionsSetErrorHandlerExtR(o, intake_tiff_error_handler, err);
    TIFFOpenOptionsSetWarningHandlerExtR(o, intake_tiff_warning_handler, err);
    return o;
}

// Open a file with error capture into err (which must outlive the handle).
static inline TIFF *intake_tiff_open(const char *path, const char *mode, intake_tiff_errbuf *err) {
    TIFFOpenOptions *o = intake_tiff_options(err);
    if (o == NULL) return NULL;
    TIFF *t = TIFFOpenExt(path, mode, o);
    TIFFOpenOptionsFree(o);
    return t;
}

// MARK: - In-memory TIFF (TIFFClientOpen callbacks)
// Lets the encoder produce a G4 strip without a temporary file. The buffer grows on write;
// for reading, data points at caller memory and owned is 0.
typedef struct intake_tiff_membuf {
    uint8_t *data;
    uint64_t size;
    uint64_t capacity;
    uint64_t pos;
    int owned;
} intake_tiff_membuf;

static inline tmsize_t intake_tiff_mem_read(thandle_t h, void *buf, tmsize_t n) {
    intake_tiff_membuf *m = (intake_tiff_membuf *)h;
    if (n <= 0 || m->pos >= m->size) return 0;
    uint64_t avail = m->size - m->pos;
    uint64_t k = (uint64_t)n < avail ? (uint64_t)n : avail;
    memcpy(buf, m->data + m->pos, (size_t)k);
    m->pos += k;
    return (tmsize_t)k;
}
static inline tmsize_t intake_tiff_mem_write(thandle_t h, void *buf, tmsize_t n) {
    intake_tiff_membuf *m = (intake_tiff_membuf *)h;
    if (n < 0 || !m->owned) return -1;
    uint64_t end = m->pos + (uint64_t)n;
    if (end > m->capacity) {
        uint64_t cap = m->capacity ? m->capacity : 65536;
        while (cap < end) cap *= 2;
        uint8_t *p = (uint8_t *)realloc(m->data, (size_t)cap);
        if (p == NULL) return -1;
        if (cap > m->size) memset(p + m->size, 0, (size_t)(cap - m->size));
        m->data = p;
        m->capacity = cap;
    }
    memcpy(m->data + m->pos, buf, (size_t)n);
    m->pos = end;
    if (end > m->size) m->size = end;
    return n;
}
static inline toff_t intake_tiff_mem_seek(thandle_t h, toff_t off, int whence) {
    intake_tiff_membuf *m = (intake_tiff_membuf *)h;
    uint64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? m->pos : m->size;
    m->pos = base + off;
    return m->pos;
}
static inline int intake_tiff_mem_close(thandle_t h) { (void)h; return 0; }
static inline toff_t intake_tiff_mem_size(thandle_t h) { return ((intake_tiff_membuf *)h)->size; }
static inline int intake_tiff_mem_map(thandle_t h, void **base, toff_t *size) { (void)h; (void)base; (void)size; return 0; }
static inline void intake_tiff_mem_unmap(thandle_t h, void *base, toff_t size) { (void)h; (void)base; (void)size; }

static inline TIFF *intake_tiff_mem_open(const char *mode, intake_tiff_membuf *m, intake_tiff_errbuf *err) {
    TIFFOpenOptions *o = intake_tiff_options(err);
    if (o == NULL) return NULL;
    TIFF *t = TIFFClientOpenExt("memory", mode, (thandle_t)m,
                                intake_tiff_mem_read, intake_tiff_mem_write, intake_tiff_mem_seek,
                                intake_tiff_mem_close, intake_tiff_mem_size,
                                intake_tiff_mem_map, intake_tiff_mem_unmap, o);
    TIFFOpenOptionsFree(o);
    return t;
}
static inline void intake_tiff_membuf_free(intake_tiff_membuf *m) {
    if (m->owned) free(m->data);
    m->data = NULL; m->size = m->capacity = m->pos = 0;
}
#endif
