#ifndef INTAKE_CJPEG_SHIM_H
#define INTAKE_CJPEG_SHIM_H
#include <stdio.h>
#include <jpeglib.h>
#endif
