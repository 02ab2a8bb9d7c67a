// Trains JPEG Huffman tables on document pages and prints them as a C header.
//
// usage: train OUT.h QUALITY PAGE.pnm...      (binary PGM P5 or PPM P6, 8 bits)
// Each page is coded as intake codes it (libjpeg-turbo, quality QUALITY, 4:2:0, islow DCT), its DCT
// coefficients are read back (jpeg_read_coefficients), and the Huffman symbols a baseline coder
// would emit are counted: DC size categories and AC run/size pairs, luminance and chrominance apart.
// Every valid symbol gets one extra count so no page can meet a symbol without a code; the tables
// come from libjpeg's own jpeg_gen_optimal_table (the per-page optimiser's algorithm, codes ≤ 16 bits).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

void jpeg_gen_optimal_table(j_compress_ptr cinfo, JHUFF_TBL *htbl, long freq[]);

static long dc[2][257], ac[2][257];
/* Zig-zag position k → natural (row-major) index, as libjpeg's jpeg_natural_order. */
static const int zigzag[64] = {0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48,
    41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

static unsigned char *read_pnm(const char *path, int *w, int *h, int *c) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    char magic[3] = {0};
    int maxval;
    if (fscanf(f, "%2s %d %d %d", magic, w, h, &maxval) != 4 || maxval != 255) { fprintf(stderr, "%s: not 8-bit PNM\n", path); exit(1); }
    fgetc(f);
    *c = strcmp(magic, "P6") == 0 ? 3 : 1;
    size_t n = (size_t)*w * *h * *c;
    unsigned char *p = malloc(n);
    if (fread(p, 1, n, f) != n) { fprintf(stderr, "%s: short\n", path); exit(1); }
    fclose(f);
    return p;
}

static int category(int v) { int n = 0; if (v < 0) v = -v; while (v) { n++; v >>= 1; } return n; }

static void count_page(const char *path, int quality) {
    int w, h, c;
    unsigned char *pixels = read_pnm(path, &w, &h, &c);
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr je;
    ci.err = jpeg_std_error(&je);
    jpeg_create_compress(&ci);
    unsigned char *out = NULL;
    unsigned long size = 0;
    jpeg_mem_dest(&ci, &out, &size);
    ci.image_width = w; ci.image_height = h; ci.input_components = c;
    ci.in_color_space = c == 3 ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_set_defaults(&ci);
    jpeg_set_quality(&ci, quality, TRUE);
    ci.dct_method = JDCT_ISLOW;
    jpeg_start_compress(&ci, TRUE);
    while (ci.next_scanline < ci.image_height) {
        JSAMPROW row = pixels + (size_t)ci.next_scanline * w * c;
        jpeg_write_scanlines(&ci, &row, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    free(pixels);

    struct jpeg_decompress_struct di;
    di.err = jpeg_std_error(&je);
    jpeg_create_decompress(&di);
    jpeg_mem_src(&di, out, size);
    jpeg_read_header(&di, TRUE);
    jvirt_barray_ptr *coefs = jpeg_read_coefficients(&di);
    for (int ci_ = 0; ci_ < di.num_components; ci_++) {
        jpeg_component_info *comp = &di.comp_info[ci_];
        int t = ci_ == 0 ? 0 : 1;
        int last_dc = 0;
        for (JDIMENSION by = 0; by < comp->height_in_blocks; by++) {
            JBLOCKARRAY rows = (*di.mem->access_virt_barray)((j_common_ptr)&di, coefs[ci_], by, 1, FALSE);
            for (JDIMENSION bx = 0; bx < comp->width_in_blocks; bx++) {
                JCOEF *b = rows[0][bx];
                dc[t][category(b[0] - last_dc)]++;
                last_dc = b[0];
                int run = 0;
                for (int k = 1; k < 64; k++) {
                    int v = b[zigzag[k]];
                    if (v == 0) { run++; continue; }
                    while (run > 15) { ac[t][0xF0]++; run -= 16; }
                    ac[t][(run << 4) | category(v)]++;
                    run = 0;
                }
                if (run > 0) ac[t][0x00]++;
            }
        }
    }
    jpeg_finish_decompress(&di);
    jpeg_destroy_decompress(&di);
    free(out);
}

static void print_table(FILE *f, const char *name, JHUFF_TBL *t) {
    fprintf(f, "    /* %s */ {{", name);
    for (int i = 0; i < 17; i++) fprintf(f, "%s%d", i ? ", " : "", t->bits[i]);
    int n = 0;
    for (int i = 1; i <= 16; i++) n += t->bits[i];
    fprintf(f, "},\n        {");
    for (int i = 0; i < n; i++) fprintf(f, "%s%s0x%02x", i ? ", " : "", i && i % 16 == 0 ? "\n         " : "", t->huffval[i]);
    fprintf(f, "}}");
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: train OUT.h QUALITY PAGE.pnm...\n"); return 2; }
    int quality = atoi(argv[2]);
    for (int i = 3; i < argc; i++) count_page(argv[i], quality);
    for (int t = 0; t < 2; t++) {
        for (int s = 0; s <= 11; s++) dc[t][s]++;
        ac[t][0x00]++; ac[t][0xF0]++;
        for (int r = 0; r < 16; r++) for (int s = 1; s <= 10; s++) ac[t][(r << 4) | s]++;
    }
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr je;
    ci.err = jpeg_std_error(&je);
    jpeg_create_compress(&ci);
    JHUFF_TBL *tables[4];
    long *freq[4] = {dc[0], dc[1], ac[0], ac[1]};
    for (int i = 0; i < 4; i++) {
        tables[i] = jpeg_alloc_huff_table((j_common_ptr)&ci);
        jpeg_gen_optimal_table(&ci, tables[i], freq[i]);  /* modifies freq: done last */
    }
    FILE *f = fopen(argv[1], "w");
    if (!f) { perror(argv[1]); return 1; }
    fprintf(f, "// Generated by Benchmarks/huffman/train.sh from %d document pages at quality %d; do not edit.\n", argc - 3, quality);
    fprintf(f, "// Huffman tables trained on letters, forms, near-blank pages and colour seals (see train.sh).\n");
    fprintf(f, "#ifndef INTAKE_TRAINED_TABLES_H\n#define INTAKE_TRAINED_TABLES_H\n");
    fprintf(f, "static const intake_jpeg_tables intake_trained_tables = {\n  {\n");
    print_table(f, "DC luminance", tables[0]); fprintf(f, ",\n");
    print_table(f, "DC chrominance", tables[1]); fprintf(f, "\n  }, {\n");
    print_table(f, "AC luminance", tables[2]); fprintf(f, ",\n");
    print_table(f, "AC chrominance", tables[3]); fprintf(f, "\n  }\n};\n#endif\n");
    fclose(f);
    jpeg_destroy_compress(&ci);
    return 0;
}
