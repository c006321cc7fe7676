package io.mcksim.cli;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * docs/configuration.md, generated from the {@code mcksim} blocks of every module's reference.conf:
 * each section and key in file order, with its default and its comment. {@code bin/mcksim config
 * --reference} prints it; a test checks the committed file against it, so the two never disagree.
 */
final class ConfigReference {

  private ConfigReference() {}

  static String render() {
    ConfigObject root = ConfigFactory.defaultReference().getObject("mcksim");
    StringBuilder sb = new StringBuilder();
    sb.append("# Configuration reference\n\n")
        .append("Every key mcksim reads, with its default and what it means, generated from the modules'\n")
        .append("`reference.conf` files (`bin/mcksim config --reference > docs/configuration.md`; a test\n")
        .append("fails when this file and those files disagree). A scenario file sets the keys under\n")
        .append("`mcksim.scenario` relative to that block: write `run.seed = 7`, or `--set run.seed=7`.\n")
        .append("Durations take a unit (`ns`, `us`, `ms`, `s`); a bare number is nanoseconds.\n");
    walk(sb, "mcksim", root, 2);
    return sb.toString();
  }

  private static void walk(StringBuilder sb, String path, ConfigObject obj, int depth) {
    List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(obj.entrySet());
    // line, then key: the same order whatever the order of the files on the class path
    entries.sort(Comparator.comparingInt((Map.Entry<String, ConfigValue> e) -> e.getValue().origin().lineNumber())
        .thenComparing(Map.Entry::getKey));
    boolean listed = false;
    for (Map.Entry<String, ConfigValue> e : entries) {
      ConfigValue v = e.getValue();
      if (v.valueType() == ConfigValueType.OBJECT && !((ConfigObject) v).isEmpty()) {
        continue;
      }
      if (!listed) {
        sb.append('\n');
        listed = true;
      }
      String key = path + "." + quote(e.getKey());
      sb.append("- `").append(shown(key)).append(" = ").append(v.render(ConfigRenderOptions.concise()))
          .append('`');
      String comment = comment(v.origin());
      sb.append(comment.isEmpty() ? "" : ": " + comment).append('\n');
    }
    for (Map.Entry<String, ConfigValue> e : entries) {
      ConfigValue v = e.getValue();
      if (v.valueType() == ConfigValueType.OBJECT && !((ConfigObject) v).isEmpty()) {
        String key = path + "." + quote(e.getKey());
        sb.append('\n').append("#".repeat(Math.min(depth + 1, 6))).append(" `").append(shown(key)).append("`\n");
        String comment = comment(v.origin());
        if (!comment.isEmpty()) {
          sb.append('\n').append(comment).append('\n');
        }
        walk(sb, key, (ConfigObject) v, depth + 1);
      }
    }
  }

  /** Scenario keys are shown as a scenario file writes them. */
  private static String shown(String key) {
    return key.startsWith("mcksim.scenario.") ? key.substring("mcksim.scenario.".length()) : key;
  }

  private static String quote(String key) {
    return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
  }

  /**
   * The comment above a key or section. A section that several modules add to has the comments of
   * each, in class-path order; those are left out (each module's own keys carry their comments).
   */
  private static String comment(ConfigOrigin o) {
    if (o.description().startsWith("merge of")) {
      return "";
    }
    List<String> lines = new ArrayList<>();
    for (String c : o.comments()) {
      lines.add(c.strip());
    }
    return String.join(" ", lines).strip();
  }
}
