package io.mcksim.linux.noise;

import java.util.SplittableRandom;

/**
 * A distribution of durations in ns, drawn from a seeded stream: {@code fixed(v)}, {@code uniform(lo,
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
  public long draw(SplittableRandom random) {
    return switch (kind) {
      case FIXED -> a;
      case UNIFORM -> a == b ? a : a + random.nextLong(b - a + 1);
      case EXPONENTIAL -> (long) (-a * Math.log(1.0 - random.nextDouble()));
    };
  }

  /** The mean. */
  public double mean() {
    return kind == Kind.UNIFORM ? (a + b) / 2.0 : a;
  }
}
