package io.mcksim.config;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A set of CPU ids written the way IHK's tools write them: comma-separated ids and ranges, such as
 * {@code 1-3,5}. Immutable; iterates in ascending order.
 */
public final class CpuList {

  private final int[] cpus;

  private CpuList(int[] ascending) {
    this.cpus = ascending;
  }

  public static final CpuList EMPTY = new CpuList(new int[0]);

  /**
   * The largest CPU id a list may hold: 65,535. Linux supports at most 8,192 CPUs (NR_CPUS); the bound
   * keeps a list's memory small (a range is expanded to its ids) and every id far from overflow.
   */
  public static final int MAX_ID = 65_535;

  /** Parses {@code 1-3,5}; an empty or blank string is the empty list. */
  public static CpuList parse(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return EMPTY;
    }
    BitSet set = new BitSet();
    for (String part : t.split(",", -1)) {
      String p = part.trim();
      int dash = p.indexOf('-');
      try {
        if (dash < 0) {
          set.set(nonNegative(p, text));
        } else {
          int from = nonNegative(p.substring(0, dash).trim(), text);
          int to = nonNegative(p.substring(dash + 1).trim(), text);
          if (to < from) {
            throw new IllegalArgumentException("'" + text + "': range " + p + " runs backwards; write "
                + to + "-" + from);
          }
          set.set(from, to + 1);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a CPU list; write ids and ranges such as"
            + " 1-3,5");
      }
    }
    return new CpuList(set.stream().toArray());
  }

  private static int nonNegative(String s, String whole) {
    if (s.startsWith("-")) {
      throw new IllegalArgumentException("'" + whole + "': CPU ids are not negative");
    }
    if (!s.matches("\\d+")) {
      throw new NumberFormatException(s);
    }
    if (s.length() > 9 || Integer.parseInt(s) > MAX_ID) {
      throw new IllegalArgumentException("'" + whole + "': CPU id " + s + " is out of range; CPU ids are 0-"
          + MAX_ID);
    }
    return Integer.parseInt(s);
  }

  public static CpuList of(int... cpus) {
    return new CpuList(Arrays.stream(cpus).distinct().sorted().toArray());
  }

  /** The ids {@code from} to {@code to}, both included. */
  public static CpuList range(int from, int to) {
    return to < from ? EMPTY : new CpuList(java.util.stream.IntStream.rangeClosed(from, to).toArray());
  }

  public int size() {
    return cpus.length;
  }

  public boolean isEmpty() {
    return cpus.length == 0;
  }

  public int get(int i) {
    return cpus[i];
  }

  public int[] toArray() {
    return cpus.clone();
  }

  public boolean contains(int cpu) {
    return Arrays.binarySearch(cpus, cpu) >= 0;
  }

  /** The ids in this list that are not in {@code other}. */
  public CpuList minus(CpuList other) {
    return new CpuList(Arrays.stream(cpus).filter(c -> !other.contains(c)).toArray());
  }

  /** The ids in both lists. */
  public CpuList intersect(CpuList other) {
    return new CpuList(Arrays.stream(cpus).filter(other::contains).toArray());
  }

  public CpuList union(CpuList other) {
    int[] all = Arrays.copyOf(cpus, cpus.length + other.cpus.length);
    System.arraycopy(other.cpus, 0, all, cpus.length, other.cpus.length);
    return of(all);
  }

  /** Compact form with ranges: {@code 1-3,5}; empty string when empty. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < cpus.length) {
      int j = i;
      while (j + 1 < cpus.length && cpus[j + 1] == cpus[j] + 1) {
        j++;
      }
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(cpus[i]);
      if (j > i) {
        sb.append('-').append(cpus[j]);
      }
      i = j + 1;
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CpuList c && Arrays.equals(cpus, c.cpus);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(cpus);
  }
}
