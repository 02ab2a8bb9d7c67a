#ifndef INTAKE_CSANETHREADS_H
#define INTAKE_CSANETHREADS_H
/// 1 when SANE backends loaded later resolve pthread_setcanceltype to Intake's own (cancel.c),
/// so a backend's reader thread is never cancelled asynchronously; 0 when the binary does not
/// export it (then the backend gets glibc's).
int intake_sane_cancel_is_deferred(void);
#endif
