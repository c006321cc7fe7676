package io.mcksim.mckernel;

/**
 * What McKernel knows a process's file descriptor to be, when it knows anything: the descriptors McKernel
 * serves itself (its {@code mckfd} list: perf_event_open's, /dev/xpmem's) and those of device files whose
 * Linux driver maps device memory. Any other descriptor is Linux's alone.
 */
enum FdKind {
  /** A device file opened through the proxy: its mmap is the Linux driver's. */
  DEVICE,
  /** A perf_event_open descriptor: McKernel reads, controls (ioctl, fcntl) and maps it itself. */
  PERF,
  /** /dev/xpmem opened through McKernel's handler: its ioctls (make, get, attach) are McKernel's. */
  XPMEM
}
