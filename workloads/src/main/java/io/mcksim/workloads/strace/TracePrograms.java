package io.mcksim.workloads.strace;

import io.mcksim.workloads.LinuxSyscalls;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a trace into programs. Each thread becomes a program: the time between the end of one of its
 * calls and the start of the next becomes compute; each call becomes a syscall op with the arguments
 * that set its cost (file descriptor, bytes moved as the return value says, mmap lengths and flags).
 * {@code clone} with {@code CLONE_VM} makes a thread ({@code spawn-thread}); {@code fork}, {@code vfork}
 * and {@code clone} without it make a process ({@code fork}); a successful {@code execve} starts a new
 * image ({@code exec}) that runs the rest of the thread's calls; {@code exit} and {@code exit_group}
 * end it. A call the Linux x86_64 table does not know is replayed as its recorded time and counted.
 */
public final class TracePrograms {

  /**
   * @param root      the first process, its threads and children inside it (for the McKernel model)
   * @param threads   every thread on its own, by tid, without thread, fork and exec ops (for models that
   *                  run each thread on a CPU of its own), each starting with the time until its creator
   *                  created it when every call takes what {@code callNs} says
   * @param gapsNs    per tid, the compute its program holds (the gaps between its calls)
   * @param unknown   calls of syscalls the table does not know, by name, with their counts
   * @param counts    calls per syscall name, over the whole trace
   */
  public record Result(Program root, Map<Integer, Program> threads, Map<Integer, Long> gapsNs,
      Map<String, Long> unknown, Map<String, Long> counts) {

    public long totalGapsNs() {
      return gapsNs.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static final Set<String> FD_FIRST = Set.of("read", "write", "pread64", "pwrite64", "readv",
      "writev", "preadv", "pwritev", "close", "fstat", "lseek", "ioctl", "fcntl", "getdents64", "fsync",
      "fdatasync", "ftruncate", "sendto", "recvfrom", "sendmsg", "recvmsg", "connect", "accept", "accept4",
      "bind", "listen", "shutdown", "getsockname", "getpeername", "setsockopt", "getsockopt", "epoll_ctl",
      "epoll_wait", "epoll_pwait", "dup", "dup2", "dup3", "flock", "fchmod", "fchown", "fstatfs", "sendfile");
  private static final Set<String> BYTES_MOVED = Set.of("read", "write", "pread64", "pwrite64", "readv",
      "writev", "preadv", "pwritev", "sendto", "recvfrom", "sendmsg", "recvmsg", "getdents64", "sendfile");
  private static final Set<String> REGION = Set.of("munmap", "mprotect", "madvise", "mremap", "msync",
      "mlock", "munlock", "mincore");
  private static final Map<String, Long> MAP_FLAGS = Map.of("MAP_SHARED", 0x01L, "MAP_PRIVATE", 0x02L,
      "MAP_FIXED", 0x10L, "MAP_ANONYMOUS", 0x20L, "MAP_NORESERVE", 0x4000L, "MAP_POPULATE", 0x8000L,
      "MAP_STACK", 0x20000L, "MAP_HUGETLB", 0x40000L, "MAP_DENYWRITE", 0x0800L);

  private TracePrograms() {}

  /** Programs of a trace; threads on their own start as if every call took no time. */
  public static Result of(StraceTrace trace) {
    return of(trace, name -> 0L);
  }

  /**
   * @param callNs what a call of each name takes where the threads run on their own (for when each
   *               thread was created)
   */
  public static Result of(StraceTrace trace, java.util.function.ToLongFunction<String> callNs) {
    return new Builder(trace, callNs).build();
  }

  private static final class Builder {
    private final StraceTrace trace;
    private final Map<Integer, Long> gaps = new LinkedHashMap<>();
    private final Map<String, Long> unknown = new TreeMap<>();
    private final Map<String, Long> counts = new TreeMap<>();
    private final Map<Integer, Program> flat = new LinkedHashMap<>();
    /** When each thread was created (its creating call's return), by tid. */
    private final Map<Integer, Long> created = new HashMap<>();
    /** The thread or process each creating call made, by the call. */
    private final Map<StraceCall, StraceTrace.Child> childOf = new java.util.IdentityHashMap<>();

    private final java.util.function.ToLongFunction<String> callNs;
    /** When each thread starts on its own: its creator's compute and calls up to the creating call. */
    private final Map<Integer, Long> modelStart = new HashMap<>();

    Builder(StraceTrace trace, java.util.function.ToLongFunction<String> callNs) {
      this.trace = trace;
      this.callNs = callNs;
    }

    Result build() {
      for (List<StraceTrace.Child> kids : trace.children().values()) {
        for (StraceTrace.Child k : kids) {
          created.putIfAbsent(k.tid(), k.call().endNs());
          childOf.put(k.call(), k);
        }
      }
      for (List<StraceCall> list : trace.calls().values()) {
        for (StraceCall c : list) {
          counts.merge(c.name(), 1L, Long::sum);
          if (!LinuxSyscalls.exists(c.name())) {
            unknown.merge(c.name(), 1L, Long::sum);
          }
        }
      }
      int root = trace.root();
      Program rootProgram = thread(root, "pid " + root);
      // creators come before what they create: a thread's first call follows its creating call
      for (int tid : trace.calls().keySet()) {
        flat.put(tid, flatThread(tid));
      }
      return new Result(rootProgram, flat, gaps, unknown, counts);
    }

    /** The program of thread {@code tid}, with its threads, children and exec'd images inside it. */
    private Program thread(int tid, String name) {
      List<StraceCall> calls = trace.calls().getOrDefault(tid, List.of());
      long gapSum = 0;
      long prevEnd = created.getOrDefault(tid, calls.isEmpty() ? 0 : calls.get(0).startNs());
      List<List<Op>> images = new ArrayList<>();
      List<Op> ops = new ArrayList<>();
      images.add(ops);
      for (StraceCall c : calls) {
        long gap = c.startNs() - prevEnd;
        if (gap > 0) {
          ops.add(new Op.Compute(gap));
          gapSum += gap;
        }
        prevEnd = Math.max(prevEnd, c.endNs());
        StraceTrace.Child kid = childOf.get(c);
        if (kid != null) {
          Program child = thread(kid.tid(), (kid.thread() ? "thread " : "pid ") + kid.tid());
          ops.add(kid.thread() ? new Op.SpawnThread(child) : new Op.Fork(child));
        } else if (c.name().equals("execve") && !c.failed() && c.value() == 0) {
          ops = new ArrayList<>();
          images.add(ops);
        } else if (c.name().equals("exit") || c.name().equals("exit_group")) {
          ops.add(new Op.Exit(status(c)));
          break;
        } else {
          ops.add(call(c));
        }
      }
      gaps.merge(tid, gapSum, Long::sum);
      // each image but the last ends by exec'ing the next
      Program image = new Program(name, images.get(images.size() - 1));
      for (int i = images.size() - 2; i >= 0; i--) {
        List<Op> before = new ArrayList<>(images.get(i));
        before.add(new Op.Exec(image));
        image = new Program(name, before);
      }
      return image;
    }

    /** Thread {@code tid} alone: the time until it was created, then its compute and calls. */
    private Program flatThread(int tid) {
      List<Op> ops = new ArrayList<>();
      long start = modelStart.getOrDefault(tid, 0L);
      if (start > 0) {
        ops.add(new Op.Compute(start));
      }
      long t = start;
      List<StraceCall> calls = trace.calls().getOrDefault(tid, List.of());
      long prevEnd = created.getOrDefault(tid, calls.isEmpty() ? 0 : calls.get(0).startNs());
      for (StraceCall c : calls) {
        long gap = c.startNs() - prevEnd;
        if (gap > 0) {
          ops.add(new Op.Compute(gap));
          t += gap;
        }
        prevEnd = Math.max(prevEnd, c.endNs());
        t += LinuxSyscalls.exists(c.name()) ? callNs.applyAsLong(c.name()) : Math.max(0, c.durationNs());
        StraceTrace.Child kid = childOf.get(c);
        if (kid != null) {
          modelStart.putIfAbsent(kid.tid(), t);
        }
        if (c.name().equals("exit") || c.name().equals("exit_group")) {
          ops.add(new Op.Exit(status(c)));
          break;
        }
        boolean image = c.name().equals("execve") && !c.failed() && c.value() == 0;
        ops.add(image ? new Op.Syscall("execve") : call(c));
      }
      return new Program("tid " + tid, ops);
    }

    private Op call(StraceCall c) {
      if (!LinuxSyscalls.exists(c.name())) {
        return new Op.Compute(Math.max(0, c.durationNs()));
      }
      return new Op.Syscall(c.name(), args(c));
    }
  }

  private static int status(StraceCall c) {
    try {
      return Integer.parseInt(c.arg(0).trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The arguments that set a call's cost. */
  static SyscallArgs args(StraceCall c) {
    String n = c.name();
    SyscallArgs a = SyscallArgs.NONE;
    if (FD_FIRST.contains(n)) {
      a = a.withFd(fd(c.arg(0)));
    }
    if (BYTES_MOVED.contains(n)) {
      long v = c.value();
      long bytes = !c.failed() && v != Long.MIN_VALUE && v >= 0 ? v : number(c.arg(2));
      a = a.size(Math.max(0, bytes));
    }
    if (n.equals("mmap")) {
      a = a.address(Math.max(0, number(c.arg(0)))).length(Math.max(0, number(c.arg(1))))
          .flags(flags(c.arg(3))).withFd(fd(c.arg(4)));
    } else if (REGION.contains(n)) {
      a = a.address(Math.max(0, number(c.arg(0)))).length(Math.max(0, number(c.arg(1))));
    } else if (n.equals("brk")) {
      a = a.address(Math.max(0, number(c.arg(0))));
    } else if (n.endsWith("at") && c.arg(0).equals("AT_FDCWD")) {
      a = a.withFd(SyscallArgs.AT_FDCWD);
    }
    return a;
  }

  /** A descriptor as strace prints it: {@code 3}, or {@code 3</etc/passwd>} with -y. */
  static int fd(String s) {
    String t = s.trim();
    int end = 0;
    while (end < t.length() && (Character.isDigit(t.charAt(end)) || (end == 0 && t.charAt(0) == '-'))) {
      end++;
    }
    try {
      return end == 0 ? SyscallArgs.NO_FD : Integer.parseInt(t.substring(0, end));
    } catch (NumberFormatException e) {
      return SyscallArgs.NO_FD;
    }
  }

  /** A number as strace prints it (decimal, 0x hex, NULL), or 0. */
  static long number(String s) {
    String t = s.trim();
    try {
      if (t.equals("NULL")) {
        return 0;
      }
      if (t.startsWith("0x")) {
        return Long.parseUnsignedLong(t.substring(2), 16);
      }
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static long flags(String s) {
    long f = 0;
    for (String part : s.split("\\|")) {
      f |= MAP_FLAGS.getOrDefault(part.trim(), 0L);
    }
    return f;
  }
}
