package io.mcksim.config;

/**
 * One thing wrong with a scenario: where (file and line, when known), which key, what is wrong and
 * what would be valid.
 */
public record ConfigProblem(String origin, String path, String message) {

  @Override
  public String toString() {
    return (origin.isEmpty() ? "" : origin + ": ") + path + ": " + message;
  }
}
