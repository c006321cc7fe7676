package io.mcksim.workloads;

import java.util.List;

/**
 * Where a thread is in its {@link Program}: hands out the operations one by one, unrolling
 * {@link Op.Repeat} without copying its body.
 */
public final class ProgramCursor {

  private static final class Frame {
    final List<Op> ops;
    /** Its ops' count, read for every op a thread runs (free in the frame's padding). */
    final int size;
    /** The frame this repeat runs inside, or null for the program's own. */
    final Frame outer;
    int next;
    int repetitionsLeft;

    Frame(List<Op> ops, int repetitions, Frame outer) {
      this.ops = ops;
      this.size = ops.size();
      this.repetitionsLeft = repetitions;
      this.outer = outer;
    }
  }

  /**
   * The innermost frame under way: the program's, then each repeat inside it, linked outwards (a BSP
   * thread has two; a machine has millions of threads, so no collection holds them); null when done.
   */
  private Frame top;

  public ProgramCursor(Program program) {
    top = new Frame(program.ops(), 1, null);
  }

  /**
   * Skips the program's first {@code steps} top-level operations (a repeat counts as one), before the
   * first {@link #next}; more than the program has leaves nothing to run.
   */
  public void skip(int steps) {
    Frame f = top;
    if (steps > 0 && f != null && f.outer == null) {
      f.next = Math.min(f.size, f.next + steps);
    }
  }

  /**
   * A signal handler interrupts the thread: {@code handler}'s ops come next, once, then the thread goes
   * on where it was (as after {@code rt_sigreturn}). Handlers delivered one after another nest, the
   * last delivered running first.
   */
  public void interrupt(Program handler) {
    top = new Frame(handler.ops(), 1, top);
  }

  /**
   * Whether the next operation is a {@link Op.Compute}, without taking it. A repeat or handler that
   * would start with one counts as not (the answer may err only that way).
   */
  public boolean computesNext() {
    for (Frame f = top; f != null; f = f.outer) {
      if (f.next < f.size) {
        return f.ops.get(f.next) instanceof Op.Compute;
      }
      if (f.repetitionsLeft > 1) {
        return f.ops.get(0) instanceof Op.Compute;
      }
    }
    return false;
  }

  /**
   * The work of the {@link Op.Compute} operations that come next, one after another, before any other
   * (saturating at {@link Long#MAX_VALUE}): the least time they take. Without taking them; a repeat met
   * on the way ends the count unless it is the one under way.
   */
  public long computeAhead() {
    long sum = 0;
    for (Frame f = top; f != null; f = f.outer) {
      long rest = computePrefix(f.ops, f.next);
      if (rest < 0) {
        return saturated(sum, -rest - 1);
      }
      sum = saturated(sum, rest);
      if (f.repetitionsLeft <= 1) {
        continue;
      }
      long pass = computePrefix(f.ops, 0);
      if (pass < 0) {
        return saturated(sum, -pass - 1);
      }
      long passes = f.repetitionsLeft - 1L;
      sum = pass != 0 && passes > Long.MAX_VALUE / pass ? Long.MAX_VALUE : saturated(sum, pass * passes);
    }
    return sum;
  }

  /**
   * The work of the computations in {@code ops} from {@code from} to the end, or, if another operation
   * comes first, {@code -(the work before it) - 1}.
   */
  private static long computePrefix(List<Op> ops, int from) {
    long sum = 0;
    for (int i = from; i < ops.size(); i++) {
      if (!(ops.get(i) instanceof Op.Compute c)) {
        return -sum - 1;
      }
      sum = saturated(sum, c.ns());
    }
    return sum;
  }

  private static long saturated(long a, long b) {
    long s = a + b;
    return s < a ? Long.MAX_VALUE : s;
  }

  /** The next operation, or null when the program has run out (an implicit exit 0). */
  public Op next() {
    while (top != null) {
      Frame f = top;
      if (f.next < f.size) {
        Op op = f.ops.get(f.next++);
        if (op instanceof Op.Repeat r) {
          top = new Frame(r.body(), r.times(), f);
          continue;
        }
        return op;
      }
      if (--f.repetitionsLeft > 0) {
        f.next = 0;
      } else {
        top = f.outer;
      }
    }
    return null;
  }
}
