package io.mcksim.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Map;

/**
 * A validated scenario: the effective configuration (defaults, file, overrides) and its typed sections,
 * read once.
 */
public record Scenario(Config config, RunSettings run, PholdSettings phold, MachineSettings machine,
    PartitionSettings partition, OsSettings os, LifecycleCosts lifecycle, IkcCostSettings ikc,
    OffloadCosts offload, SyscallCosts syscalls, RemoteFaultCosts remoteFault,
    McKernelCosts mckernel, LaunchCosts launch, WorkloadSettings workload, NoiseSettings noise,
    InterconnectSettings interconnect, Sweep sweep, ChaosSettings chaos) {

  /**
   * The effective configuration, one {@code key = value} line per key in key order, each followed by
   * where its value came from: {@code default}, {@code FILE:LINE}, or the {@code --set} that set it.
   * The output is itself a valid scenario file, readable at {@link #WIDTH} columns: the comments line up
   * after the longest line that leaves room for its comment; a longer list is wrapped, one or more
   * elements a line; a value that cannot be wrapped (a long string) has its comment on the line above.
   */
  public String render() {
    List<Map.Entry<String, ConfigValue>> entries =
        config.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
    int column = 0;
    for (Map.Entry<String, ConfigValue> e : entries) {
      int length = line(e).length();
      if (length + 4 + source(e.getValue().origin()).length() <= WIDTH) {
        column = Math.max(column, length);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, ConfigValue> e : entries) {
      String line = line(e);
      String comment = "# " + source(e.getValue().origin());
      if (line.length() + 2 + comment.length() <= WIDTH) {
        sb.append(line).append(" ".repeat(Math.max(0, column - line.length()))).append("  ").append(comment);
      } else if (e.getValue() instanceof ConfigList list && !list.isEmpty()) {
        wrap(sb, e.getKey(), list);
        sb.append("  ").append(comment);
      } else {
        sb.append(comment).append('\n').append(line);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The width {@link #render} keeps every line within, where a value allows it. */
  static final int WIDTH = 100;

  /** A list as {@code key = [}, its elements packed into lines of at most {@link #WIDTH} columns, {@code ]}. */
  private static void wrap(StringBuilder sb, String key, ConfigList list) {
    sb.append(key).append(" = [\n");
    StringBuilder row = new StringBuilder("  ");
    for (int i = 0; i < list.size(); i++) {
      String item = list.get(i).render(ConfigRenderOptions.concise()) + (i + 1 < list.size() ? "," : "");
      if (row.length() > 2 && row.length() + 1 + item.length() > WIDTH) {
        sb.append(row).append('\n');
        row.setLength(2);
      }
      row.append(row.length() > 2 ? " " : "").append(item);
    }
    sb.append(row).append("\n]");
  }

  /** The effective configuration as compact HOCON text, which {@link ScenarioLoader#loadText} reads back. */
  public String text() {
    return config.root().render(ConfigRenderOptions.concise());
  }

  private static String line(Map.Entry<String, ConfigValue> e) {
    return e.getKey() + " = " + e.getValue().render(ConfigRenderOptions.concise());
  }

  private static String source(ConfigOrigin origin) {
    String where = ConfigProblem.placeOf(origin);
    return where.contains("reference.conf") ? "default" : where;
  }
}
