#ifndef INTAKE_CSTARTUP_H
#define INTAKE_CSTARTUP_H
/// Blocks SIGTERM, SIGINT, SIGUSR1 and SIGHUP in the calling thread (and the threads it starts
/// later); 0 on success, else the error number.
int intake_block_daemon_signals(void);
/// One malloc arena for the whole process (mallopt M_ARENA_MAX = 1). Strips are allocated on a
/// page's reader thread and freed on an encoder thread; with glibc's default of an arena per
/// thread the freed memory stayed resident in the reader's arena (a 10-page colour batch peaked
/// at 47 MiB instead of 33). 1 on success, as mallopt.
int intake_use_one_malloc_arena(void);
#endif
