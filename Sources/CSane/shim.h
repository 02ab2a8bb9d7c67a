#ifndef INTAKE_CSANE_SHIM_H
#define INTAKE_CSANE_SHIM_H
#include <sane/sane.h>
#include <sane/saneopts.h>

// SANE_FIX / SANE_UNFIX are macros; Swift cannot call them.
static inline SANE_Word intake_sane_fix(double v) { return SANE_FIX(v); }
static inline double intake_sane_unfix(SANE_Word w) { return SANE_UNFIX(w); }
#endif
