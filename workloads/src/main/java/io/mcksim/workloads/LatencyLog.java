package io.mcksim.workloads;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Latencies of one kind of system call on one CPU (or the times of its computations, its FTQ counts):
 * count, sum, extremes, and the samples. A log may also hand every sample, as it comes, to a consumer
 * ({@link #feeding}: a histogram, a file) and keep fewer of them ({@link #keeping}), so that a long run
 * holds no more than that.
 */
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
  /**
   * Where every sample goes as it comes, and how many are kept; null: none, and up to MAX_SAMPLES. A
   * hook of this JVM: a log sent elsewhere (Kryo) travels without it.
   */
  private transient Fed feed;

  private record Fed(Sink sink, int keep) {}

  /**
   * Where a fed log's samples go ({@link #feeding}), as they come: one by one, or a run of equal samples
   * at once ({@link #add(long, long)}), which a histogram counts in one step.
   */
  @FunctionalInterface
  public interface Sink extends LongConsumer {
    /** {@code times} samples of {@code sample}, one after another; by default each handed on alone. */
    default void accept(long sample, long times) {
      for (long i = 0; i < times; i++) {
        accept(sample);
      }
    }
  }
  private long count;
  private long sum;
  private long min = Long.MAX_VALUE;
  private long max;

  /**
   * Hands every sample from now on to {@code consumer} as it comes, and keeps at most {@code keep} of
   * them (at most {@link #MAX_SAMPLES}).
   */
  public LatencyLog feeding(Sink consumer, int keep) {
    this.feed = new Fed(consumer, Math.max(0, Math.min(keep, MAX_SAMPLES)));
    return this;
  }

  public void add(long ns) {
    count++;
    sum += ns;
    min = Math.min(min, ns);
    max = Math.max(max, ns);
    Fed f = feed;
    if (f != null) {
      f.sink().accept(ns);
    }
    if (kept < keepLimit()) {
      keep(ns);
    }
  }

  /**
   * {@code times} samples of {@code ns} one after another: the log is as that many {@link #add(long)}
   * calls leave it, and its feed gets them as one run.
   */
  public void add(long ns, long times) {
    if (times <= 0) {
      return;
    }
    count += times;
    sum += ns * times;
    min = Math.min(min, ns);
    max = Math.max(max, ns);
    Fed f = feed;
    if (f != null) {
      f.sink().accept(ns, times);
    }
    for (long i = Math.min(times, Math.max(0, keepLimit() - kept)); i > 0; i--) {
      keep(ns);
    }
  }

  /** How many samples the log keeps at most. */
  private int keepLimit() {
    Fed f = feed;
    return f == null ? MAX_SAMPLES : f.keep();
  }

  /** Keeps one more sample, below {@link #keepLimit}. */
  private void keep(long ns) {
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

  /**
   * The next length of the samples' array: half as long again as the last, from {@link #FIRST_LENGTH}. A
   * log of a few samples (a BSP thread's CPU logs one per iteration, and a machine has millions of such
   * CPUs) is grown once or twice rather than from two up, each growth copying the samples into a new
   * array and making the old one garbage, and keeps at most a third of its array spare.
   */
  private static int grown(int length) {
    return Math.min(MAX_SAMPLES, Math.max(FIRST_LENGTH, length + (length >> 1)));
  }

  /** The samples' first array: room for eight. */
  private static final int FIRST_LENGTH = 8;

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

  /** How many samples are kept: {@link #samples}'s length. */
  public int kept() {
    return kept;
  }

  /** Kept sample {@code i} (from 0, below {@link #kept}), without copying the others. */
  public long sample(int i) {
    java.util.Objects.checkIndex(i, kept);
    return samples instanceof int[] small ? small[i] : ((long[]) samples)[i];
  }

  /** The first latencies, in the order they happened: all, up to {@link #MAX_SAMPLES} (or as {@link #feeding} says). */
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
