#include "CIntakeSystem.h"
#include <sys/timex.h>

int intake_ntp_synchronised(void) {
    struct timex tx = {0};
    int state = adjtimex(&tx);
    return state != TIME_ERROR && (tx.status & STA_UNSYNC) == 0;
}
