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
    InterconnectSettings interconnect, Map<String, List<String>> sweep, ChaosSettings chaos) {

  public Scenario {
    sweep = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(sweep));
  }

  /**
   * The effective configuration, one {@code key = value} line per key in key order, each followed by
   * where its value came from: {@code default}, {@code FILE:LINE}, or the {@code --set} that set it.
   * The output is itself a valid scenario file.
   */
  public String render() {
    List<Map.Entry<String, ConfigValue>> entries =
        config.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
    int width = 0;
    for (Map.Entry<String, ConfigValue> e : entries) {
      width = Math.max(width, line(e).length());
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, ConfigValue> e : entries) {
      String line = line(e);
      sb.append(line).append(" ".repeat(width - line.length())).append("  # ")
          .append(source(e.getValue().origin())).append('\n');
    }
    return sb.toString();
  }

  /** The effective configuration as compact HOCON text, which {@link ScenarioLoader#loadText} reads back. */
  public String text() {
    return config.root().render(ConfigRenderOptions.concise());
  }

  private static String line(Map.Entry<String, ConfigValue> e) {
    return e.getKey() + " = " + e.getValue().render(ConfigRenderOptions.concise());
  }

  private static String source(ConfigOrigin origin) {
    String where = ScenarioLoader.where(origin);
    return where.contains("reference.conf") ? "default" : where;
  }
}
