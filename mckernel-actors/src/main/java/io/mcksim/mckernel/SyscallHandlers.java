package io.mcksim.mckernel;

import io.mcksim.workloads.FileDescriptors;
import io.mcksim.workloads.LinuxSyscalls;
import io.mcksim.workloads.Op;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What McKernel's handler of a call does besides its own work, as release 1.8.0's handlers do it
 * (github.com/RIKEN-SysSoft/mckernel, commit e597be094: {@code kernel/syscall.c}, {@code kernel/xpmem.c},
 * {@code arch/x86_64/kernel/syscall.c}); the same rules serve the 1.0 table, whose handlers of these
 * calls ask Linux the same way (checked in tag 1.0.0's {@code kernel/syscall.c}: the set*id calls,
 * setpgid, rt_sigprocmask, rt_sigaction, munmap, close).
 *
 * <p><b>Hybrid calls</b> ({@link Dispatch#HYBRID}) look the descriptor up in McKernel's own list:
 * read, ioctl and fcntl of a perf_event_open descriptor, and ioctl of a /dev/xpmem descriptor, are
 * McKernel's alone; an open or openat of {@code /dev/xpmem} is McKernel's handler, which has Linux open
 * the file for the descriptor's number ({@code do_xpmem_open}: one round trip) and then keeps the
 * descriptor; any other descriptor or path goes to Linux ({@code syscall_generic_forwarding}). close,
 * ppoll, pselect6 and epoll_pwait always go to Linux (close after dropping a descriptor of McKernel's,
 * the others around a signal mask McKernel sets): they are offloaded.
 *
 * <p><b>Local calls whose handler also asks Linux</b> pay a round trip through the offload path per
 * request, after their local cost:
 * <ul>
 *   <li>always one: rt_sigprocmask (the new mask), rt_sigaction (installing an action: the handler and
 *       flags; every rt_sigaction the model runs installs one), setpgid, settimeofday, munmap (the
 *       proxy's mapping is cleared or re-protected), mremap, shmdt, remap_file_pages, perf_event_open
 *       (the descriptor's number);
 *   <li>always two: setuid, setgid, setreuid, setregid, setresuid, setresgid, setfsuid, setfsgid (the
 *       call on Linux, then {@code getcred}: setfsuid or setfsgid to read the credentials back);
 *   <li>in some cases one, read from the call's {@code flags} (the argument that decides): clock_gettime
 *       of a clock other than CLOCK_REALTIME (0), CLOCK_PROCESS_CPUTIME_ID (2) and
 *       CLOCK_THREAD_CPUTIME_ID (3); setitimer and getitimer of ITIMER_REAL (0); setrlimit and
 *       prlimit64 of RLIMIT_FSIZE (1), RLIMIT_NOFILE (7), RLIMIT_LOCKS (10) or RLIMIT_MSGQUEUE (12)
 *       (McKernel updates Linux's value too; prlimit64 is taken as setting the limit); prctl of any
 *       option but PR_SET_THP_DISABLE (41) and PR_GET_THP_DISABLE (42); mmap of a file (a descriptor,
 *       without MAP_ANONYMOUS 0x20: the proxy's pager creates the file object); mprotect to a
 *       protection without PROT_WRITE (2) (the proxy's mapping is made read-only).
 * </ul>
 * Not modelled, so local alone: gettimeofday with a timezone (the model's calls carry none), time()
 * without an invariant TSC, an anonymous mmap without PROT_WRITE (the model's mmap carries no
 * protection), mprotect back to writable, futex wakes of threads running on Linux (UTI), kill of a
 * process that is not McKernel's, getrlimit of a resource McKernel does not translate.
 */
final class SyscallHandlers {

  private SyscallHandlers() {
  }

  private static final CallRoute LOCAL = new CallRoute.Local();
  private static final CallRoute OFFLOADED = new CallRoute.Offloaded();

  /** The path of XPMEM's device file, which McKernel's open handler keeps for itself. */
  static final String XPMEM = "/dev/xpmem";

  /** The hybrid calls McKernel serves itself, by the kind of descriptor. */
  private static final Map<String, Set<FdKind>> SERVED = Map.of(
      "read", Set.of(FdKind.PERF),
      "ioctl", Set.of(FdKind.PERF, FdKind.XPMEM),
      "fcntl", Set.of(FdKind.PERF));

  /** Local calls whose handler always asks Linux once. */
  private static final Set<String> ONE_TRIP = Set.of("rt_sigprocmask", "rt_sigaction", "setpgid",
      "settimeofday", "munmap", "mremap", "shmdt", "remap_file_pages", "perf_event_open");

  /** The request that reads credentials back after a set*id call ({@code getcred}). */
  private static final Op.Syscall GETCRED_UID = new Op.Syscall("setfsuid");
  private static final Op.Syscall GETCRED_GID = new Op.Syscall("setfsgid");

  private static final Set<String> SET_UID = Set.of("setuid", "setreuid", "setresuid", "setfsuid");
  private static final Set<String> SET_GID = Set.of("setgid", "setregid", "setresgid", "setfsgid");

  /** clock_gettime's clocks McKernel reads itself: REALTIME, PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID. */
  private static final Set<Long> LOCAL_CLOCKS = Set.of(0L, 2L, 3L);
  /** Resources whose limit McKernel also sets on Linux: FSIZE, NOFILE, LOCKS, MSGQUEUE. */
  private static final Set<Long> LINUX_RLIMITS = Set.of(1L, 7L, 10L, 12L);
  /** prctl options McKernel serves itself: PR_SET_THP_DISABLE, PR_GET_THP_DISABLE. */
  private static final Set<Long> LOCAL_PRCTL = Set.of(41L, 42L);
  private static final long ITIMER_REAL = 0;
  private static final long MAP_ANONYMOUS = 0x20;
  private static final long PROT_WRITE = 2;

  /**
   * Where call {@code s} goes under {@code table}; {@code fd}, what McKernel knows of the call's
   * descriptor (null: nothing, a Linux descriptor).
   */
  static CallRoute route(SyscallTable table, Op.Syscall s, FdKind fd) {
    return switch (table.classify(s.number())) {
      case OFFLOAD -> OFFLOADED;
      case HYBRID -> hybrid(s, fd);
      case LOCAL -> local(s);
    };
  }

  /** A hybrid call: McKernel's alone on its own descriptors, else Linux's. */
  private static CallRoute hybrid(Op.Syscall s, FdKind fd) {
    if (FileDescriptors.opens(s.number())) {
      return XPMEM.equals(s.args().path()) ? new CallRoute.Local(List.of(s)) : OFFLOADED;
    }
    Set<FdKind> served = SERVED.get(s.name());
    return fd != null && served != null && served.contains(fd) ? LOCAL : OFFLOADED;
  }

  /** A local call, with the requests its handler sends Linux in this call's case. */
  private static CallRoute local(Op.Syscall s) {
    String name = s.name();
    if (SET_UID.contains(name)) {
      return new CallRoute.Local(List.of(s, GETCRED_UID));
    }
    if (SET_GID.contains(name)) {
      return new CallRoute.Local(List.of(s, GETCRED_GID));
    }
    return asksLinux(name, s.args().flags(), s.args().fd()) ? new CallRoute.Local(List.of(s)) : LOCAL;
  }

  /** Whether the handler of {@code name} asks Linux once, given the call's flags and descriptor. */
  private static boolean asksLinux(String name, long flags, int fd) {
    return switch (name) {
      case "clock_gettime" -> !LOCAL_CLOCKS.contains(flags);
      case "setitimer", "getitimer" -> flags == ITIMER_REAL;
      case "setrlimit", "prlimit64" -> LINUX_RLIMITS.contains(flags);
      case "prctl" -> !LOCAL_PRCTL.contains(flags);
      case "mmap" -> fd >= 0 && (flags & MAP_ANONYMOUS) == 0;
      case "mprotect" -> (flags & PROT_WRITE) == 0;
      default -> ONE_TRIP.contains(name);
    };
  }

  /** The kind of descriptor call {@code s} makes, if its result is one McKernel keeps; else null. */
  static FdKind opens(Op.Syscall s) {
    if (s.number() == PERF_EVENT_OPEN) {
      return FdKind.PERF;
    }
    if (!FileDescriptors.opens(s.number())) {
      return null;
    }
    if (XPMEM.equals(s.args().path())) {
      return FdKind.XPMEM;
    }
    return FileDescriptors.isDevice(s.args().path()) ? FdKind.DEVICE : null;
  }

  private static final int PERF_EVENT_OPEN = LinuxSyscalls.number("perf_event_open");
}
