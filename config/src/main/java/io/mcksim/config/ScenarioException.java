package io.mcksim.config;

import java.util.List;
import java.util.stream.Collectors;

/** A scenario was rejected before anything ran; carries every problem found, not just the first. */
public final class ScenarioException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;

  public ScenarioException(List<ConfigProblem> problems) {
    super(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in the scenario:\n"
        + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}
