// Prints a 64-bit FNV-1a hash of the decoded pixels of each JPEG file given (libjpeg, islow IDCT),
// so two JPEG streams that differ only in their Huffman tables can be shown to decode alike.
// usage: pixels FILE.jpg...
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) { perror(argv[i]); return 1; }
        struct jpeg_decompress_struct d;
        struct jpeg_error_mgr e;
        d.err = jpeg_std_error(&e);
        jpeg_create_decompress(&d);
        jpeg_stdio_src(&d, f);
        jpeg_read_header(&d, TRUE);
        d.dct_method = JDCT_ISLOW;
        jpeg_start_decompress(&d);
        size_t stride = (size_t)d.output_width * d.output_components;
        unsigned char *row = malloc(stride);
        unsigned long long h = 1469598103934665603ULL;
        while (d.output_scanline < d.output_height) {
            jpeg_read_scanlines(&d, &row, 1);
            for (size_t k = 0; k < stride; k++) { h ^= row[k]; h *= 1099511628211ULL; }
        }
        jpeg_finish_decompress(&d);
        jpeg_destroy_decompress(&d);
        fclose(f);
        free(row);
        printf("%016llx %s\n", h, argv[i]);
    }
    return 0;
}
