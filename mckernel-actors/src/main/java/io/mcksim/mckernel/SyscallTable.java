package io.mcksim.mckernel;

import io.mcksim.workloads.LinuxSyscalls;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * McKernel's system call dispatch table: for each system call, whether McKernel has a handler for it
 * and handles it itself ({@link Dispatch#LOCAL}), has a handler that serves only McKernel-internal
 * descriptors or always passes the call on ({@link Dispatch#HYBRID}), or has no handler, so that its
 * generic forwarding offloads it to Linux ({@link Dispatch#OFFLOAD}). Every call a table does not list
 * is offloaded, named or not. Names and numbers are those of {@link LinuxSyscalls}. Which of a local
 * handler's cases also ask Linux, and how a hybrid call goes, {@link SyscallHandlers} says.
 *
 * <p>Two built-in tables, each the x86_64 list of one McKernel release (the {@code SYSCALL_HANDLED}
 * entries of the release's {@code syscall_list.h}, github.com/RIKEN-SysSoft/mckernel, with its default
 * build options; McKernel-private calls beyond {@code get_cpu_id} and {@code pmc_*} are not modelled):
 * <ul>
 *   <li>{@value #MCKERNEL_1_0}: release 1.0.0 of 2015-11-13, tag 1.0.0,
 *       {@code arch/x86/kernel/include/syscall_list.h}: 89 calls, among them the performance-counter
 *       calls {@code pmc_*} (601-604); of the descriptor calls only {@code close} has a handler (which
 *       always passes the call on); fork is delegated.
 *   <li>{@value #MCKERNEL_1_8} (the default): release 1.8.0 (commit e597be094, MCKERNEL_VERSION 1.8.0),
 *       {@code arch/x86_64/kernel/include/syscall_list.h}: 106 calls, perf_event_open with the default
 *       ENABLE_PERF; the {@code pmc_*} calls are gone (since 1.7.0) and go to Linux; read, open, openat,
 *       close, ioctl, fcntl, ppoll, pselect6 and epoll_pwait are hybrids.
 * </ul>
 *
 * <p>Tables are immutable and safe to share.
 */
public final class SyscallTable {

  /** Release 1.0.0's table (2015). */
  public static final String MCKERNEL_1_0 = "mckernel-1.0";

  /** Release 1.8.0's table; the default. */
  public static final String MCKERNEL_1_8 = "mckernel-1.8";

  /** The table used when none is chosen. */
  public static final String DEFAULT = MCKERNEL_1_8;

  /**
   * The calls whose McKernel handler serves only McKernel-internal descriptors by itself (read, ioctl,
   * fcntl; open and openat of /dev/xpmem) or always passes the call on to Linux (close, ppoll, pselect6,
   * epoll_pwait): a release's handled calls among these are its hybrids.
   */
  static final java.util.Set<String> DESCRIPTOR_CALLS = java.util.Set.of(
      "read", "open", "openat", "close", "ioctl", "fcntl", "ppoll", "pselect6", "epoll_pwait");

  /** Release 1.0.0's handled calls, in the order of its syscall_list.h. */
  private static final List<String> RELEASE_1_0 = List.of(
      "close", "mmap", "mprotect", "munmap", "brk", "rt_sigaction", "rt_sigprocmask",
      "rt_sigreturn", "sched_yield", "mremap", "msync", "mincore", "madvise", "shmget", "shmat",
      "shmctl", "pause", "nanosleep", "getpid", "clone", "vfork", "execve", "exit", "wait4", "kill",
      "shmdt", "gettimeofday", "getrlimit", "ptrace", "getuid", "getgid", "setuid", "setgid",
      "geteuid", "getegid", "setpgid", "getppid", "setreuid", "setregid", "setresuid", "getresuid",
      "setresgid", "getresgid", "setfsuid", "setfsgid", "rt_sigpending", "rt_sigtimedwait",
      "rt_sigqueueinfo", "rt_sigsuspend", "sigaltstack", "sched_setparam", "sched_getparam",
      "sched_setscheduler", "sched_getscheduler", "sched_get_priority_max",
      "sched_get_priority_min", "sched_rr_get_interval", "mlock", "munlock", "mlockall",
      "munlockall", "arch_prctl", "setrlimit", "settimeofday", "gettid", "futex",
      "sched_setaffinity", "sched_getaffinity", "remap_file_pages", "set_tid_address", "exit_group",
      "tgkill", "mbind", "set_mempolicy", "get_mempolicy", "waitid", "migrate_pages",
      "set_robust_list", "move_pages", "signalfd", "signalfd4", "getcpu", "process_vm_readv",
      "process_vm_writev", "pmc_init", "pmc_start", "pmc_stop", "pmc_reset", "get_cpu_id");

  /** Release 1.8.0's handled calls, in the order of its syscall_list.h. */
  private static final List<String> RELEASE_1_8 = List.of(
      "read", "open", "close", "mmap", "mprotect", "munmap", "brk", "rt_sigaction",
      "rt_sigprocmask", "rt_sigreturn", "ioctl", "sched_yield", "mremap", "msync", "mincore",
      "madvise", "shmget", "shmat", "shmctl", "pause", "nanosleep", "getitimer", "setitimer",
      "getpid", "clone", "fork", "vfork", "execve", "exit", "wait4", "kill", "shmdt", "fcntl",
      "gettimeofday", "getrlimit", "getrusage", "sysinfo", "times", "ptrace", "getuid", "getgid",
      "setuid", "setgid", "geteuid", "getegid", "setpgid", "getppid", "setreuid", "setregid",
      "setresuid", "getresuid", "setresgid", "getresgid", "setfsuid", "setfsgid", "rt_sigpending",
      "rt_sigtimedwait", "rt_sigqueueinfo", "rt_sigsuspend", "sigaltstack", "sched_setparam",
      "sched_getparam", "sched_setscheduler", "sched_getscheduler", "sched_get_priority_max",
      "sched_get_priority_min", "sched_rr_get_interval", "mlock", "munlock", "mlockall",
      "munlockall", "prctl", "arch_prctl", "setrlimit", "settimeofday", "gettid", "tkill", "time",
      "futex", "sched_setaffinity", "sched_getaffinity", "remap_file_pages", "set_tid_address",
      "clock_gettime", "exit_group", "tgkill", "mbind", "set_mempolicy", "get_mempolicy", "waitid",
      "migrate_pages", "openat", "pselect6", "ppoll", "set_robust_list", "move_pages",
      "epoll_pwait", "signalfd", "signalfd4", "perf_event_open", "prlimit64", "getcpu",
      "process_vm_readv", "process_vm_writev", "execveat", "get_cpu_id");

  private static final Map<String, SyscallTable> BUILT_IN = builtIn();

  private final String name;
  private final String release;
  /** Dispatch by syscall number; numbers the table does not list are {@link Dispatch#OFFLOAD}. */
  private final Dispatch[] byNumber;
  private final List<String> locals;
  private final List<String> hybrids;

  private SyscallTable(String name, String release, List<String> handled) {
    this.name = name;
    this.release = release;
    this.byNumber = new Dispatch[LinuxSyscalls.NUMBER_LIMIT];
    Arrays.fill(byNumber, Dispatch.OFFLOAD);
    this.locals = enter(handled.stream().filter(c -> !DESCRIPTOR_CALLS.contains(c)).toList(), Dispatch.LOCAL);
    this.hybrids = enter(handled.stream().filter(DESCRIPTOR_CALLS::contains).toList(), Dispatch.HYBRID);
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
    tables.put(MCKERNEL_1_0, new SyscallTable(MCKERNEL_1_0,
        "release 1.0.0 (tag 1.0.0), arch/x86/kernel/include/syscall_list.h", RELEASE_1_0));
    tables.put(MCKERNEL_1_8, new SyscallTable(MCKERNEL_1_8,
        "release 1.8.0 (commit e597be094), arch/x86_64/kernel/include/syscall_list.h", RELEASE_1_8));
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

  /** The McKernel release and file the table is, e.g. {@code release 1.8.0 (commit e597be094), ...}. */
  public String release() {
    return release;
  }

  /**
   * Where a call goes.
   *
   * @throws IllegalArgumentException for an unknown syscall name, listing the near matches ({@code
   *     syscall_N} names call N)
   */
  public Dispatch classify(String syscall) {
    return byNumber[LinuxSyscalls.number(syscall)];
  }

  /**
   * Where a call goes, by number: a number no call is known by is offloaded, as McKernel's generic
   * forwarding sends every call it has no handler for to Linux.
   *
   * @throws IllegalArgumentException for a number outside 0 to {@link LinuxSyscalls#NUMBER_LIMIT} - 1
   */
  public Dispatch classify(int number) {
    if (number < 0 || number >= byNumber.length) {
      LinuxSyscalls.name(number); // throws, describing the range
    }
    return byNumber[number];
  }

  /**
   * How call {@code s} goes on a descriptor McKernel does not serve itself ({@link SyscallHandlers}):
   * whether McKernel's handler runs it here ({@code local}), and the requests that go to Linux through
   * the offload path, by name, in order (the call itself when it is offloaded).
   */
  public record Plan(boolean local, List<String> toLinux) {
    public Plan {
      toLinux = List.copyOf(toLinux);
    }
  }

  /** How call {@code s} goes under this table, on a descriptor McKernel does not serve. */
  public Plan plan(io.mcksim.workloads.Op.Syscall s) {
    CallRoute r = SyscallHandlers.route(this, s, null);
    return r instanceof CallRoute.Local l
        ? new Plan(true, l.toLinux().stream().map(io.mcksim.workloads.Op.Syscall::name).toList())
        : new Plan(false, List.of(s.name()));
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
