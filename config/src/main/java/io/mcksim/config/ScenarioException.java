package io.mcksim.config;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** A scenario was rejected before anything ran; carries every problem found, not just the first. */
public final class ScenarioException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;

  /** @param problems in any order; they are reported file by file, each by line */
  public ScenarioException(List<ConfigProblem> problems) {
    this(problems.stream().sorted(BY_PLACE).toList(), true);
  }

  private ScenarioException(List<ConfigProblem> sorted, boolean unused) {
    super(String.format("%,d", sorted.size()) + (sorted.size() == 1 ? " problem" : " problems")
        + " in the scenario:\n" + sorted.stream().limit(SHOWN).map(p -> "  " + p).collect(Collectors.joining("\n"))
        + (sorted.size() > SHOWN ? String.format("%n  ... and %,d more", sorted.size() - SHOWN) : ""));
    this.problems = sorted;
  }

  /** Problems the message lists; {@link #problems} has them all. */
  static final int SHOWN = 100;

  /** The scenario file's problems by line, then the --set overrides' (the order of the layers). */
  private static final Comparator<ConfigProblem> BY_PLACE = Comparator
      .comparing((ConfigProblem p) -> p.origin().startsWith("--set"))
      .thenComparing(p -> file(p.origin()))
      .thenComparingInt(p -> line(p.origin()));

  private static String file(String origin) {
    int colon = origin.lastIndexOf(':');
    return colon > 0 && line(origin) >= 0 ? origin.substring(0, colon) : origin;
  }

  private static int line(String origin) {
    int colon = origin.lastIndexOf(':');
    if (colon < 0) {
      return -1;
    }
    try {
      return Integer.parseInt(origin.substring(colon + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}
