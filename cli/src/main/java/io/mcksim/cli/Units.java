package io.mcksim.cli;

import java.util.Locale;

/** Human-readable virtual times. */
final class Units {

  private Units() {}

  static String time(long ns) {
    if (ns >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.3f s", ns / 1e9);
    }
    if (ns >= 1_000_000L) {
      return String.format(Locale.ROOT, "%.3f ms", ns / 1e6);
    }
    if (ns >= 1_000L) {
      return String.format(Locale.ROOT, "%.3f us", ns / 1e3);
    }
    return ns + " ns";
  }

  /** A number as short as it reads exactly: 3, 2.5, 0.001. */
  static String plain(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
