package io.mcksim.workloads;

import java.util.Arrays;

/** Latencies of one kind of system call on one CPU: count, sum, extremes, and the samples. */
public final class LatencyLog {

  /** Samples kept per log; counts and sums go on past it. */
  public static final int MAX_SAMPLES = 1 << 20;

  /**
   * The samples, grown as they come: a log of a few samples (a CPU of a big machine) stays small. An
   * {@code int[]} while every sample fits in one (latencies under about 2 s), a {@code long[]} from the
   * first that does not.
   */
  private Object samples = NONE;
  private static final int[] NONE = new int[0];
  private int kept;
  private long count;
  private long sum;
  private long min = Long.MAX_VALUE;
  private long max;

  public void add(long ns) {
    count++;
    sum += ns;
    min = Math.min(min, ns);
    max = Math.max(max, ns);
    if (kept < MAX_SAMPLES) {
      if (samples instanceof int[] small && ns == (int) ns) {
        if (kept == small.length) {
          samples = small = Arrays.copyOf(small, grown(small.length));
        }
        small[kept++] = (int) ns;
        return;
      }
      long[] large = samples instanceof long[] l ? l : widened((int[]) samples);
      if (kept == large.length) {
        large = Arrays.copyOf(large, grown(large.length));
      }
      samples = large;
      large[kept++] = ns;
    }
  }

  private static int grown(int length) {
    return Math.min(MAX_SAMPLES, Math.max(2, length * 2));
  }

  private static long[] widened(int[] small) {
    long[] large = new long[small.length];
    for (int i = 0; i < small.length; i++) {
      large[i] = small[i];
    }
    return large;
  }

  public long count() {
    return count;
  }

  public long sum() {
    return sum;
  }

  public long min() {
    return count == 0 ? 0 : min;
  }

  public long max() {
    return max;
  }

  public double mean() {
    return count == 0 ? 0 : (double) sum / count;
  }

  /** The first {@link #MAX_SAMPLES} latencies, in the order they happened. */
  public long[] samples() {
    if (samples instanceof long[] large) {
      return Arrays.copyOf(large, kept);
    }
    int[] small = (int[]) samples;
    long[] out = new long[kept];
    for (int i = 0; i < kept; i++) {
      out[i] = small[i];
    }
    return out;
  }
}
