package io.mcksim.linux.noise;

/**
 * Something that takes a Linux CPU away from whatever runs on it: the timer tick, a daemon, an
 * interrupt, a replayed trace. A source yields its interruptions in order of start, as
 * [start, start + duration) intervals; it may be endless.
 */
public interface NoiseSource {

  /** A fresh cursor over this source's interruptions on one CPU. */
  Cursor cursor();

  /** Walks one source's interruptions in order of start. */
  interface Cursor {
    /** Start of the current interruption, or {@code Long.MAX_VALUE} when there are no more. */
    long start();

    /** Duration of the current interruption. */
    long duration();

    /** Moves to the next interruption. */
    void advance();
  }
}
