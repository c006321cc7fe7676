package io.mcksim.workloads;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Where a thread is in its {@link Program}: hands out the operations one by one, unrolling
 * {@link Op.Repeat} without copying its body.
 */
public final class ProgramCursor {

  private static final class Frame {
    final List<Op> ops;
    int next;
    int repetitionsLeft;

    Frame(List<Op> ops, int repetitions) {
      this.ops = ops;
      this.repetitionsLeft = repetitions;
    }
  }

  /** The program, then each repeat under way inside it: a few frames (a BSP thread has two). */
  private final Deque<Frame> frames = new ArrayDeque<>(2);

  public ProgramCursor(Program program) {
    frames.push(new Frame(program.ops(), 1));
  }

  /**
   * Skips the program's first {@code steps} top-level operations (a repeat counts as one), before the
   * first {@link #next}; more than the program has leaves nothing to run.
   */
  public void skip(int steps) {
    Frame f = frames.peek();
    if (steps > 0 && f != null && frames.size() == 1) {
      f.next = Math.min(f.ops.size(), f.next + steps);
    }
  }

  /** The next operation, or null when the program has run out (an implicit exit 0). */
  public Op next() {
    while (!frames.isEmpty()) {
      Frame f = frames.peek();
      if (f.next < f.ops.size()) {
        Op op = f.ops.get(f.next++);
        if (op instanceof Op.Repeat r) {
          frames.push(new Frame(r.body(), r.times()));
          continue;
        }
        return op;
      }
      if (--f.repetitionsLeft > 0) {
        f.next = 0;
      } else {
        frames.pop();
      }
    }
    return null;
  }
}
