package io.mcksim.linux.noise;

/**
 * The timer tick: an interruption of {@code duration} every {@code period}, the first at
 * {@code phase}.
 */
public record PeriodicTick(long period, long duration, long phase) implements NoiseSource {

  public PeriodicTick {
    if (period < 1 || duration < 0 || duration >= period || phase < 0) {
      throw new IllegalArgumentException("tick: need 0 <= duration < period and phase >= 0, got period="
          + period + " duration=" + duration + " phase=" + phase);
    }
  }

  /** A tick at {@code hz} per second. */
  public static PeriodicTick hz(long hz, long duration, long phase) {
    return new PeriodicTick(1_000_000_000L / hz, duration, phase);
  }

  @Override
  public Cursor cursor() {
    return new TickCursor(period, duration, phase);
  }

  /**
   * The ticks of one CPU: it keeps the period and duration itself rather than its source, so that a
   * machine of millions of Linux CPUs keeps one small object per CPU for its tick, and reading it reaches
   * no other.
   */
  private static final class TickCursor implements Cursor {
    private final long period;
    private final long duration;
    private long next;

    TickCursor(long period, long duration, long phase) {
      this.period = period;
      this.duration = duration;
      this.next = phase;
    }

    @Override
    public long start() {
      return next;
    }

    @Override
    public long duration() {
      return duration;
    }

    @Override
    public void advance() {
      next += period;
    }

    @Override
    public void skipTo(long t) {
      if (next < t) {
        next += ((t - next - 1) / period + 1) * period;
      }
    }
  }

  @Override
  public double busyFraction() {
    return (double) duration / period;
  }
}
