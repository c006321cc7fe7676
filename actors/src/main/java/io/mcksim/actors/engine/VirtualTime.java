package io.mcksim.actors.engine;

/**
 * Arithmetic on virtual time (nanoseconds in a {@code long}) that never wraps into negative times.
 * The largest time, {@link #NEVER} ({@code Long.MAX_VALUE} ns, about 292 years), stands for "never":
 * it lies beyond every run's end. Two rules, one per kind of input:
 *
 * <ul>
 *   <li>inside a model, a time plus a duration that goes past the largest time is that time:
 *       {@link #after} saturates, so a fault lasting "forever" or a huge delay simply never ends
 *       within the run (the engines treat an event past the end the same way);</li>
 *   <li>where a user asks for a time directly (the shell's {@code advance}, an end time),
 *       {@link #plus} refuses a sum past the largest time with an error that names the input.</li>
 * </ul>
 *
 * <p>Both cost one addition and one comparison, and give the same result as {@code +} whenever the
 * sum fits: digests do not change.
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

  /**
   * {@code time + duration} for a non-negative duration given by the user as {@code input}.
   *
   * @throws IllegalArgumentException naming {@code input} when the sum would go past {@link #NEVER}
   */
  public static long plus(long time, long duration, String input) {
    if (duration < 0) {
      throw new IllegalArgumentException(input + ": a duration cannot be negative, got " + duration + "ns");
    }
    long r = time + duration;
    if (r < time) {
      throw new IllegalArgumentException(input + ": " + time + "ns + " + duration + "ns goes past the largest"
          + " virtual time, " + NEVER + "ns (about 292 years); give a smaller duration");
    }
    return r;
  }
}
