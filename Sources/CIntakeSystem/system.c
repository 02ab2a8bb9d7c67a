#define _GNU_SOURCE
#include "CIntakeSystem.h"
#include <fcntl.h>
#include <sys/timex.h>

int intake_ntp_synchronised(void) {
    struct timex tx = {0};
    int state = adjtimex(&tx);
    return state != TIME_ERROR && (tx.status & STA_UNSYNC) == 0;
}

int intake_start_writeback(int fd, long long offset, long long length) {
    return sync_file_range(fd, (off_t)offset, (off_t)length, SYNC_FILE_RANGE_WRITE);
}
