#ifndef INTAKE_CJPEG_SHIM_H
#define INTAKE_CJPEG_SHIM_H
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

// libjpeg reports fatal errors by calling error_exit, which must not return. The only sound
// way to recover is longjmp back to a setjmp frame that is still live. Swift cannot call
// setjmp (a function that returns twice), and longjmp must never cross Swift frames. So each
// whole libjpeg session (create → use → destroy) runs inside ONE C function below, which owns
// its setjmp frame; error_exit formats the message and longjmps back into that function, which
// destroys the codec, frees any output and returns non-zero. Nothing Swift-side is unwound.
// State read after longjmp (cinfo, err, *out) is only ever modified through pointers handed to
// libjpeg, so it lives in memory, not registers — the pattern of libjpeg's own example.c; the
// plain scalars used after the jump (out, out_size, errbuf) are parameters never reassigned.

typedef struct intake_jpeg_error {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
} intake_jpeg_error;

static inline void intake_jpeg_error_exit(j_common_ptr cinfo) {
    intake_jpeg_error *e = (intake_jpeg_error *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, e->message);
    longjmp(e->jump, 1);
}
static inline void intake_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; } // keep stderr quiet

// An error manager that longjmps back to the caller's setjmp instead of exiting, and stays quiet.
static inline struct jpeg_error_mgr *intake_jpeg_errors(intake_jpeg_error *err) {
    memset(err, 0, sizeof *err);
    struct jpeg_error_mgr *manager = jpeg_std_error(&err->pub);
    err->pub.error_exit = intake_jpeg_error_exit;
    err->pub.output_message = intake_jpeg_output_message;
    return manager;
}

static inline void intake_jpeg_copy_error(const intake_jpeg_error *e, char *errbuf, size_t errlen) {
    if (errbuf != NULL && errlen > 0) { strncpy(errbuf, e->message, errlen - 1); errbuf[errlen - 1] = 0; }
}

// Hands the compressor its next rows: *rows points at *count whole rows of bytes_per_row bytes,
// valid until the next call. Returns 0, or non-zero when the rows cannot come (the caller keeps why).
typedef int (*intake_jpeg_rows_fn)(void *context, const unsigned char **rows, unsigned *count);

// One Huffman table as JPEG's DHT segment spells it.
typedef struct intake_jpeg_huffman { unsigned char bits[17]; unsigned char huffval[256]; } intake_jpeg_huffman;
// DC and AC tables for luminance (0) and chrominance (1).
typedef struct intake_jpeg_tables { intake_jpeg_huffman dc[2]; intake_jpeg_huffman ac[2]; } intake_jpeg_tables;

// The tables trained on document pages (Benchmarks/huffman/train.sh writes this header).
#include "trained_tables.h"
static inline const intake_jpeg_tables *intake_jpeg_trained_tables(void) { return &intake_trained_tables; }

enum { INTAKE_JPEG_STANDARD_TABLES = 0, INTAKE_JPEG_OPTIMISED_TABLES = 1, INTAKE_JPEG_GIVEN_TABLES = 2 };

static inline void intake_jpeg_set_table(j_compress_ptr cinfo, JHUFF_TBL **slot, const intake_jpeg_huffman *t) {
    if (*slot == NULL) *slot = jpeg_alloc_huff_table((j_common_ptr)cinfo);
    memcpy((*slot)->bits, t->bits, sizeof t->bits);
    memcpy((*slot)->huffval, t->huffval, sizeof t->huffval);
    (*slot)->sent_table = FALSE;
}

// Takes the next bytes of the JPEG stream as libjpeg produces them. Returns 0, or non-zero when
// they cannot be taken (the caller keeps why); the compression then stops.
typedef int (*intake_jpeg_emit_fn)(void *context, const unsigned char *bytes, size_t count);

// A destination that hands each full buffer (64 KiB) to emit as it fills, and the rest at the
// end: the stream leaves as it is made, no page is held whole. The buffer is malloc'd by
// init_destination and freed by the compress function, on success and after a longjmp alike.
typedef struct intake_jpeg_emit_dest {
    struct jpeg_destination_mgr pub;
    unsigned char *buffer;
    size_t size;
    intake_jpeg_emit_fn emit;
    void *context;
    int failed;
} intake_jpeg_emit_dest;

static inline void intake_jpeg_emit_init(j_compress_ptr cinfo) {
    intake_jpeg_emit_dest *d = (intake_jpeg_emit_dest *)cinfo->dest;
    d->size = 64 * 1024;
    d->buffer = (unsigned char *)malloc(d->size);
    if (d->buffer == NULL) { d->size = 0; ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 12); }
    d->pub.next_output_byte = d->buffer;
    d->pub.free_in_buffer = d->size;
}
static inline boolean intake_jpeg_emit_empty(j_compress_ptr cinfo) {
    intake_jpeg_emit_dest *d = (intake_jpeg_emit_dest *)cinfo->dest;
    // Called when the buffer is full (libjpeg ignores free_in_buffer here).
    if (d->emit(d->context, d->buffer, d->size) != 0) { d->failed = 1; ERREXIT(cinfo, JERR_FILE_WRITE); }
    d->pub.next_output_byte = d->buffer;
    d->pub.free_in_buffer = d->size;
    return TRUE;
}
static inline void intake_jpeg_emit_term(j_compress_ptr cinfo) {
    intake_jpeg_emit_dest *d = (intake_jpeg_emit_dest *)cinfo->dest;
    size_t used = d->size - d->pub.free_in_buffer;
    if (used > 0 && d->emit(d->context, d->buffer, used) != 0) { d->failed = 1; ERREXIT(cinfo, JERR_FILE_WRITE); }
}

// Compress interleaved 8-bit gray (components 1) or RGB (components 3) rows, pulled from fetch as
// they arrive, into a JFIF. table_mode: standard (Annex K) tables, tables optimised for
// this page (libjpeg then keeps the whole page's DCT coefficients), or the given tables.
// The stream goes to emit as it is made (context: emit_context). Returns 0 on success, 1 on a
// libjpeg error (message in errbuf), 2 when fetch failed, 3 when emit failed.
static inline int intake_jpeg_compress_rows(unsigned width, unsigned height, int components,
                                            size_t bytes_per_row, int quality, unsigned xdpi, unsigned ydpi,
                                            int table_mode, const intake_jpeg_tables *tables,
                                            intake_jpeg_rows_fn fetch, void *context,
                                            intake_jpeg_emit_fn emit, void *emit_context,
                                            char *errbuf, size_t errlen) {
    struct jpeg_compress_struct cinfo;
    intake_jpeg_error err;
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = intake_jpeg_errors(&err);
    intake_jpeg_emit_dest dest;
    memset(&dest, 0, sizeof dest);
    dest.pub.init_destination = intake_jpeg_emit_init;
    dest.pub.empty_output_buffer = intake_jpeg_emit_empty;
    dest.pub.term_destination = intake_jpeg_emit_term;
    dest.emit = emit;
    dest.context = emit_context;
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(dest.buffer);
        if (dest.failed) return 3;
        intake_jpeg_copy_error(&err, errbuf, errlen);
        return 1;
    }
    jpeg_create_compress(&cinfo);
    cinfo.dest = &dest.pub;
    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = components;
    cinfo.in_color_space = components == 3 ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    cinfo.optimize_coding = table_mode == INTAKE_JPEG_OPTIMISED_TABLES ? TRUE : FALSE;
    if (table_mode == INTAKE_JPEG_GIVEN_TABLES && tables != NULL) {
        for (int i = 0; i < 2; i++) {
            intake_jpeg_set_table(&cinfo, &cinfo.dc_huff_tbl_ptrs[i], &tables->dc[i]);
            intake_jpeg_set_table(&cinfo, &cinfo.ac_huff_tbl_ptrs[i], &tables->ac[i]);
        }
    }
    cinfo.density_unit = 1; // dots per inch in the JFIF header
    cinfo.X_density = (UINT16)(xdpi > 65535 ? 65535 : xdpi);
    cinfo.Y_density = (UINT16)(ydpi > 65535 ? 65535 : ydpi);
    cinfo.dct_method = JDCT_ISLOW;
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        const unsigned char *base = NULL;
        unsigned count = 0;
        if (fetch(context, &base, &count) != 0 || base == NULL || count == 0) {
            jpeg_destroy_compress(&cinfo);
            free(dest.buffer);
            return 2;
        }
        unsigned left = cinfo.image_height - cinfo.next_scanline;
        if (count > left) count = left;
        for (unsigned done = 0; done < count;) {
            JSAMPROW rows[32];
            unsigned n = 0;
            while (n < 32 && done + n < count) {
                // libjpeg never writes through input rows; the cast only satisfies its non-const type.
                rows[n] = (JSAMPROW)(base + (size_t)(done + n) * bytes_per_row);
                n++;
            }
            done += jpeg_write_scanlines(&cinfo, rows, n);
        }
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    free(dest.buffer);
    return 0;
}

// Decompress a JPEG held in memory to interleaved 8-bit rows (gray or RGB, as stored).
// *out is malloc'd here; the caller frees it with free(). Returns 0 on success.
static inline int intake_jpeg_decompress(const unsigned char *data, unsigned long size,
                                         unsigned *width, unsigned *height, int *components,
                                         unsigned char **out, char *errbuf, size_t errlen) {
    struct jpeg_decompress_struct cinfo;
    intake_jpeg_error err;
    memset(&cinfo, 0, sizeof cinfo);
    *out = NULL;
    cinfo.err = intake_jpeg_errors(&err);
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        free(*out);
        *out = NULL;
        intake_jpeg_copy_error(&err, errbuf, errlen);
        return 1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, size);
    jpeg_read_header(&cinfo, TRUE);
    jpeg_start_decompress(&cinfo);
    size_t stride = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
    *out = (unsigned char *)malloc(stride * cinfo.output_height);
    if (*out == NULL) {
        strncpy(err.message, "out of memory", sizeof err.message - 1);
        jpeg_destroy_decompress(&cinfo);
        intake_jpeg_copy_error(&err, errbuf, errlen);
        return 1;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = *out + (size_t)cinfo.output_scanline * stride;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    *width = cinfo.output_width;
    *height = cinfo.output_height;
    *components = cinfo.output_components;
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return 0;
}
#endif
