package io.mcksim.machine.chaos;

import java.util.Locale;

/**
 * The last events an entity handled (time, source, what), kept raw in a small ring and rendered
 * only when an invariant fails, for the violation's report.
 */
final class Trail {

  static final int SIZE = 8;

  private final long[] time = new long[SIZE];
  private final int[] source = new int[SIZE];
  private final Object[] what = new Object[SIZE];
  private int next;
  private int count;

  void add(long t, int from, Object payload) {
    time[next] = t;
    source[next] = from;
    what[next] = payload;
    next = (next + 1) % SIZE;
    count = Math.min(count + 1, SIZE);
  }

  /** Oldest first, one line each. */
  String render(String name, java.util.function.IntFunction<String> names) {
    StringBuilder sb = new StringBuilder("    ").append(name).append(", last ").append(count).append(" events:\n");
    for (int k = 0; k < count; k++) {
      int i = (next - count + k + SIZE) % SIZE;
      sb.append(String.format(Locale.ROOT, "      %,14d ns  from %-18s %s%n", time[i], names.apply(source[i]),
          what[i]));
    }
    return sb.toString();
  }
}
