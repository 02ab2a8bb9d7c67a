#!/usr/bin/env bash
# Trains the JPEG Huffman tables intake ships (Sources/CJpeg/trained_tables.h) on the training
# set of Benchmarks/huffman/make-training-pages.py (letters with seals, gray letters, forms,
# near-blank backs), at quality 80 (the profiles' default).  usage: Benchmarks/huffman/train.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK="$(mktemp -d /tmp/intake-huffman.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
python3 Benchmarks/huffman/make-training-pages.py "$WORK/pages" train
cc -O2 -Wall -o "$WORK/train" Benchmarks/huffman/train.c -ljpeg
"$WORK/train" Sources/CJpeg/trained_tables.h 80 "$WORK"/pages/*.p?m
echo "wrote Sources/CJpeg/trained_tables.h"
