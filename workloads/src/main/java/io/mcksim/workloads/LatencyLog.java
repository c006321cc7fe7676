package io.mcksim.workloads;

import java.util.Arrays;

/** Latencies of one kind of system call on one CPU: count, sum, extremes, and the samples. */
public final class LatencyLog {

  /** Samples kept per log; counts and sums go on past it. */
  public static final int MAX_SAMPLES = 1 << 20;

  /** Grown as samples come: a log of a few samples (a CPU of a big machine) stays small. */
  private long[] samples = NONE;
  private static final long[] NONE = new long[0];
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
      if (kept == samples.length) {
        samples = Arrays.copyOf(samples, Math.min(MAX_SAMPLES, Math.max(2, samples.length * 2)));
      }
      samples[kept++] = ns;
    }
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
    return Arrays.copyOf(samples, kept);
  }
}
