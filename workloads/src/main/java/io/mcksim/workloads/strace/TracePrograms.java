package io.mcksim.workloads.strace;

import io.mcksim.workloads.LinuxErrno;
import io.mcksim.workloads.LinuxSyscalls;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Turns a trace into programs. Each thread becomes a program: the time between the end of one of its
 * calls and the start of the next becomes compute; each call becomes a syscall op with the arguments
 * that set its cost (file descriptor, bytes moved as the return value says, mmap lengths and flags),
 * and a failed call fails with its errno (so a failed open opens no descriptor). {@code clone} with
 * {@code CLONE_VM} makes a thread ({@code spawn-thread}); {@code fork}, {@code vfork} and {@code clone}
 * without it make a process ({@code fork}); a successful {@code execve} starts a new image
 * ({@code exec}) that runs the rest of the thread's calls; {@code exit} and {@code exit_group} end it. A
 * call the Linux x86_64 table does not know is replayed as its recorded time and counted.
 *
 * <p>It reads the trace as a stream ({@link StraceParser.Sink}) and keeps per call only its times and
 * its op (equal ops shared), so memory grows with the calls, not with the text. A pid that ends and
 * comes back (a fork given a pid that was used before) is a new thread. A clone whose child pid is
 * still running, its creator among them (a process that would clone itself), makes no child and is
 * reported. Process trees, however deep, are walked without recursion.
 */
public final class TracePrograms {

  /**
   * The programs of a trace and what reading it found.
   *
   * @param trace       what the parser read (lines, timing, unreadable lines)
   * @param root        the first process, its threads and children inside it (for the McKernel model);
   *                    null when the trace has no call
   * @param threadCount the threads with calls (each life of a pid used again counts)
   * @param gapsNs      the compute the root's programs hold (the gaps between their calls)
   * @param unknown     calls of syscalls the table does not know, by name, with their counts
   * @param counts      calls per syscall name, over the whole trace
   * @param recordedNs  from the first call's start to the last call's end, over every thread
   * @param warnings    what looks cut off or wrong (a clone whose child made no call, a thread still
   *                    running at the end, a pid clone gives twice, a call left unfinished)
   * @param flat        builds {@link #threads()}
   */
  public record Result(StraceTrace trace, Program root, int threadCount, long gapsNs, Map<String, Long> unknown,
      Map<String, Long> counts, long recordedNs, Capped<String> warnings,
      java.util.function.Supplier<List<Program>> flat) {

    public long callCount() {
      return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Every thread on its own, in order of its first call, without thread, fork and exec ops (for models
     * that run each thread on a CPU of its own), each starting with the time until its creator created it
     * when every call takes what {@code callNs} says. Built when asked (a model that cannot run as many
     * threads asks for their count first).
     */
    public List<Program> threads() {
      return flat.get();
    }
  }

  /** Distinct ops shared among calls; beyond this many, new ones are kept per call. */
  static final int SHARED_OPS = 1 << 16;

  private static final Set<String> FD_FIRST = Set.of("read", "write", "pread64", "pwrite64", "readv",
      "writev", "preadv", "pwritev", "close", "fstat", "lseek", "ioctl", "fcntl", "getdents64", "fsync",
      "fdatasync", "ftruncate", "sendto", "recvfrom", "sendmsg", "recvmsg", "connect", "accept", "accept4",
      "bind", "listen", "shutdown", "getsockname", "getpeername", "setsockopt", "getsockopt", "epoll_ctl",
      "epoll_wait", "epoll_pwait", "dup", "dup2", "dup3", "flock", "fchmod", "fchown", "fstatfs", "sendfile");
  private static final Set<String> BYTES_MOVED = Set.of("read", "write", "pread64", "pwrite64", "readv",
      "writev", "preadv", "pwritev", "sendto", "recvfrom", "sendmsg", "recvmsg", "getdents64", "sendfile");
  private static final Set<String> REGION = Set.of("munmap", "mprotect", "madvise", "mremap", "msync",
      "mlock", "munlock", "mincore");
  private static final Set<String> CREATE = Set.of("clone", "clone3", "fork", "vfork");
  private static final Map<String, Long> MAP_FLAGS = Map.of("MAP_SHARED", 0x01L, "MAP_PRIVATE", 0x02L,
      "MAP_FIXED", 0x10L, "MAP_ANONYMOUS", 0x20L, "MAP_NORESERVE", 0x4000L, "MAP_POPULATE", 0x8000L,
      "MAP_STACK", 0x20000L, "MAP_HUGETLB", 0x40000L, "MAP_DENYWRITE", 0x0800L);

  private TracePrograms() {}

  /** Programs of a trace; threads on their own start as if every call took no time. */
  public static Result read(List<StraceParser.Source> sources) throws IOException {
    return read(sources, name -> 0L);
  }

  /**
   * Programs of the trace in {@code sources}, read as a stream.
   *
   * @param callNs what a call of each name takes where the threads run on their own (for when each
   *               thread was created)
   * @throws IOException              when a file cannot be read
   * @throws IllegalArgumentException when the trace's times add up past what a long holds
   */
  public static Result read(List<StraceParser.Source> sources, ToLongFunction<String> callNs) throws IOException {
    Builder b = new Builder(callNs);
    StraceTrace trace = StraceParser.parse(sources, b);
    return b.build(trace, sources.isEmpty() ? "the trace" : sources.get(0).name());
  }

  /** One life of a thread id: from its first call (or its creation) until it ends. */
  private static final class Life {
    final int tid;
    final int order;
    int calls;
    long[] start = new long[1];
    long[] end = new long[1];
    Op[] ops = new Op[1];
    /** Whether each call is a successful execve, which starts a new image. */
    boolean[] exec = new boolean[1];
    /** The calls that created a child, in order, and the children. */
    int[] childAt = new int[0];
    Life[] children = new Life[0];
    int kids;
    Life parent;
    /** Union-find link towards the root of the tree this life is in. */
    Life up;
    boolean thread;
    /** When its creating call returned, and where that call is. */
    long createdNs = Long.MIN_VALUE;
    String createdAt;
    boolean ended;
    /** When it starts on its own: its creator's compute and native calls up to the creating call. */
    long modelStart = Long.MIN_VALUE;
    Program tree;

    Life(int tid, int order) {
      this.tid = tid;
      this.order = order;
    }

    int add(long startNs, long endNs, Op op, boolean image) {
      if (calls == start.length) {
        int n = calls + (calls >> 1) + 1;
        start = Arrays.copyOf(start, n);
        end = Arrays.copyOf(end, n);
        ops = Arrays.copyOf(ops, n);
        exec = Arrays.copyOf(exec, n);
      }
      start[calls] = startNs;
      end[calls] = endNs;
      ops[calls] = op;
      exec[calls] = image;
      return calls++;
    }

    void adopt(int at, Life child) {
      if (kids == childAt.length) {
        childAt = Arrays.copyOf(childAt, kids * 2 + 1);
        children = Arrays.copyOf(children, kids * 2 + 1);
      }
      childAt[kids] = at;
      children[kids++] = child;
    }

    /** The root of its tree (union-find with path halving: no recursion, however deep the tree). */
    Life root() {
      Life x = this;
      while (x.up != null) {
        if (x.up.up != null) {
          x.up = x.up.up;
        }
        x = x.up;
      }
      return x;
    }

    String kind() {
      return parent == null ? "pid" : thread ? "thread" : "pid";
    }
  }

  private static final class Builder implements StraceParser.Sink {
    private final ToLongFunction<String> callNs;
    /** Per thread id, its latest life. */
    private final Map<Integer, Life> current = new HashMap<>();
    private final List<Life> lives = new ArrayList<>();
    private final Map<Op, Op> shared = new HashMap<>();
    private final Map<String, Long> unknown = new TreeMap<>();
    private final Map<String, Long> counts = new TreeMap<>();
    private final Capped<String> warnings = new Capped<>(StraceParser.KEPT);
    private long maxEnd = Long.MIN_VALUE;

    Builder(ToLongFunction<String> callNs) {
      this.callNs = callNs;
    }

    @Override
    public void warn(String warning) {
      warnings.add(warning);
    }

    @Override
    public void ended(int tid, String how, String where) {
      Life life = current.get(tid);
      if (life != null) {
        life.ended = true;
      }
    }

    @Override
    public void call(StraceCall c) {
      boolean known = LinuxSyscalls.accepts(c.name()); // strace's syscall_0xN too: McKernel forwards it
      // counted under the call's own name (syscall_0x1c3 is cachestat), as the models log it
      counts.merge(known ? LinuxSyscalls.name(LinuxSyscalls.number(c.name())) : c.name(), 1L, Long::sum);
      if (!known) {
        unknown.merge(c.name(), 1L, Long::sum);
      }
      Life life = current.get(c.tid());
      if (life == null || life.ended) {
        life = born(c.tid());
      }
      boolean exit = c.name().equals("exit") || c.name().equals("exit_group");
      Op op = exit ? new Op.Exit(status(c)) : known ? new Op.Syscall(c.name(), inUserSpace(c, args(c)))
          : new Op.Compute(Math.max(0, c.durationNs()));
      boolean image = c.name().equals("execve") && !c.failed() && c.value() == 0;
      int at = life.add(c.startNs(), c.endNs(), share(op), image);
      maxEnd = Math.max(maxEnd, c.endNs());
      if (CREATE.contains(c.name()) && !c.failed() && c.value() != Long.MIN_VALUE && c.value() > 0) {
        create(life, at, c);
      }
      if (exit) {
        life.ended = true;
      }
    }

    /** The arguments, without a region that does not lie in the user address space (reported). */
    private SyscallArgs inUserSpace(StraceCall c, SyscallArgs a) {
      long user = SyscallArgs.USER_SPACE;
      if (a.address() <= user && a.length() <= user && a.address() + a.length() <= user) {
        return a;
      }
      warn(c.where() + ": " + c.name() + " names the range 0x" + Long.toHexString(a.address()) + " + " + a.length()
          + ", past the user address space (0x" + Long.toHexString(user) + "); it is replayed without it");
      return a.address(0).length(0);
    }

    private Life born(int tid) {
      Life life = new Life(tid, lives.size());
      lives.add(life);
      current.put(tid, life);
      return life;
    }

    private Op share(Op op) {
      Op known = shared.get(op);
      if (known != null) {
        return known;
      }
      if (shared.size() < SHARED_OPS) {
        shared.put(op, op);
      }
      return op;
    }

    /**
     * Call {@code at} of {@code creator} made the thread or process its result names: that pid's life
     * if it started without a creator (its first calls can come before the clone returns, even its end,
     * or its file before its parent's) and not before the clone; a new life if the pid has not started
     * or has ended before (a pid used again); and none if it runs already with a creator, or is the
     * creator's own tree's root (a process cannot create itself or its ancestor).
     */
    private void create(Life creator, int at, StraceCall c) {
      if (c.value() > StraceParser.MAX_PID) {
        warn(c.where() + ": " + c.name() + " returns pid " + c.value() + ", out of range (1 to "
            + StraceParser.MAX_PID + "); no child");
        return;
      }
      int pid = (int) c.value();
      Life child = current.get(pid);
      boolean started = child != null && child.parent == null && child != creator.root()
          && (!child.ended || child.start[0] >= c.startNs());
      if (!started && (child == null || child.ended)) {
        child = born(pid);
      } else if (!started) {
        warn(c.where() + ": " + c.name() + " returns " + (child == creator ? "its own pid " + pid
            : child.parent == null ? "pid " + pid + ", the first process of its own tree" : "pid " + pid
            + ", which runs already (created at " + child.createdAt + ")") + "; no child");
        return;
      }
      child.parent = creator;
      child.up = creator.root();
      child.thread = !c.name().equals("fork") && !c.name().equals("vfork")
          && c.args().stream().anyMatch(a -> a.contains("CLONE_VM"));
      child.createdNs = c.endNs();
      child.createdAt = c.where();
      creator.adopt(at, child);
    }

    Result build(StraceTrace trace, String input) {
      List<Life> ordered = lives.stream().filter(l -> l.calls > 0)
          .sorted(Comparator.comparingLong((Life l) -> l.start[0]).thenComparingInt(l -> l.tid)
              .thenComparingInt(l -> l.order)).toList();
      List<String> running = new ArrayList<>();
      for (Life l : lives) {
        if (l.calls == 0) {
          warn(l.createdAt + ": the " + l.kind() + " this call creates, " + l.tid + ", makes no call (the trace "
              + "ends first: cut off?); it is replayed as doing nothing");
        } else if (!l.ended) {
          running.add(Integer.toString(l.tid));
        }
      }
      if (!running.isEmpty()) {
        warn("the trace ends while " + running.size() + " thread" + (running.size() == 1 ? "" : "s")
            + " still run" + (running.size() == 1 ? "s" : "") + " (" + String.join(", ", running.subList(0,
            Math.min(5, running.size()))) + (running.size() > 5 ? ", ..." : "") + "): cut off?");
      }
      if (ordered.isEmpty()) {
        return new Result(trace, null, 0, 0, unknown, counts, 0, warnings, List::of);
      }
      long first = ordered.get(0).start[0];
      Life root = ordered.stream().filter(l -> l.parent == null).findFirst().orElseThrow();
      long gaps = tree(root, input);
      return new Result(trace, root.tree, ordered.size(), gaps, unknown, counts, maxEnd - first, warnings,
          () -> ordered.stream().map(l -> flat(l, input)).toList());
    }

    /**
     * The programs of {@code root}'s tree, children before their creators (breadth first, then
     * backwards), each holding its children's; their compute in all.
     */
    private long tree(Life root, String input) {
      List<Life> order = new ArrayList<>();
      ArrayDeque<Life> queue = new ArrayDeque<>(List.of(root));
      while (!queue.isEmpty()) {
        Life l = queue.poll();
        order.add(l);
        queue.addAll(Arrays.asList(l.children).subList(0, l.kids));
      }
      long gaps = 0;
      for (int i = order.size() - 1; i >= 0; i--) {
        gaps = plus(gaps, program(order.get(i)), input);
      }
      return gaps;
    }

    /** Sets {@code life.tree}: its calls, children and exec'd images; returns its compute. */
    private long program(Life life) {
      String name = life.kind() + " " + life.tid;
      long gapSum = 0;
      long prevEnd = life.createdNs != Long.MIN_VALUE ? life.createdNs : life.calls == 0 ? 0 : life.start[0];
      List<List<Op>> images = new ArrayList<>();
      List<Op> ops = new ArrayList<>();
      images.add(ops);
      int child = 0;
      for (int i = 0; i < life.calls; i++) {
        long gap = life.start[i] - prevEnd;
        if (gap > 0) {
          ops.add(share(new Op.Compute(gap)));
          gapSum += gap; // the gaps of one life lie apart within MAX_TIME_NS
        }
        prevEnd = Math.max(prevEnd, life.end[i]);
        if (child < life.kids && life.childAt[child] == i) {
          Life kid = life.children[child++];
          ops.add(kid.thread ? new Op.SpawnThread(kid.tree) : new Op.Fork(kid.tree));
        } else if (life.exec[i]) {
          ops = new ArrayList<>();
          images.add(ops);
        } else {
          ops.add(life.ops[i]);
          if (life.ops[i] instanceof Op.Exit) {
            break;
          }
        }
      }
      // each image but the last ends by exec'ing the next; one that the trace cut off does nothing
      List<Op> last = images.get(images.size() - 1);
      Program image = new Program(name, last.isEmpty() ? List.of(new Op.Compute(0)) : last);
      for (int i = images.size() - 2; i >= 0; i--) {
        List<Op> before = images.get(i);
        before.add(new Op.Exec(image));
        image = new Program(name, before);
      }
      life.tree = image;
      return gapSum;
    }

    /** Thread {@code life} alone: the time until it was created, then its compute and calls. */
    private Program flat(Life life, String input) {
      List<Op> ops = new ArrayList<>();
      long start = Math.max(0, life.modelStart);
      if (start > 0) {
        ops.add(share(new Op.Compute(start)));
      }
      long t = start;
      long prevEnd = life.createdNs != Long.MIN_VALUE ? life.createdNs : life.start[0];
      int child = 0;
      for (int i = 0; i < life.calls; i++) {
        long gap = life.start[i] - prevEnd;
        if (gap > 0) {
          ops.add(share(new Op.Compute(gap)));
          t = plus(t, gap, input);
        }
        prevEnd = Math.max(prevEnd, life.end[i]);
        Op op = life.ops[i];
        if (op instanceof Op.Exit) {
          ops.add(op);
          break;
        }
        t = plus(t, op instanceof Op.Syscall s ? callNs.applyAsLong(s.name()) : ((Op.Compute) op).ns(), input);
        if (child < life.kids && life.childAt[child] == i) {
          Life kid = life.children[child++];
          if (kid.modelStart == Long.MIN_VALUE) {
            kid.modelStart = t;
          }
        }
        ops.add(op);
      }
      return new Program("tid " + life.tid, ops);
    }

    private static long plus(long a, long b, String input) {
      try {
        return Math.addExact(a, b);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(input + ": the trace's times add up past 2^63 ns (292 years); "
            + "its timestamps are out of range");
      }
    }
  }

  /** The status of exit or exit_group as a parent sees it: its argument's low byte. */
  private static int status(StraceCall c) {
    return (int) (number(c.arg(0)) & 0xff);
  }

  /** The arguments that set a call's cost, and the error of a failed one. */
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
    return c.failed() ? a.errno(LinuxErrno.number(c.errno())) : a;
  }

  /** A descriptor as strace prints it: {@code 3}, or {@code 3</etc/passwd>} with -y; NO_FD when it is none. */
  static int fd(String s) {
    String t = s.trim();
    int end = 0;
    while (end < t.length() && end < 12 && (Character.isDigit(t.charAt(end)) || (end == 0 && t.charAt(0) == '-'))) {
      end++;
    }
    try {
      return end == 0 ? SyscallArgs.NO_FD : Integer.parseInt(t.substring(0, end));
    } catch (NumberFormatException e) {
      return SyscallArgs.NO_FD;
    }
  }

  /** A number as strace prints it (decimal, 0x hex, NULL), or 0 when it is none or out of range. */
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
