// SANE backends built on sanei_thread (the test backend and many real ones) start a reader
// thread per frame that sets PTHREAD_CANCEL_ASYNCHRONOUS, and at the end of every frame
// sane_read's finish_pass cancels it with pthread_cancel — even when it has just finished and is
// freeing its buffers or leaving (glibc's tcache shutdown). An asynchronous cancel that lands
// inside malloc or free ends the thread holding its malloc arena's lock, and the next thread
// given that arena waits forever: a benchmark scan hung so (gdb: the next frame's reader, an
// encoder and an exiting thread all waiting on one arena's lock; no live thread holding it).
//
// Intake's binaries define it, so the linker exports it as it would a malloc replacement, and a
// backend loaded with dlopen binds to it before glibc's: every cancel type becomes deferred.
// The reader then stops at its next cancellation point — the pipe write it spends its life in —
// and never inside malloc.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include "CSaneThreads.h"

int pthread_setcanceltype(int type, int *oldtype) {
    (void)type;
    static int (*real)(int, int *) = NULL;
    if (real == NULL) real = (int (*)(int, int *))dlsym(RTLD_NEXT, "pthread_setcanceltype");
    if (real == NULL) return 0;  // cannot happen with glibc; deferred is the default type anyway
    return real(PTHREAD_CANCEL_DEFERRED, oldtype);
}

int intake_sane_cancel_is_deferred(void) {
    return dlsym(RTLD_DEFAULT, "pthread_setcanceltype") == (void *)pthread_setcanceltype;
}
