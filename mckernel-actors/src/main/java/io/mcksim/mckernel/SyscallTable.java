package io.mcksim.mckernel;

import io.mcksim.workloads.LinuxSyscalls;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * McKernel's system call dispatch table: for each system call, whether McKernel handles it itself
 * ({@link Dispatch#LOCAL}), handles it only for McKernel-internal descriptors and otherwise also sends
 * it to Linux ({@link Dispatch#HYBRID}), or offloads it to Linux ({@link Dispatch#OFFLOAD}). Every call
 * a table does not list is offloaded. Names and numbers are those of {@link LinuxSyscalls}.
 *
 * <p>Two built-in tables, chosen by name:
 * <ul>
 *   <li>{@value #SEED_2015}: the original design's table: process and thread management, signals,
 *       credentials, memory management, time and scheduling, and the performance-counter calls. It has
 *       no hybrid calls: every descriptor call is offloaded.
 *   <li>{@value #MCKERNEL_1_8} (the default): a later x86_64 release: the seed's calls plus further
 *       signal, memory-policy, timer, scheduling and resource-limit calls and perf_event_open, all
 *       local; and the descriptor calls read, open, openat, close, ioctl, fcntl, ppoll, pselect6 and
 *       epoll_pwait as hybrids.
 * </ul>
 *
 * <p>Tables are immutable and safe to share.
 */
public final class SyscallTable {

  /** The original design's table. */
  public static final String SEED_2015 = "seed-2015";

  /** The later x86_64 release's table; the default. */
  public static final String MCKERNEL_1_8 = "mckernel-1.8";

  /** The table used when none is chosen. */
  public static final String DEFAULT = MCKERNEL_1_8;

  /** The seed's local calls (the {@value #SEED_2015} table). */
  private static final List<String> SEED_LOCAL = List.of(
      // process and thread management, signals, credentials
      "arch_prctl", "clone", "execve", "exit", "exit_group", "fork", "futex", "get_cpu_id", "getpid",
      "getuid", "getgid", "geteuid", "getegid", "getresuid", "getresgid", "getppid", "gettid", "kill",
      "pause", "ptrace", "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo",
      "rt_sigreturn", "rt_sigsuspend", "set_tid_address", "setuid", "setgid", "setreuid", "setregid",
      "setresuid", "setresgid", "setfsuid", "setfsgid", "setpgid", "sigaltstack", "tgkill", "vfork",
      "wait4", "waitid",
      // memory management
      "brk", "madvise", "mincore", "mlock", "mmap", "mprotect", "mremap", "msync", "munlock", "munmap",
      "process_vm_readv", "process_vm_writev", "remap_file_pages", "set_robust_list", "shmat", "shmctl",
      "shmdt", "shmget",
      // time and scheduling
      "getcpu", "gettimeofday", "nanosleep", "sched_getaffinity", "sched_setaffinity", "sched_yield",
      // performance counters
      "pmc_init", "pmc_start", "pmc_stop", "pmc_reset");

  /** The local calls {@value #MCKERNEL_1_8} adds to the seed's. */
  private static final List<String> RELEASE_1_8_LOCAL = List.of(
      "tkill", "prctl", "rt_sigtimedwait", "signalfd", "signalfd4", "execveat", "mlockall", "munlockall",
      "mbind", "set_mempolicy", "get_mempolicy", "migrate_pages", "move_pages", "getitimer", "setitimer",
      "settimeofday", "time", "clock_gettime", "times", "sched_setparam", "sched_getparam",
      "sched_setscheduler", "sched_getscheduler", "sched_get_priority_max", "sched_get_priority_min",
      "sched_rr_get_interval", "getrlimit", "setrlimit", "prlimit64", "getrusage", "sysinfo",
      "perf_event_open");

  /** {@value #MCKERNEL_1_8}'s hybrid calls: local for McKernel-internal descriptors, else also Linux. */
  private static final List<String> RELEASE_1_8_HYBRID = List.of(
      "read", "open", "openat", "close", "ioctl", "fcntl", "ppoll", "pselect6", "epoll_pwait");

  private static final Map<String, SyscallTable> BUILT_IN = builtIn();

  private final String name;
  /** Dispatch by syscall number; numbers the table does not list are {@link Dispatch#OFFLOAD}. */
  private final Dispatch[] byNumber;
  private final List<String> locals;
  private final List<String> hybrids;

  private SyscallTable(String name, List<String> locals, List<String> hybrids) {
    this.name = name;
    int size = LinuxSyscalls.FIRST_MCKERNEL_PRIVATE;
    for (String call : LinuxSyscalls.names()) {
      size = Math.max(size, LinuxSyscalls.number(call) + 1);
    }
    this.byNumber = new Dispatch[size];
    Arrays.fill(byNumber, Dispatch.OFFLOAD);
    this.locals = enter(locals, Dispatch.LOCAL);
    this.hybrids = enter(hybrids, Dispatch.HYBRID);
  }

  /** Marks each call; returns them sorted by name. A name listed twice is a bug in the table. */
  private List<String> enter(List<String> calls, Dispatch dispatch) {
    for (String call : calls) {
      int number = LinuxSyscalls.number(call);
      if (byNumber[number] != Dispatch.OFFLOAD) {
        throw new IllegalStateException("table " + name + " lists " + call + " twice");
      }
      byNumber[number] = dispatch;
    }
    return List.copyOf(new TreeSet<>(calls));
  }

  private static Map<String, SyscallTable> builtIn() {
    Map<String, SyscallTable> tables = new TreeMap<>();
    tables.put(SEED_2015, new SyscallTable(SEED_2015, SEED_LOCAL, List.of()));
    List<String> releaseLocal = new ArrayList<>(SEED_LOCAL);
    releaseLocal.addAll(RELEASE_1_8_LOCAL);
    tables.put(MCKERNEL_1_8, new SyscallTable(MCKERNEL_1_8, releaseLocal, RELEASE_1_8_HYBRID));
    return Collections.unmodifiableMap(tables);
  }

  /**
   * A built-in table by name.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static SyscallTable named(String name) {
    SyscallTable table = name == null ? null : BUILT_IN.get(name);
    if (table == null) {
      throw new IllegalArgumentException("unknown syscall table '" + name + "'; known tables: "
          + String.join(", ", BUILT_IN.keySet()) + " (default " + DEFAULT + ")");
    }
    return table;
  }

  /** The {@value #DEFAULT} table. */
  public static SyscallTable defaultTable() {
    return named(DEFAULT);
  }

  /** The names of the built-in tables, sorted. */
  public static List<String> tableNames() {
    return List.copyOf(BUILT_IN.keySet());
  }

  /** This table's name, e.g. {@value #MCKERNEL_1_8}. */
  public String name() {
    return name;
  }

  /**
   * Where a call goes.
   *
   * @throws IllegalArgumentException for an unknown syscall name, listing the near matches
   */
  public Dispatch classify(String syscall) {
    return byNumber[LinuxSyscalls.number(syscall)];
  }

  /**
   * Where a call goes, by number.
   *
   * @throws IllegalArgumentException for a number that is no known syscall
   */
  public Dispatch classify(int number) {
    if (number < 0 || number >= byNumber.length || !LinuxSyscalls.exists(number)) {
      LinuxSyscalls.name(number); // throws, describing the known ranges
    }
    return byNumber[number];
  }

  /** How many calls McKernel handles itself, fully or in part: {@link #localCount} counts hybrids too. */
  public int localCount() {
    return locals.size() + hybrids.size();
  }

  /** How many calls are {@link Dispatch#HYBRID}. */
  public int hybridCount() {
    return hybrids.size();
  }

  /** The {@link Dispatch#LOCAL} calls, sorted by name. */
  public List<String> locals() {
    return locals;
  }

  /** The {@link Dispatch#HYBRID} calls, sorted by name. */
  public List<String> hybrids() {
    return hybrids;
  }

  /** E.g. {@code mckernel-1.8 (108 local incl. 9 hybrid)}. */
  @Override
  public String toString() {
    return name + " (" + localCount() + " local incl. " + hybridCount() + " hybrid)";
  }
}
