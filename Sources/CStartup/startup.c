// Runs before Swift's main and before any thread exists: `intake serve` blocks the signals it
// takes with sigwait(), so every thread (including those a SANE backend starts) inherits the
// mask and no driver can turn SIGTERM back into "terminate now". See SignalWatcher.swift.
#include <signal.h>
#include <string.h>
#include <pthread.h>
#include "CStartup.h"

__attribute__((constructor))
static void intake_startup(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc > 1 && argv[1] != NULL && strcmp(argv[1], "serve") == 0) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGUSR1);
        sigaddset(&set, SIGHUP);
        pthread_sigmask(SIG_BLOCK, &set, NULL);
    }
}

int intake_startup_linked(void) { return 1; }
