package io.mcksim.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    String d = decodeLines(origin.description());
    if (d.startsWith("merge of ")) { // an object merged from pieces of one file: where its first piece is
      d = d.substring("merge of ".length()).split(",", 2)[0];
    }
    // a --set override is one line: its ": 1" says nothing
    // a value merged over several lines is placed at its first
    return d.startsWith("--set") ? d.replaceFirst(": \\d+(-\\d+)?$", "")
        : d.replaceFirst(": (\\d+)(-\\d+)?$", ":$1").replaceFirst(":(\\d+)-\\d+$", ":$1");
  }

  /**
   * The problem a HOCON exception reports: the one an include raised, if any; else its message, placed
   * where it arose, as a problem of syntax or of a path.
   */
  static ConfigProblem of(ConfigException e) {
    ConfigProblem included = ScenarioSources.problemOf(e);
    if (included != null) {
      return included;
    }
    ConfigOrigin origin = e.origin();
    String message = e.getMessage();
    String where = origin == null ? "" : placeOf(origin);
    if (origin != null && message.startsWith(origin.description() + ": ")) {
      message = message.substring(origin.description().length() + 2);
    }
    message = decodeLines(message);
    String path = e instanceof ConfigException.BadPath ? "(path)" : "(syntax)";
    return new ConfigProblem(where, path, message);
  }

  private static final Pattern OFFSET = Pattern.compile(PiecewiseParser.LINE_OFFSET + "(\\d+): (\\d+)(?:-(\\d+))?");

  /**
   * {@code text} with the lines of origins of a file parsed in pieces ({@link PiecewiseParser}) made
   * lines of the file: {@code NAME MARK 300: 5} becomes {@code NAME:305}.
   */
  static String decodeLines(String text) {
    if (text.indexOf(PiecewiseParser.LINE_OFFSET) < 0) {
      return text;
    }
    Matcher m = OFFSET.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      long offset = Long.parseLong(m.group(1));
      String lines = ":" + (offset + Long.parseLong(m.group(2)))
          + (m.group(3) == null ? "" : "-" + (offset + Long.parseLong(m.group(3))));
      m.appendReplacement(sb, lines);
    }
    m.appendTail(sb);
    return sb.toString();
  }

  @Override
  public String toString() {
    return (origin.isEmpty() ? "" : origin + ": ") + path + ": " + message;
  }
}
