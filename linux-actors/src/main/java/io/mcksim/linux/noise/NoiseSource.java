package io.mcksim.linux.noise;

/**
 * Something that takes a Linux CPU away from whatever runs on it: the timer tick, a daemon, an
 * interrupt, a replayed trace. A source yields its interruptions in order of start, as
 * [start, start + duration) intervals; it may be endless.
 */
public interface NoiseSource {

  /** A fresh cursor over this source's interruptions on one CPU. */
  Cursor cursor();

  /**
   * The share of time its interruptions take in the long run (a tick's duration over its period), or
   * NaN when it has none to speak of (a trace's interruptions end). {@link NoiseTimeline} runs long
   * work at this rate instead of interruption by interruption.
   */
  default double busyFraction() {
    return Double.NaN;
  }

  /** Walks one source's interruptions in order of start. */
  interface Cursor {
    /** Start of the current interruption, or {@code Long.MAX_VALUE} when there are no more. */
    long start();

    /** Duration of the current interruption. */
    long duration();

    /** Moves to the next interruption. */
    void advance();

    /**
     * Moves to the first interruption that starts at {@code t} or later, for a CPU on which nothing ran
     * until then (what is skipped preempts nothing): by default one by one; a source that can jumps there
     * in closed form, exactly (a tick) or by drawing afresh from {@code t} (random noise, whose
     * exponential gaps have no memory).
     */
    default void skipTo(long t) {
      while (start() < t) {
        advance();
      }
    }
  }
}
