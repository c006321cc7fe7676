package io.mcksim.config;

import com.typesafe.config.ConfigOrigin;

/**
 * One thing wrong with a scenario: where (file and line, when known), which key, what is wrong and
 * what would be valid.
 */
public record ConfigProblem(String origin, String path, String message) {

  /**
   * Where a value came from, as problems name it: {@code file:line}, {@code resource:line}, the
   * {@code --set} override that set it, or the origin's own description with its line.
   */
  public static String placeOf(ConfigOrigin origin) {
    if (origin == null) {
      return "";
    }
    String line = origin.lineNumber() > 0 ? ":" + origin.lineNumber() : "";
    if (origin.filename() != null) {
      return origin.filename() + line;
    }
    if (origin.resource() != null) {
      return origin.resource() + line;
    }
    String d = origin.description();
    // a --set override is one line: its ": 1" says nothing
    return d.startsWith("--set") ? d.replaceFirst(": \\d+$", "") : d.replaceFirst(": (\\d+)$", ":$1");
  }

  @Override
  public String toString() {
    return (origin.isEmpty() ? "" : origin + ": ") + path + ": " + message;
  }
}
