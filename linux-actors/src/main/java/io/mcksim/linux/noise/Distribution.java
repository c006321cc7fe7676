package io.mcksim.linux.noise;

import java.util.random.RandomGenerator;

/**
 * A distribution of durations in ns, drawn from a seeded stream (a {@link java.util.SplittableRandom}, or a
 * generator that draws as one does): {@code fixed(v)}, {@code uniform(lo,
 * hi)} or {@code exponential(mean)}.
 */
public record Distribution(Kind kind, long a, long b) {

  /** The shapes. */
  public enum Kind { FIXED, UNIFORM, EXPONENTIAL }

  public Distribution {
    if (a < 0 || b < 0 || (kind == Kind.UNIFORM && b < a)) {
      throw new IllegalArgumentException("distribution " + kind + ": bad bounds " + a + ", " + b);
    }
  }

  public static Distribution fixed(long value) {
    return new Distribution(Kind.FIXED, value, value);
  }

  public static Distribution uniform(long low, long high) {
    return new Distribution(Kind.UNIFORM, low, high);
  }

  public static Distribution exponential(long mean) {
    return new Distribution(Kind.EXPONENTIAL, mean, mean);
  }

  /** One draw. */
  public long draw(RandomGenerator random) {
    return switch (kind) {
      case FIXED -> a;
      case UNIFORM -> a == b ? a : a + random.nextLong(b - a + 1);
      case EXPONENTIAL -> (long) (-a * Math.log(1.0 - random.nextDouble()));
    };
  }

  /**
   * The time from an instant chosen at random to the next event of a stream of events whose gaps are
   * drawn from this distribution, as from a stream that has run for ever (its forward recurrence time):
   * uniform over one gap for a fixed gap; a gap again for exponential gaps, which have no memory; for
   * uniform gaps in [a, b], where an instant falls into a gap in proportion to its length, the density
   * 1/mean up to a, falling linearly to 0 at b. The first event of a source whose phase is random.
   */
  public long residual(RandomGenerator random) {
    return switch (kind) {
      case FIXED -> a <= 1 ? 0 : random.nextLong(a);
      case EXPONENTIAL -> draw(random);
      case UNIFORM -> uniformResidual(random.nextDouble());
    };
  }

  /** The inverse of the uniform gaps' forward-recurrence distribution at {@code u} in [0, 1). */
  private long uniformResidual(double u) {
    double mean = mean();
    double y = u * mean;
    if (y <= a) {
      return (long) y;
    }
    // a + z where z - z^2 / (2w) = y - a, w = b - a: the smaller root
    double w = b - a;
    double z = w - Math.sqrt(Math.max(0, w * w - 2 * w * (y - a)));
    return Math.min(b, a + (long) z);
  }

  /** The mean. */
  public double mean() {
    return kind == Kind.UNIFORM ? (a + b) / 2.0 : a;
  }
}
