package io.mcksim.actors.engine;

/**
 * Arithmetic on virtual time (nanoseconds in a {@code long}) that never wraps into negative times.
 * The largest time, {@link #NEVER} ({@code Long.MAX_VALUE} ns, about 292 years), stands for "never":
 * it lies beyond every run's end. Inside a model, a time plus a duration that would go past it is
 * {@link #NEVER}: a fault lasting "forever" or a huge delay simply never ends within the run, the way
 * the engines treat an event sent past the end (see {@link SimContext#send}). Where a user asks for a
 * time directly, the command bounds it instead, with an error that names the input (the shell's
 * {@code advance}).
 *
 * <p>{@link #after} costs one addition and one comparison, and gives the same result as {@code +}
 * whenever the sum fits: digests do not change.
 */
public final class VirtualTime {

  /** The largest virtual time: "never". */
  public static final long NEVER = Long.MAX_VALUE;

  private VirtualTime() {}

  /**
   * {@code time + duration} for a non-negative duration, or {@link #NEVER} if the sum would go past
   * it.
   */
  public static long after(long time, long duration) {
    long r = time + duration;
    return r < time ? NEVER : r;
  }
}
