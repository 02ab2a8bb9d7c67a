// What a process sets before its first thread: the daemon's blocked signals.
//
// Blocks the signals the daemon takes with sigwait() in the calling thread, so every thread it
// starts later (including those a SANE backend starts) inherits the mask and no driver can turn
// SIGTERM back into "terminate now". `intake` calls it right after parsing the command line,
// before any thread of its own exists, when the command asks for it (`intake serve` and any
// spelling of it). See SignalWatcher.swift.
#include <signal.h>
#include <pthread.h>
#include "CStartup.h"

int intake_block_daemon_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGHUP);
    return pthread_sigmask(SIG_BLOCK, &set, NULL);
}

