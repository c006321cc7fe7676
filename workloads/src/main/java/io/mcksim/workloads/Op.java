package io.mcksim.workloads;

import java.util.List;
import java.util.Objects;

/**
 * One operation of a simulated thread's {@link Program}. Every kind is an immutable public record whose
 * constructor checks its fields, so an op that exists is well formed.
 *
 * <p>What each kind means to the runtime:
 * <ul>
 *   <li>{@link Compute}: the thread runs on its CPU for a duration of virtual time, making no syscall;
 *   <li>{@link Syscall}: the thread makes a system call, handled by its kernel or offloaded;
 *   <li>{@link Touch}: the thread loads from or stores to a range of its address space (page faults);
 *   <li>{@link SpawnThread}: a new thread of the same process starts running another program;
 *   <li>{@link Fork}: a child process starts with a copy of the address space and runs a program;
 *   <li>{@link Exec}: the process replaces its image with another program (the rest never runs);
 *   <li>{@link Exit}: the thread ends with a status ({@code exit}), or the whole process
 *       ({@code exit_group});
 *   <li>{@link Repeat}: a body of ops run several times in a row, so that loops stay compact;
 *   <li>{@link FixedTime}: FTQ's loop: for each of {@code quanta} fixed time quanta, count the units of
 *       work done in it;
 *   <li>{@link Quantum}: a BSP superstep's compute, its length drawn from a distribution each time;
 *   <li>{@link Collective}: the end of a BSP superstep: the thread waits at its rank's barrier, the rank
 *       takes part in the collective over the interconnect, and the thread goes on when it is released;
 *   <li>{@link Futex}: {@code futex(FUTEX_WAIT)}: the thread sleeps on a user address until a
 *       {@code futex(FUTEX_WAKE)} on it releases it (first come, first released) or a signal interrupts it;
 *   <li>{@link Kill} and {@link Tgkill}: the thread sends a signal to a process or to one thread;
 *   <li>{@link SigAction}: {@code rt_sigaction}: the process's action for a signal becomes a handler (a
 *       small program run by the thread the signal is delivered to), ignore ({@code SIG_IGN}) or the
 *       default ({@code SIG_DFL}).
 * </ul>
 */
public sealed interface Op {

  /** The kind of op in words, as programs and error messages write it: {@code compute}, {@code syscall}, ... */
  String kind();

  /**
   * FTQ: the thread works in units of {@code unitNs} for {@code quanta} fixed quanta of
   * {@code quantumNs} each, counting the units done in each quantum (a unit cut by a quantum's end
   * counts in the next). Noise shows as fewer units.
   */
  record FixedTime(long quantumNs, int quanta, long unitNs) implements Op {
    /** Checks the sizes. */
    public FixedTime {
      if (quantumNs < 1 || quanta < 1 || unitNs < 1) {
        throw new IllegalArgumentException("ftq needs a positive quantum, quanta and work unit, got "
            + quantumNs + "ns x " + quanta + ", unit " + unitNs + "ns");
      }
    }

    @Override
    public String kind() {
      return "ftq";
    }
  }

  /**
   * Runs on the CPU for {@code ns} nanoseconds of virtual time.
   *
   * @param ns the duration; 0 is allowed (a no-op), negative is not
   */
  record Compute(long ns) implements Op {
    /** Checks that the duration is not negative. */
    public Compute {
      if (ns < 0) {
        throw new IllegalArgumentException("compute duration must not be negative, got " + ns + "ns");
      }
    }

    @Override
    public String kind() {
      return "compute";
    }
  }

  /**
   * A system call by name. The name must be in {@link LinuxSyscalls} (a Linux x86_64 call or one of
   * McKernel's private calls), or {@code syscall_N} for a call named by its number (a known number
   * becomes its name; any other is a call without a name, which McKernel forwards to Linux); the number
   * is filled in from that table.
   *
   * @param name   the call's name, e.g. {@code write}
   * @param number its number in {@link LinuxSyscalls}; must match the name
   * @param args   its arguments, {@link SyscallArgs#NONE} when it takes none
   */
  record Syscall(String name, int number, SyscallArgs args) implements Op {
    /**
     * Checks the name against {@link LinuxSyscalls} and the number against the name.
     *
     * @throws IllegalArgumentException for an unknown name (listing the near matches) or a wrong number
     */
    public Syscall {
      int expected = LinuxSyscalls.number(name);
      if (number != expected) {
        throw new IllegalArgumentException("syscall " + name + " has number " + expected + ", not " + number);
      }
      name = LinuxSyscalls.name(number); // syscall_N names the call N is, or stays as it is
      Objects.requireNonNull(args, "syscall args (use SyscallArgs.NONE for none)");
    }

    /** A call by name, its number looked up. */
    public Syscall(String name, SyscallArgs args) {
      this(name, LinuxSyscalls.number(name), args);
    }

    /** A call by name without arguments. */
    public Syscall(String name) {
      this(name, SyscallArgs.NONE);
    }

    @Override
    public String kind() {
      return "syscall";
    }
  }

  /**
   * Accesses {@code length} bytes of memory from {@code address}.
   *
   * @param address the first byte; not negative
   * @param length  how many bytes; at least 1, and the range must not wrap past the end of the address space
   * @param access  read or write
   */
  record Touch(long address, long length, Access access) implements Op {
    /** Checks the range and the access. */
    public Touch {
      if (address < 0) {
        throw new IllegalArgumentException("touch address must not be negative, got " + address);
      }
      if (length <= 0) {
        throw new IllegalArgumentException("touch length must be at least 1 byte, got " + length);
      }
      if (address > Long.MAX_VALUE - length) {
        throw new IllegalArgumentException("touch range 0x" + Long.toHexString(address) + " + " + length
            + " wraps past the end of the address space");
      }
      Objects.requireNonNull(access, "touch access (READ or WRITE)");
    }

    @Override
    public String kind() {
      return "touch";
    }
  }

  /**
   * Starts a new thread in the same process (same address space), which runs {@code program}; the
   * spawning thread goes on with its next op.
   *
   * @param program what the new thread runs
   */
  record SpawnThread(Program program) implements Op {
    /** Checks that there is a program. */
    public SpawnThread {
      Objects.requireNonNull(program, "the spawned thread's program");
    }

    @Override
    public String kind() {
      return "spawn-thread";
    }
  }

  /**
   * Forks the process: a child process with a copy of the address space runs {@code child}; the parent
   * goes on with its next op.
   *
   * @param child what the child process runs
   */
  record Fork(Program child) implements Op {
    /** Checks that there is a program. */
    public Fork {
      Objects.requireNonNull(child, "the forked child's program");
    }

    @Override
    public String kind() {
      return "fork";
    }
  }

  /**
   * Replaces the process's image: from here on the thread runs {@code image} and nothing after this op
   * runs, so an exec must be the last op of its sequence.
   *
   * @param image the new program
   */
  record Exec(Program image) implements Op {
    /** Checks that there is a program. */
    public Exec {
      Objects.requireNonNull(image, "the exec'd image's program");
    }

    @Override
    public String kind() {
      return "exec";
    }
  }

  /**
   * Ends the thread with a status ({@code exit}); the process exits when its last thread has, with the
   * status of that thread. With {@code group} ({@code exit_group}) the whole process ends now with this
   * status, its other threads killed wherever they are. Nothing after this op runs, so an exit must be
   * the last op of its sequence. A program that ends without an exit (or exec) exits with status 0.
   *
   * @param status the exit status, 0 to 255 as a parent sees it
   * @param group  whether every thread of the process ends ({@code exit_group})
   */
  record Exit(int status, boolean group) implements Op {
    /** Checks the status range. */
    public Exit {
      if (status < 0 || status > 255) {
        throw new IllegalArgumentException("exit status must be 0-255, got " + status);
      }
    }

    /** {@code exit}: the thread ends. */
    public Exit(int status) {
      this(status, false);
    }

    @Override
    public String kind() {
      return group ? "exit_group" : "exit";
    }
  }

  /**
   * Runs {@code body} {@code times} times in a row. The body may end with an exit or exec only when it
   * runs once, since that ends the first pass.
   *
   * @param times how many passes; at least 1
   * @param body  the ops of one pass; not empty, no op after an exit or exec
   */
  record Repeat(int times, List<Op> body) implements Op {
    /** Checks the count and the body; keeps an immutable copy of the body. */
    public Repeat {
      if (times < 1) {
        throw new IllegalArgumentException("repeat count must be at least 1, got " + times);
      }
      body = OpSequences.check(body, "repeat body");
      if (times > 1 && OpSequences.terminates(body)) {
        throw new IllegalArgumentException("a repeat of " + times + " ends its first pass with "
            + body.get(body.size() - 1).kind() + ", so passes 2 to " + times + " never run");
      }
    }

    @Override
    public String kind() {
      return "repeat";
    }
  }

  /**
   * Computes for a time drawn from a distribution each time the op runs: {@code fixed} ({@code a} ns),
   * {@code uniform} (whole ns in {@code [a, b]}) or {@code exponential} (mean {@code a} ns). The CPU
   * draws from the thread's own random stream, one draw per pass, so every run of a seed draws alike.
   */
  record Quantum(String distribution, long a, long b) implements Op {
    /** The distributions a quantum can follow. */
    public static final List<String> DISTRIBUTIONS = List.of("fixed", "uniform", "exponential");

    /** Checks the distribution and its parameters. */
    public Quantum {
      Objects.requireNonNull(distribution, "distribution");
      if (!DISTRIBUTIONS.contains(distribution)) {
        throw new IllegalArgumentException("unknown quantum distribution '" + distribution + "'; choose one of "
            + DISTRIBUTIONS);
      }
      if (a < 0 || (distribution.equals("uniform") && b < a)) {
        throw new IllegalArgumentException("a quantum needs 0 <= a (and a <= b for uniform), got a=" + a
            + "ns, b=" + b + "ns");
      }
    }

    /** The mean length in ns. */
    public double meanNs() {
      return distribution.equals("uniform") ? (a + b) / 2.0 : a;
    }

    /** The length for a uniform draw {@code u} in [0, 1). */
    public long draw(double u) {
      return switch (distribution) {
        case "fixed" -> a;
        case "uniform" -> a + (long) Math.floor(u * (b - a + 1));
        default -> Math.round(-a * Math.log1p(-u));
      };
    }

    @Override
    public String kind() {
      return "quantum";
    }
  }

  /**
   * The end of a BSP superstep: the thread waits until every thread of its rank has arrived, the rank
   * takes its part in the superstep's collective with the other ranks, and then its threads go on. Only
   * a thread the machine has placed in a rank can run it.
   */
  record Collective() implements Op {
    @Override
    public String kind() {
      return "collective";
    }
  }

  /**
   * {@code futex(address, FUTEX_WAIT)} or {@code futex(address, FUTEX_WAKE, count)} between threads of one
   * process. A wait sleeps until a wake on the same address releases it (waiters are released first come,
   * first served) or a signal with a handler interrupts it (the wait returns {@code -EINTR}); a wake
   * releases up to {@code count} waiters and returns how many it released (0 when nobody waits). The futex
   * word's value is not modelled: a wait always sleeps.
   *
   * @param wake    true for FUTEX_WAKE, false for FUTEX_WAIT
   * @param address the futex word's user address; not negative
   * @param count   how many waiters a wake releases (at least 1); 0 for a wait
   */
  record Futex(boolean wake, long address, int count) implements Op {
    /** Checks the address and the count. */
    public Futex {
      if (address < 0) {
        throw new IllegalArgumentException("futex address must not be negative, got " + address);
      }
      if (wake ? count < 1 : count != 0) {
        throw new IllegalArgumentException(wake ? "a futex wake releases at least 1 waiter, got " + count
            : "a futex wait takes no count, got " + count);
      }
    }

    /** FUTEX_WAIT on {@code address}. */
    public static Futex waitOn(long address) {
      return new Futex(false, address, 0);
    }

    /** FUTEX_WAKE of up to {@code count} waiters on {@code address}. */
    public static Futex wake(long address, int count) {
      return new Futex(true, address, count);
    }

    @Override
    public String kind() {
      return "futex";
    }
  }

  /**
   * {@code kill(pid, signal)}: sends {@code signal} to a process: the thread's own ({@code self}), its
   * parent ({@code parent}), the child its last fork made ({@code child}), or the process with pid
   * {@code pid}. A pid no process has gets {@code -ESRCH}.
   *
   * @param target {@code self}, {@code parent}, {@code child}, or {@code pid} for a number
   * @param pid    the pid for {@code target = "pid"}, else 0
   * @param signal the signal's number ({@link Signals})
   */
  record Kill(String target, int pid, int signal) implements Op {
    /** The targets a kill names in words. */
    public static final List<String> TARGETS = List.of("self", "parent", "child");

    /** Checks the target and the signal. */
    public Kill {
      checkTarget(target, pid, TARGETS, "kill");
      Signals.name(signal);
    }

    @Override
    public String kind() {
      return "kill";
    }
  }

  /**
   * {@code tgkill(tgid, tid, signal)}: sends {@code signal} to one thread of the thread's own process:
   * itself ({@code self}), the process's main thread ({@code main}), the thread it spawned last
   * ({@code spawned}), or thread {@code tid}. A thread that does not exist (or has exited) gets
   * {@code -ESRCH}.
   *
   * @param target {@code self}, {@code main}, {@code spawned}, or {@code tid} for a number
   * @param tid    the thread id for {@code target = "tid"}, else 0
   * @param signal the signal's number ({@link Signals})
   */
  record Tgkill(String target, int tid, int signal) implements Op {
    /** The targets a tgkill names in words. */
    public static final List<String> TARGETS = List.of("self", "main", "spawned");

    /** Checks the target and the signal. */
    public Tgkill {
      checkTarget(target, tid, TARGETS, "tgkill");
      Signals.name(signal);
    }

    @Override
    public String kind() {
      return "tgkill";
    }
  }

  /** Checks a kill's or tgkill's target: one of {@code words}, or a positive number with the word "pid"/"tid". */
  private static void checkTarget(String target, int id, List<String> words, String kind) {
    Objects.requireNonNull(target, kind + " target");
    String number = kind.equals("kill") ? "pid" : "tid";
    if (target.equals(number) ? id < 1 : !words.contains(target) || id != 0) {
      throw new IllegalArgumentException("a " + kind + " goes to one of " + words + " or a " + number
          + " of at least 1, got " + target + (id != 0 ? " " + id : ""));
    }
  }

  /**
   * {@code rt_sigaction(signal, ...)}: the process's action for {@code signal} from now on, for every
   * thread: run {@code handler} (then the interrupted thread goes on where it was), ignore it
   * ({@code SIG_IGN}), or the default ({@code SIG_DFL}, {@link Signals}). SIGKILL's action cannot change.
   *
   * @param signal  the signal's number; not SIGKILL
   * @param action  what the signal does now
   * @param handler the handler's program for {@link Action#HANDLE}, else null
   */
  record SigAction(int signal, Action action, Program handler) implements Op {
    /** What a signal does: run a handler, nothing, or its default action. */
    public enum Action { HANDLE, IGNORE, DEFAULT }

    /** Checks the signal and that a handler comes with {@link Action#HANDLE} only. */
    public SigAction {
      Signals.name(signal);
      if (signal == Signals.SIGKILL) {
        throw new IllegalArgumentException("SIGKILL cannot be caught or ignored (rt_sigaction returns EINVAL)");
      }
      Objects.requireNonNull(action, "the signal's action");
      if ((action == Action.HANDLE) != (handler != null)) {
        throw new IllegalArgumentException("a handler program goes with the handle action only");
      }
    }

    @Override
    public String kind() {
      return "rt_sigaction";
    }
  }
}
