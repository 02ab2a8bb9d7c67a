#ifndef INTAKE_CSYSTEM_H
#define INTAKE_CSYSTEM_H

/// 1 when the kernel's clock is NTP-synchronised (adjtimex without modes only reads: no
/// STA_UNSYNC and not TIME_ERROR — what `timedatectl` shows as NTPSynchronized), else 0.
/// sys/timex.h is not in Swift's Glibc module, hence this shim.
int intake_ntp_synchronised(void);

#endif
