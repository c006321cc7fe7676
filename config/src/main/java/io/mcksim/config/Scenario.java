package io.mcksim.config;

import com.typesafe.config.Config;
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
   * The output is itself a valid scenario file. The comments line up at the end of the longest line up
   * to {@link #ALIGN} columns, after a longer line: the output grows with the configuration, never with
   * its longest line times its number of keys.
   */
  public String render() {
    List<Map.Entry<String, ConfigValue>> entries =
        config.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
    List<String> lines = entries.stream().map(Scenario::line).toList();
    int width = 0;
    for (String line : lines) {
      width = Math.max(width, Math.min(ALIGN, line.length()));
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < entries.size(); i++) {
      Map.Entry<String, ConfigValue> e = entries.get(i);
      String line = lines.get(i);
      sb.append(line).append(" ".repeat(Math.max(0, width - line.length()))).append("  # ")
          .append(source(e.getValue().origin())).append('\n');
    }
    return sb.toString();
  }

  /** The column the source comments of {@link #render} line up at, at most. */
  static final int ALIGN = 120;

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
