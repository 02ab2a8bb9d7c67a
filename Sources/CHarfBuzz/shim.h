#ifndef INTAKE_CHARFBUZZ_SHIM_H
#define INTAKE_CHARFBUZZ_SHIM_H
// HarfBuzz's subsetter cuts the ĐẾN stamp's font (DejaVu Sans) down to the glyphs the stamp
// uses, so each registered PDF embeds a few kilobytes instead of the whole 700 KB font.
// Only the face/blob/set/subset API is used: no shaping, no FreeType, no cairo.
#include <hb.h>
#include <hb-subset.h>

// HB_TAG is a macro Swift cannot import; the stamp reads the 'head' table by tag.
static inline hb_tag_t intake_hb_tag(char a, char b, char c, char d) {
    return HB_TAG(a, b, c, d);
}
#endif
