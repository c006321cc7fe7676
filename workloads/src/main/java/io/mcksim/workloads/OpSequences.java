package io.mcksim.workloads;

import java.util.ArrayList;
import java.util.List;

/** The rules for a sequence of ops (a program's, a repeat body's), shared by the records and the reader. */
final class OpSequences {

  private OpSequences() {
  }

  /**
   * Whether running {@code ops} never returns to what follows them: the last op is an exit or an exec,
   * or a repeat whose body ends so.
   */
  static boolean terminates(List<Op> ops) {
    List<Op> seq = ops;
    while (!seq.isEmpty()) {
      Op last = seq.get(seq.size() - 1);
      if (!(last instanceof Op.Repeat r)) {
        return last instanceof Op.Exit || last instanceof Op.Exec;
      }
      seq = r.body(); // a repeat ends its sequence when its body does: nesting walked, not recursed
    }
    return false;
  }

  /**
   * The index of the first op that can never run because an earlier op of the same sequence ends it
   * (see {@link #terminates}), or -1 when every op can run.
   */
  static int firstUnreachable(List<Op> ops) {
    for (int i = 0; i + 1 < ops.size(); i++) {
      if (terminates(ops.subList(i, i + 1))) {
        return i + 1;
      }
    }
    return -1;
  }

  /**
   * Checks a sequence of ops (not null, not empty, no null op, nothing after an exit or exec) and returns
   * an immutable copy.
   *
   * @param what names the sequence in messages, e.g. {@code program 'x'}
   */
  static List<Op> check(List<Op> ops, String what) {
    if (ops == null || ops.isEmpty()) {
      throw new IllegalArgumentException(what + " needs at least one op");
    }
    List<Op> copy = new ArrayList<>(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      if (op == null) {
        throw new IllegalArgumentException(what + ": op " + i + " is null");
      }
      copy.add(op);
    }
    int unreachable = firstUnreachable(copy);
    if (unreachable >= 0) {
      throw new IllegalArgumentException(what + ": op " + unreachable + " (" + copy.get(unreachable).kind()
          + ") never runs, since op " + (unreachable - 1) + " (" + copy.get(unreachable - 1).kind()
          + ") ends the sequence");
    }
    return List.copyOf(copy);
  }
}
