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
 *   <li>{@link Exit}: the thread ends with a status (for a process's main program, the process ends);
 *   <li>{@link Repeat}: a body of ops run several times in a row, so that loops stay compact;
 *   <li>{@link FixedTime}: FTQ's loop: for each of {@code quanta} fixed time quanta, count the units of
 *       work done in it;
 *   <li>{@link Quantum}: a BSP superstep's compute, its length drawn from a distribution each time;
 *   <li>{@link Collective}: the end of a BSP superstep: the thread waits at its rank's barrier, the rank
 *       takes part in the collective over the interconnect, and the thread goes on when it is released.
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
   * McKernel's private calls); the number is filled in from that table.
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
   * Ends the thread with a status; for a process's main program the process exits with it. Nothing
   * after this op runs, so an exit must be the last op of its sequence. A program that ends without an
   * exit (or exec) exits with status 0.
   *
   * @param status the exit status, 0 to 255 as a parent sees it
   */
  record Exit(int status) implements Op {
    /** Checks the status range. */
    public Exit {
      if (status < 0 || status > 255) {
        throw new IllegalArgumentException("exit status must be 0-255, got " + status);
      }
    }

    @Override
    public String kind() {
      return "exit";
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
}
