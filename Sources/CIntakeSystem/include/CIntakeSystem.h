#ifndef INTAKE_CSYSTEM_H
#define INTAKE_CSYSTEM_H

/// 1 when the kernel's clock is NTP-synchronised (adjtimex without modes only reads: no
/// STA_UNSYNC and not TIME_ERROR — what `timedatectl` shows as NTPSynchronized), else 0.
/// sys/timex.h is not in Swift's Glibc module, hence this shim.
int intake_ntp_synchronised(void);

/// Starts writing `length` bytes of `fd` from `offset` to disk without waiting (sync_file_range
/// with SYNC_FILE_RANGE_WRITE), so a later fsync finds little left to do. 0, or -1 and errno.
/// sync_file_range is a _GNU_SOURCE function, not in Swift's Glibc module.
int intake_start_writeback(int fd, long long offset, long long length);

#endif
