package io.mcksim.workloads;

import io.mcksim.config.Suggestions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The system calls a simulated program can name: the Linux x86_64 system call table (name and number,
 * numbers 0 to 334 and the newer ones from 424 up), plus McKernel's private calls under the numbers
 * McKernel gives them.
 *
 * <p>Linux numbers are those of the x86_64 64-bit ABI; the numbers 335 to 423 are unused there. The
 * x32 ABI's calls (numbers from 512 up) are not part of the table.
 *
 * <p><b>McKernel-private calls</b> are not Linux system calls: only McKernel handles them. They carry
 * the numbers of McKernel's x86_64 {@code syscall_list.h}: {@code get_cpu_id} is 700 in every release;
 * the performance-counter calls {@code pmc_init}, {@code pmc_start}, {@code pmc_stop} and
 * {@code pmc_reset} are 601 to 604, the original design's, which releases up to 1.6.0 list and 1.7.0
 * dropped (RIKEN-SysSoft/mckernel, tags 1.0.0 to 1.6.0, {@code arch/x86(_64)/kernel/include/syscall_list.h}).
 *
 * <p><b>Calls without a name.</b> A call may also be named by its number, {@code syscall_N} (decimal, or
 * {@code syscall_0xN} as strace prints a call it does not know), for any number from 0 to
 * {@value #NUMBER_LIMIT} - 1: a known number stands for its named call; any other is a call nobody here
 * has a name for, which McKernel's generic forwarding sends to Linux ({@link #name(int)} gives it back
 * as {@code syscall_N}). {@link #exists} is true for named calls only.
 *
 * <p>Names are case-sensitive and written as in the Linux table ({@code pread64}, {@code prlimit64},
 * {@code newfstatat}). Looking up an unknown name fails with the closest known names.
 */
public final class LinuxSyscalls {

  /** Calls are numbered below this: the known ones, and those named {@code syscall_N}. */
  public static final int NUMBER_LIMIT = 1024;

  /** How a call is named by its number: {@code syscall_N}. */
  public static final String BY_NUMBER = "syscall_";

  /** The first number of the newer Linux calls (numbers 335 to 423 are unused on x86_64). */
  public static final int FIRST_RECENT = 424;

  /** How many near matches an unknown-name message lists at most. */
  public static final int MAX_NEAR_MATCHES = 5;

  /** Linux x86_64 numbers 0 to 334, indexed by number. */
  private static final String[] CLASSIC = {
      /*   0 */ "read", "write", "open", "close", "stat",
      /*   5 */ "fstat", "lstat", "poll", "lseek", "mmap",
      /*  10 */ "mprotect", "munmap", "brk", "rt_sigaction", "rt_sigprocmask",
      /*  15 */ "rt_sigreturn", "ioctl", "pread64", "pwrite64", "readv",
      /*  20 */ "writev", "access", "pipe", "select", "sched_yield",
      /*  25 */ "mremap", "msync", "mincore", "madvise", "shmget",
      /*  30 */ "shmat", "shmctl", "dup", "dup2", "pause",
      /*  35 */ "nanosleep", "getitimer", "alarm", "setitimer", "getpid",
      /*  40 */ "sendfile", "socket", "connect", "accept", "sendto",
      /*  45 */ "recvfrom", "sendmsg", "recvmsg", "shutdown", "bind",
      /*  50 */ "listen", "getsockname", "getpeername", "socketpair", "setsockopt",
      /*  55 */ "getsockopt", "clone", "fork", "vfork", "execve",
      /*  60 */ "exit", "wait4", "kill", "uname", "semget",
      /*  65 */ "semop", "semctl", "shmdt", "msgget", "msgsnd",
      /*  70 */ "msgrcv", "msgctl", "fcntl", "flock", "fsync",
      /*  75 */ "fdatasync", "truncate", "ftruncate", "getdents", "getcwd",
      /*  80 */ "chdir", "fchdir", "rename", "mkdir", "rmdir",
      /*  85 */ "creat", "link", "unlink", "symlink", "readlink",
      /*  90 */ "chmod", "fchmod", "chown", "fchown", "lchown",
      /*  95 */ "umask", "gettimeofday", "getrlimit", "getrusage", "sysinfo",
      /* 100 */ "times", "ptrace", "getuid", "syslog", "getgid",
      /* 105 */ "setuid", "setgid", "geteuid", "getegid", "setpgid",
      /* 110 */ "getppid", "getpgrp", "setsid", "setreuid", "setregid",
      /* 115 */ "getgroups", "setgroups", "setresuid", "getresuid", "setresgid",
      /* 120 */ "getresgid", "getpgid", "setfsuid", "setfsgid", "getsid",
      /* 125 */ "capget", "capset", "rt_sigpending", "rt_sigtimedwait", "rt_sigqueueinfo",
      /* 130 */ "rt_sigsuspend", "sigaltstack", "utime", "mknod", "uselib",
      /* 135 */ "personality", "ustat", "statfs", "fstatfs", "sysfs",
      /* 140 */ "getpriority", "setpriority", "sched_setparam", "sched_getparam", "sched_setscheduler",
      /* 145 */ "sched_getscheduler", "sched_get_priority_max", "sched_get_priority_min", "sched_rr_get_interval", "mlock",
      /* 150 */ "munlock", "mlockall", "munlockall", "vhangup", "modify_ldt",
      /* 155 */ "pivot_root", "_sysctl", "prctl", "arch_prctl", "adjtimex",
      /* 160 */ "setrlimit", "chroot", "sync", "acct", "settimeofday",
      /* 165 */ "mount", "umount2", "swapon", "swapoff", "reboot",
      /* 170 */ "sethostname", "setdomainname", "iopl", "ioperm", "create_module",
      /* 175 */ "init_module", "delete_module", "get_kernel_syms", "query_module", "quotactl",
      /* 180 */ "nfsservctl", "getpmsg", "putpmsg", "afs_syscall", "tuxcall",
      /* 185 */ "security", "gettid", "readahead", "setxattr", "lsetxattr",
      /* 190 */ "fsetxattr", "getxattr", "lgetxattr", "fgetxattr", "listxattr",
      /* 195 */ "llistxattr", "flistxattr", "removexattr", "lremovexattr", "fremovexattr",
      /* 200 */ "tkill", "time", "futex", "sched_setaffinity", "sched_getaffinity",
      /* 205 */ "set_thread_area", "io_setup", "io_destroy", "io_getevents", "io_submit",
      /* 210 */ "io_cancel", "get_thread_area", "lookup_dcookie", "epoll_create", "epoll_ctl_old",
      /* 215 */ "epoll_wait_old", "remap_file_pages", "getdents64", "set_tid_address", "restart_syscall",
      /* 220 */ "semtimedop", "fadvise64", "timer_create", "timer_settime", "timer_gettime",
      /* 225 */ "timer_getoverrun", "timer_delete", "clock_settime", "clock_gettime", "clock_getres",
      /* 230 */ "clock_nanosleep", "exit_group", "epoll_wait", "epoll_ctl", "tgkill",
      /* 235 */ "utimes", "vserver", "mbind", "set_mempolicy", "get_mempolicy",
      /* 240 */ "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify",
      /* 245 */ "mq_getsetattr", "kexec_load", "waitid", "add_key", "request_key",
      /* 250 */ "keyctl", "ioprio_set", "ioprio_get", "inotify_init", "inotify_add_watch",
      /* 255 */ "inotify_rm_watch", "migrate_pages", "openat", "mkdirat", "mknodat",
      /* 260 */ "fchownat", "futimesat", "newfstatat", "unlinkat", "renameat",
      /* 265 */ "linkat", "symlinkat", "readlinkat", "fchmodat", "faccessat",
      /* 270 */ "pselect6", "ppoll", "unshare", "set_robust_list", "get_robust_list",
      /* 275 */ "splice", "tee", "sync_file_range", "vmsplice", "move_pages",
      /* 280 */ "utimensat", "epoll_pwait", "signalfd", "timerfd_create", "eventfd",
      /* 285 */ "fallocate", "timerfd_settime", "timerfd_gettime", "accept4", "signalfd4",
      /* 290 */ "eventfd2", "epoll_create1", "dup3", "pipe2", "inotify_init1",
      /* 295 */ "preadv", "pwritev", "rt_tgsigqueueinfo", "perf_event_open", "recvmmsg",
      /* 300 */ "fanotify_init", "fanotify_mark", "prlimit64", "name_to_handle_at", "open_by_handle_at",
      /* 305 */ "clock_adjtime", "syncfs", "sendmmsg", "setns", "getcpu",
      /* 310 */ "process_vm_readv", "process_vm_writev", "kcmp", "finit_module", "sched_setattr",
      /* 315 */ "sched_getattr", "renameat2", "seccomp", "getrandom", "memfd_create",
      /* 320 */ "kexec_file_load", "bpf", "execveat", "userfaultfd", "membarrier",
      /* 325 */ "mlock2", "copy_file_range", "preadv2", "pwritev2", "pkey_mprotect",
      /* 330 */ "pkey_alloc", "pkey_free", "statx", "io_pgetevents", "rseq"
  };

  /** Linux x86_64 numbers from {@link #FIRST_RECENT} up, indexed by number - FIRST_RECENT. */
  private static final String[] RECENT = {
      /* 424 */ "pidfd_send_signal", "io_uring_setup", "io_uring_enter", "io_uring_register", "open_tree",
      /* 429 */ "move_mount", "fsopen", "fsconfig", "fsmount", "fspick",
      /* 434 */ "pidfd_open", "clone3", "close_range", "openat2", "pidfd_getfd",
      /* 439 */ "faccessat2", "process_madvise", "epoll_pwait2", "mount_setattr", "quotactl_fd",
      /* 444 */ "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self", "memfd_secret", "process_mrelease",
      /* 449 */ "futex_waitv", "set_mempolicy_home_node", "cachestat", "fchmodat2", "map_shadow_stack",
      /* 454 */ "futex_wake", "futex_wait", "futex_requeue", "statmount", "listmount",
      /* 459 */ "lsm_get_self_attr", "lsm_set_self_attr", "lsm_list_modules", "mseal"
  };

  /** McKernel-private calls, and their numbers in McKernel's syscall_list.h (see the class comment). */
  private static final String[] MCKERNEL_PRIVATE = {
      "pmc_init", "pmc_start", "pmc_stop", "pmc_reset", "get_cpu_id"
  };
  private static final int[] MCKERNEL_PRIVATE_NUMBERS = {601, 602, 603, 604, 700};

  private static final Map<String, Integer> BY_NAME;
  /** Every name in number order; decides the order of near matches among equals. */
  private static final List<String> NAMES;

  static {
    Map<String, Integer> byName = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < CLASSIC.length; i++) {
      add(byName, names, CLASSIC[i], i);
    }
    for (int i = 0; i < RECENT.length; i++) {
      add(byName, names, RECENT[i], FIRST_RECENT + i);
    }
    for (int i = 0; i < MCKERNEL_PRIVATE.length; i++) {
      add(byName, names, MCKERNEL_PRIVATE[i], MCKERNEL_PRIVATE_NUMBERS[i]);
    }
    BY_NAME = Collections.unmodifiableMap(byName);
    NAMES = List.copyOf(names);
  }

  private static void add(Map<String, Integer> byName, List<String> names, String name, int number) {
    if (byName.put(name, number) != null) {
      throw new IllegalStateException("syscall " + name + " is listed twice");
    }
    names.add(name);
  }

  private LinuxSyscalls() {
  }

  /**
   * The number of a system call.
   *
   * @throws IllegalArgumentException for an unknown name, listing up to {@value #MAX_NEAR_MATCHES}
   *     closest known names
   */
  public static int number(String name) {
    Integer n = name == null ? null : BY_NAME.get(name);
    if (n == null) {
      n = byNumber(name);
    }
    if (n == null) {
      throw new IllegalArgumentException(unknownMessage(name));
    }
    return n;
  }

  /**
   * The number of a call named {@code syscall_N} ({@code N} decimal or 0x hex), or null for any other
   * name.
   *
   * @throws IllegalArgumentException for a number outside 0 to {@value #NUMBER_LIMIT} - 1
   */
  private static Integer byNumber(String name) {
    if (name == null || !name.startsWith(BY_NUMBER) || name.length() == BY_NUMBER.length()
        || name.length() > BY_NUMBER.length() + 12) {
      return null;
    }
    String digits = name.substring(BY_NUMBER.length());
    boolean hex = digits.startsWith("0x");
    String body = hex ? digits.substring(2) : digits;
    if (body.isEmpty() || !body.chars().allMatch(c -> hex ? Character.digit(c, 16) >= 0 : c >= '0' && c <= '9')) {
      return null;
    }
    long n = Long.parseLong(body, hex ? 16 : 10);
    if (n >= NUMBER_LIMIT) {
      throw new IllegalArgumentException("syscall number " + n + " (" + name + ") is out of range: calls are "
          + "numbered 0-" + (NUMBER_LIMIT - 1));
    }
    return (int) n;
  }

  /** Whether {@code name} names a call: a known name, or {@code syscall_N} with N in range. */
  public static boolean accepts(String name) {
    if (exists(name)) {
      return true;
    }
    try {
      return byNumber(name) != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The name of a system call number.
   *
   * @throws IllegalArgumentException if no call has that number
   */
  public static String name(int number) {
    String name = lookup(number);
    if (name == null && number >= 0 && number < NUMBER_LIMIT) {
      return BY_NUMBER + number;
    }
    if (name == null) {
      throw new IllegalArgumentException("syscall number " + number + " is out of range: calls are numbered 0-"
          + (NUMBER_LIMIT - 1) + " (named: Linux x86_64 0-" + (CLASSIC.length - 1) + " and " + FIRST_RECENT
          + "-" + (FIRST_RECENT + RECENT.length - 1) + ", McKernel-private " + privateNumbers() + ")");
    }
    return name;
  }

  private static String privateNumbers() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < MCKERNEL_PRIVATE.length; i++) {
      b.append(i == 0 ? "" : ", ").append(MCKERNEL_PRIVATE[i]).append(' ').append(MCKERNEL_PRIVATE_NUMBERS[i]);
    }
    return b.toString();
  }

  /** Whether {@code name} is a known system call (Linux or McKernel-private). */
  public static boolean exists(String name) {
    return name != null && BY_NAME.containsKey(name);
  }

  /** Whether {@code number} is a known system call number (Linux or McKernel-private). */
  public static boolean exists(int number) {
    return lookup(number) != null;
  }

  /** Whether {@code name} is one of McKernel's private calls, which Linux does not have. */
  public static boolean isMcKernelPrivate(String name) {
    return exists(name) && isMcKernelPrivate(BY_NAME.get(name));
  }

  /** Whether {@code number} is one of McKernel's private calls. */
  public static boolean isMcKernelPrivate(int number) {
    return privateIndex(number) >= 0;
  }

  private static int privateIndex(int number) {
    for (int i = 0; i < MCKERNEL_PRIVATE_NUMBERS.length; i++) {
      if (MCKERNEL_PRIVATE_NUMBERS[i] == number) {
        return i;
      }
    }
    return -1;
  }

  /** Every known name, in number order (Linux calls first, then the McKernel-private ones). */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * Up to {@value #MAX_NEAR_MATCHES} known names closest to {@code name}, closest first: by edit
   * distance (a swap of two neighbouring letters counts as one edit), then by the length of the common
   * prefix, then alphabetically. Names further than a few edits away are not listed unless they contain
   * {@code name}; the list may be empty.
   */
  public static List<String> nearMatches(String name) {
    if (name == null || name.isBlank()) {
      return List.of();
    }
    String query = name.trim().toLowerCase(Locale.ROOT);
    return Suggestions.nearest(query, NAMES, Math.max(3, query.length() / 3), MAX_NEAR_MATCHES);
  }

  /** Why {@code name} names no call: out of range, or unknown with its near matches. */
  public static String whyNot(String name) {
    try {
      return byNumber(name) == null ? unknownMessage(name) : "";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** The message of an unknown-name error: the name and its near matches. */
  static String unknownMessage(String name) {
    if (name == null || name.isBlank()) {
      return "a syscall name is required (a name of the Linux x86_64 table such as read, write or openat)";
    }
    List<String> near = nearMatches(name);
    if (near.isEmpty()) {
      return "unknown syscall '" + name + "'; no known name is close (names follow the Linux x86_64 table, "
          + "such as read, write, openat, or McKernel's private get_cpu_id, pmc_init, ...)";
    }
    return "unknown syscall '" + name + "'; did you mean " + String.join(", ", near) + "?";
  }

  private static String lookup(int number) {
    if (number >= 0 && number < CLASSIC.length) {
      return CLASSIC[number];
    }
    if (number >= FIRST_RECENT && number < FIRST_RECENT + RECENT.length) {
      return RECENT[number - FIRST_RECENT];
    }
    int i = privateIndex(number);
    return i >= 0 ? MCKERNEL_PRIVATE[i] : null;
  }
}
