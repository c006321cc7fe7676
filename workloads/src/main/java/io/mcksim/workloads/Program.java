package io.mcksim.workloads;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a simulated thread executes: a named, immutable sequence of {@link Op}s. Programs are data:
 * workloads, trace replays, configuration files ({@link ProgramReader}) and tests all produce them.
 *
 * <pre>{@code
 * Program p = Program.named("writer")
 *     .compute(1_000)
 *     .syscall("write", SyscallArgs.fd(1).size(4096).buffer(0x10000))
 *     .touch(0x10000, 8192, Access.WRITE)
 *     .repeat(100, body -> body.syscall("getpid"))
 *     .exit(0)
 *     .build();
 * }</pre>
 *
 * <p>A program has at least one op, and no op follows an exit or exec (it could never run). A program
 * whose last op is neither an exit nor an exec is allowed: when its ops are done, it exits with status
 * 0, as if it ended with {@code exit(0)}.
 *
 * @param name what reports call it; not blank
 * @param ops  its ops in order; an immutable copy is kept
 */
public record Program(String name, List<Op> ops) {

  /** The status of a program that ends without an explicit exit. */
  public static final int IMPLICIT_EXIT_STATUS = 0;

  /** Checks the name and the sequence of ops (see the class comment). */
  public Program {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a program needs a name");
    }
    ops = OpSequences.check(ops, "program '" + name + "'");
  }

  /** A builder for a program with this name. */
  public static Builder named(String name) {
    return new Builder(name);
  }

  /** Whether the program ends itself (its last op is an exit or an exec) rather than exiting 0 implicitly. */
  public boolean endsExplicitly() {
    return OpSequences.terminates(ops);
  }

  /**
   * How many ops the thread executes when every repeat is unrolled (a repeat itself not counted), or
   * {@link Long#MAX_VALUE} if that overflows. Threads, forks and exec'd images count as one op each;
   * their own programs are not included.
   */
  public long unrolledLength() {
    return walk(false).ops();
  }

  /**
   * What running the program takes, repeats unrolled, with the threads, processes and images it starts
   * (each as often as the op that starts it runs), each sum saturating at {@link Long#MAX_VALUE}.
   *
   * @param ops       the ops run
   * @param pages     the 4 KiB pages the ops name: a touch's range, a call's buffer and region (the
   *                  models walk them page by page)
   * @param computeNs the compute time
   */
  public record Work(long ops, long pages, long computeNs) {}

  /** The work of the program and everything it starts; see {@link Work}. Walks nesting of any depth. */
  public Work work() {
    return walk(true);
  }

  /** A sequence of ops to walk, run {@code passes} times. */
  private record Frame(List<Op> ops, long passes) {}

  /** The ops as a tree of frames, without recursion; {@code nested} follows the programs ops start. */
  private Work walk(boolean nested) {
    long ops = 0;
    long pages = 0;
    long computeNs = 0;
    java.util.ArrayDeque<Frame> stack = new java.util.ArrayDeque<>();
    stack.push(new Frame(this.ops, 1));
    while (!stack.isEmpty()) {
      Frame frame = stack.pop();
      long passes = frame.passes();
      for (Op op : frame.ops()) {
        if (op instanceof Op.Repeat r) {
          stack.push(new Frame(r.body(), saturatingTimes(passes, r.times())));
          continue;
        }
        ops = saturatingPlus(ops, passes);
        Program started = op instanceof Op.Fork f ? f.child() : op instanceof Op.SpawnThread t ? t.program()
            : op instanceof Op.Exec x ? x.image() : op instanceof Op.SigAction a ? a.handler() : null;
        if (nested && started != null) {
          stack.push(new Frame(started.ops, passes));
        } else if (op instanceof Op.Compute c) {
          computeNs = saturatingPlus(computeNs, saturatingTimes(passes, c.ns()));
        } else if (op instanceof Op.FixedTime f) {
          computeNs = saturatingPlus(computeNs, saturatingTimes(passes, saturatingTimes(f.quanta(), f.quantumNs())));
        } else if (op instanceof Op.Touch t) {
          pages = saturatingPlus(pages, saturatingTimes(passes, pagesOf(t.length())));
        } else if (op instanceof Op.Syscall s) {
          pages = saturatingPlus(pages, saturatingTimes(passes,
              saturatingPlus(pagesOf(s.args().size()), pagesOf(s.args().length()))));
        }
      }
    }
    return new Work(ops, pages, computeNs);
  }

  private static long pagesOf(long bytes) {
    return bytes / 4096 + (bytes % 4096 == 0 ? 0 : 1);
  }

  private static long saturatingPlus(long a, long b) {
    return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
  }

  private static long saturatingTimes(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
  }

  /**
   * Builds a {@link Program} op by op. Each method checks its op at once (so a mistake fails on its own
   * line); {@link #build()} checks the sequence.
   */
  public static final class Builder {
    private final String name;
    private final List<Op> ops = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /** Adds {@link Op.Compute}: run for {@code ns} nanoseconds. */
    public Builder compute(long ns) {
      return op(new Op.Compute(ns));
    }

    /** Adds {@link Op.FixedTime}: FTQ's counting loop. */
    public Builder ftq(long quantumNs, int quanta, long unitNs) {
      return op(new Op.FixedTime(quantumNs, quanta, unitNs));
    }

    /** Adds {@link Op.Syscall}: the named call without arguments. */
    public Builder syscall(String name) {
      return op(new Op.Syscall(name));
    }

    /** Adds {@link Op.Syscall}: the named call with {@code args}. */
    public Builder syscall(String name, SyscallArgs args) {
      return op(new Op.Syscall(name, args));
    }

    /** Adds {@link Op.Touch}: access {@code length} bytes from {@code address}. */
    public Builder touch(long address, long length, Access access) {
      return op(new Op.Touch(address, length, access));
    }

    /** Adds {@link Op.SpawnThread}: a new thread runs {@code program}. */
    public Builder spawnThread(Program program) {
      return op(new Op.SpawnThread(program));
    }

    /** Adds {@link Op.Fork}: a child process runs {@code child}. */
    public Builder fork(Program child) {
      return op(new Op.Fork(child));
    }

    /** Adds {@link Op.Exec}: the process becomes {@code image}; must be the last op. */
    public Builder exec(Program image) {
      return op(new Op.Exec(image));
    }

    /** Adds {@link Op.Exit}: end with {@code status}; must be the last op. */
    public Builder exit(int status) {
      return op(new Op.Exit(status));
    }

    /** Adds {@link Op.Repeat}: the ops {@code body} adds to its builder, {@code times} times. */
    public Builder repeat(int times, Consumer<Builder> body) {
      Objects.requireNonNull(body, "repeat body");
      Builder inner = new Builder(name);
      body.accept(inner);
      return op(new Op.Repeat(times, inner.ops));
    }

    /** Adds {@link Op.Repeat}: {@code body}, {@code times} times. */
    public Builder repeat(int times, Op... body) {
      return op(new Op.Repeat(times, List.of(body)));
    }

    /** Adds {@link Op.Exit} of the whole process ({@code exit_group}); must be the last op. */
    public Builder exitGroup(int status) {
      return op(new Op.Exit(status, true));
    }

    /** Adds {@link Op.Futex}: FUTEX_WAIT on {@code address}. */
    public Builder futexWait(long address) {
      return op(Op.Futex.waitOn(address));
    }

    /** Adds {@link Op.Futex}: FUTEX_WAKE of up to {@code count} waiters on {@code address}. */
    public Builder futexWake(long address, int count) {
      return op(Op.Futex.wake(address, count));
    }

    /** Adds {@link Op.Kill}: {@code signal} to {@code self}, {@code parent} or {@code child}. */
    public Builder kill(String target, int signal) {
      return op(new Op.Kill(target, 0, signal));
    }

    /** Adds {@link Op.Tgkill}: {@code signal} to thread {@code self}, {@code main} or {@code spawned}. */
    public Builder tgkill(String target, int signal) {
      return op(new Op.Tgkill(target, 0, signal));
    }

    /** Adds {@link Op.SigAction}: {@code handler} runs when {@code signal} is delivered. */
    public Builder onSignal(int signal, Program handler) {
      return op(new Op.SigAction(signal, Op.SigAction.Action.HANDLE, handler));
    }

    /** Adds {@link Op.SigAction}: {@code signal} is ignored ({@code SIG_IGN}) or back to its default. */
    public Builder sigaction(int signal, Op.SigAction.Action action) {
      return op(new Op.SigAction(signal, action, null));
    }

    /** Adds any op. */
    public Builder op(Op op) {
      ops.add(Objects.requireNonNull(op, "op"));
      return this;
    }

    /** The program. */
    public Program build() {
      return new Program(name, ops);
    }
  }
}
