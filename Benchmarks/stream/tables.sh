#!/usr/bin/env bash
# Huffman tables on the eval-like pages: PDF size with the trained tables (default) and with
# `--jpeg-optimize` (per-page optimised tables), beside `scanimage --format=tiff` + `tiff2pdf -j -q 80`;
# checks that both JPEGs decode to the same pixels (Huffman tables are lossless: only the size may
# differ) and that blank-page removal decides as the page's kind says (near-blank backs dropped,
# letters and forms kept). Called by Benchmarks/stream/bench.sh with S, BIN, RESULTS set.
# Rows: stream-tables  page  trained_bytes  optimised_bytes  tiff2pdf_bytes  same_pixels  blank  expected_blank
set -euo pipefail
EVAL="$S/eval"
if [[ ! -f "$EVAL/nearblank-1.ppm" ]]; then
    python3 Benchmarks/huffman/make-training-pages.py "$EVAL" eval
    python3 Benchmarks/scan/make-pages.py "$S/pages" 3
    cp "$S"/pages/colour-0[0-2].ppm "$EVAL"/
fi
cc -O2 -o "$S/pixels" Benchmarks/huffman/pixels.c -ljpeg
# The decoded pixels of the PDF's one JPEG (raw stream out with pdfimages -j, decoded by libjpeg).
pixels() { rm -f "$S"/img-*; pdfimages -j "$1" "$S/img" && "$S/pixels" "$S"/img-000.jpg | cut -d' ' -f1; }
for page in "$EVAL"/*.p?m; do
    name=$(basename "$page")
    mode=Color; [[ $page == *.pgm ]] && mode=Gray
    scan=(scan --device pnm:0 --source Flatbed --mode "$mode" --resolution 300 --option "filename=$page")
    "$BIN/intake" "${scan[@]}" --output "$S/trained.pdf" 2> /dev/null
    "$BIN/intake" "${scan[@]}" --jpeg-optimize --output "$S/optimised.pdf" 2> /dev/null
    scanimage -d pnm:0 --filename "$page" --resolution 300 --format=tiff -o "$S/page.tif"
    tiff2pdf -j -q 80 -o "$S/tiff2pdf.pdf" "$S/page.tif"
    same=no; [[ "$(pixels "$S/trained.pdf")" == "$(pixels "$S/optimised.pdf")" ]] && same=yes
    blank=no; "$BIN/intake" "${scan[@]}" --remove-blank --output "$S/blank.pdf" > /dev/null 2>&1 || blank=yes
    expected=no; [[ $name == nearblank-* ]] && expected=yes
    printf 'stream-tables\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$(stat -c %s "$S/trained.pdf")" \
        "$(stat -c %s "$S/optimised.pdf")" "$(stat -c %s "$S/tiff2pdf.pdf")" "$same" "$blank" "$expected" | tee -a "$RESULTS"
done
