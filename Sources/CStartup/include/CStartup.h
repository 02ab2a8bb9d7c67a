#ifndef INTAKE_CSTARTUP_H
#define INTAKE_CSTARTUP_H
/// Referenced from Swift so the linker keeps the object holding the constructor.
int intake_startup_linked(void);
#endif
