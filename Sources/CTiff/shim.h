#ifndef INTAKE_CTIFF_SHIM_H
#define INTAKE_CTIFF_SHIM_H
#include <tiffio.h>

// TIFFSetField is variadic; Swift never calls a variadic C function.
// One typed wrapper per argument type.
static inline int intake_tiff_set_u16(TIFF *t, uint32_t tag, uint16_t v) { return TIFFSetField(t, tag, v); }
static inline int intake_tiff_set_u32(TIFF *t, uint32_t tag, uint32_t v) { return TIFFSetField(t, tag, v); }
static inline int intake_tiff_set_double(TIFF *t, uint32_t tag, double v) { return TIFFSetField(t, tag, v); }
static inline int intake_tiff_set_string(TIFF *t, uint32_t tag, const char *v) { return TIFFSetField(t, tag, v); }
#endif
