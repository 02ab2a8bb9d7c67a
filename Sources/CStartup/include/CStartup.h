#ifndef INTAKE_CSTARTUP_H
#define INTAKE_CSTARTUP_H
/// Blocks SIGTERM, SIGINT, SIGUSR1 and SIGHUP in the calling thread (and the threads it starts
/// later); 0 on success, else the error number.
int intake_block_daemon_signals(void);
#endif
