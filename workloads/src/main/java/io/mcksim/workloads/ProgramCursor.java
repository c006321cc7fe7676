package io.mcksim.workloads;

import java.util.List;

/**
 * Where a thread is in its {@link Program}: hands out the operations one by one, unrolling
 * {@link Op.Repeat} without copying its body.
 *
 * <p>The innermost frame under way (the ops it runs, where it is in them, the repetitions left) lives in
 * the cursor's own fields, so that taking an op reads this one object: a machine has millions of
 * threads, and each op of each would otherwise reach a frame object elsewhere in the heap. The frames
 * it runs inside (the program's own, then each enclosing repeat) wait in a chain of {@link Frame}s,
 * innermost first.
 */
public final class ProgramCursor {

  /** A frame the innermost one runs inside: where it stood when the inner one began. */
  private static final class Frame {
    final List<Op> ops;
    final int size;
    final int next;
    final int repetitionsLeft;
    /** The frame this one runs inside, or null for the program's own. */
    final Frame outer;

    Frame(List<Op> ops, int size, int next, int repetitionsLeft, Frame outer) {
      this.ops = ops;
      this.size = size;
      this.next = next;
      this.repetitionsLeft = repetitionsLeft;
      this.outer = outer;
    }
  }

  /** The innermost frame's ops, or null when the program is done. */
  private List<Op> ops;
  /** Its ops' count, read for every op a thread runs. */
  private int size;
  /** Its next op's index. */
  private int next;
  private int repetitionsLeft;
  /** The frames the innermost one runs inside, innermost first; null for none. */
  private Frame outer;

  public ProgramCursor(Program program) {
    enter(program.ops(), 1);
  }

  /** A frame of {@code body}, run {@code repetitions} times, becomes the innermost one. */
  private void enter(List<Op> body, int repetitions) {
    ops = body;
    size = body.size();
    next = 0;
    repetitionsLeft = repetitions;
  }

  /** The innermost frame is done: the one it ran inside goes on, if any. */
  private void leave() {
    Frame f = outer;
    if (f == null) {
      ops = null;
      return;
    }
    ops = f.ops;
    size = f.size;
    next = f.next;
    repetitionsLeft = f.repetitionsLeft;
    outer = f.outer;
  }

  /** The innermost frame waits while a frame of {@code body} runs inside it. */
  private void push(List<Op> body, int repetitions) {
    outer = new Frame(ops, size, next, repetitionsLeft, outer);
    enter(body, repetitions);
  }

  /**
   * Skips the program's first {@code steps} top-level operations (a repeat counts as one), before the
   * first {@link #next}; more than the program has leaves nothing to run.
   */
  public void skip(int steps) {
    if (steps > 0 && ops != null && outer == null) {
      next = Math.min(size, next + steps);
    }
  }

  /**
   * A signal handler interrupts the thread: {@code handler}'s ops come next, once, then the thread goes
   * on where it was (as after {@code rt_sigreturn}). Handlers delivered one after another nest, the
   * last delivered running first.
   */
  public void interrupt(Program handler) {
    if (ops == null) {
      enter(handler.ops(), 1);
    } else {
      push(handler.ops(), 1);
    }
  }

  /**
   * Whether the next operation is a {@link Op.Compute}, without taking it. A repeat or handler that
   * would start with one counts as not (the answer may err only that way).
   */
  public boolean computesNext() {
    if (ops == null) {
      return false;
    }
    if (next < size) {
      return ops.get(next) instanceof Op.Compute;
    }
    if (repetitionsLeft > 1) {
      return ops.get(0) instanceof Op.Compute;
    }
    for (Frame f = outer; f != null; f = f.outer) {
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
    Frame f = outer;
    List<Op> frameOps = ops;
    int from = next;
    int repetitions = repetitionsLeft;
    while (frameOps != null) {
      long rest = computePrefix(frameOps, from);
      if (rest < 0) {
        return saturated(sum, -rest - 1);
      }
      sum = saturated(sum, rest);
      if (repetitions > 1) {
        long pass = computePrefix(frameOps, 0);
        if (pass < 0) {
          return saturated(sum, -pass - 1);
        }
        long passes = repetitions - 1L;
        sum = pass != 0 && passes > Long.MAX_VALUE / pass ? Long.MAX_VALUE : saturated(sum, pass * passes);
      }
      if (f == null) {
        break;
      }
      frameOps = f.ops;
      from = f.next;
      repetitions = f.repetitionsLeft;
      f = f.outer;
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

  /**
   * How many of the next operations, one after another, are the same {@link Op.Compute}: the rest of a
   * repeat whose body is that one computation ({@link #repeatedCompute}); 0 if the innermost frame is
   * not such a repeat. Without taking them.
   */
  public long computeRepeats() {
    if (ops == null || size != 1 || !(ops.get(0) instanceof Op.Compute)) {
      return 0;
    }
    return (next < size ? 1L : 0L) + repetitionsLeft - 1;
  }

  /** The computation {@link #computeRepeats} counts (call only when that is positive). */
  public Op.Compute repeatedCompute() {
    return (Op.Compute) ops.get(0);
  }

  /** Takes {@code n} of the computations {@link #computeRepeats} counts, as {@code n} calls of {@link #next}. */
  public void skipRepeats(long n) {
    long left = computeRepeats() - n;
    if (n < 0 || left < 0) {
      throw new IllegalArgumentException("cannot skip " + n + " of " + computeRepeats() + " repeats");
    }
    next = size;
    repetitionsLeft = (int) (left + 1);
  }

  /** The next operation, or null when the program has run out (an implicit exit 0). */
  public Op next() {
    while (ops != null) {
      if (next < size) {
        Op op = ops.get(next++);
        if (op instanceof Op.Repeat r) {
          push(r.body(), r.times());
          continue;
        }
        return op;
      }
      if (--repetitionsLeft > 0) {
        next = 0;
      } else {
        leave();
      }
    }
    return null;
  }
}
