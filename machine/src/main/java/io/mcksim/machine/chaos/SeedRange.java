package io.mcksim.machine.chaos;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seeds of a chaos campaign, {@code first..last} inclusive: two numbers, never a list. A campaign
 * walks them in order with {@link #next}, which stops at {@code last} without wrapping, also when
 * {@code last} is {@code Long.MAX_VALUE}.
 *
 * @param first the first seed, 0 or more
 * @param last  the last seed, at least {@code first}
 */
public record SeedRange(long first, long last) {

  /**
   * The most seeds one campaign runs: its report keeps one line per seed (about 100 bytes each), so a
   * larger range is refused before anything runs; split it into several campaigns.
   */
  public static final long MAX_COUNT = 1_000_000;

  private static final Pattern RANGE = Pattern.compile("(\\d+)\\.\\.(\\d+)");

  public SeedRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("seeds " + first + ".." + last + ": expected A..B with 0 <= A <= B");
    }
  }

  /** How many seeds; a range of more than {@code Long.MAX_VALUE} seeds counts as that many. */
  public long count() {
    long n = last - first + 1;
    return n <= 0 ? Long.MAX_VALUE : n;
  }

  /** The seed after {@code seed}, or -1 when {@code seed} is the last. */
  public long next(long seed) {
    return seed >= last ? -1 : seed + 1;
  }

  /**
   * Reads {@code A..B} as given to {@code option}: A and B whole numbers, {@code 0 <= A <= B}, at most
   * {@link #MAX_COUNT} seeds.
   *
   * @throws IllegalArgumentException naming the option, the text and what would be accepted
   */
  public static SeedRange parse(String option, String text) {
    String t = text == null ? "" : text.trim();
    Matcher m = RANGE.matcher(t);
    if (!m.matches()) {
      throw bad(option, text, "expected A..B, two whole numbers with 0 <= A <= B, for example 1..1000");
    }
    long first = number(option, text, m.group(1));
    long last = number(option, text, m.group(2));
    if (first > last) {
      throw bad(option, text, "the range is reversed; write the smaller seed first, for example " + last + ".."
          + first);
    }
    SeedRange r = new SeedRange(first, last);
    if (r.count() > MAX_COUNT) {
      throw bad(option, text, String.format(Locale.ROOT, "%,d seeds; a campaign runs at most %,d (its report "
          + "keeps a line per seed): split the range, for example %d..%d, then %d..", r.count(), MAX_COUNT, first,
          first + MAX_COUNT - 1, first + MAX_COUNT));
    }
    return r;
  }

  private static long number(String option, String text, String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw bad(option, text, digits + " is larger than the largest seed, " + Long.MAX_VALUE);
    }
  }

  private static IllegalArgumentException bad(String option, String text, String why) {
    return new IllegalArgumentException(option + " '" + text + "': " + why);
  }
}
