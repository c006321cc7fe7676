package io.mcksim.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@code chaos} section. */
final class ChaosSchema {

  private ChaosSchema() {}

  private static final Set<String> FAULT_KEYS = Set.of("at", "kind", "target", "duration");

  static ChaosSettings read(ConfigReader r) {
    int iterations = r.intIn("chaos.job.iterations", 1, 100_000_000);
    long quantum = r.duration("chaos.job.quantum", 1);
    long checkpointCost = r.duration("chaos.job.checkpoint-cost", 0);
    r.derived("chaos.job.iterations", iterations, quantum + checkpointCost, iterations
        + " iterations of " + (quantum + checkpointCost) + "ns (quantum, checkpoint)");
    ChaosSettings.Job job = new ChaosSettings.Job(
        r.intIn("chaos.job.threads", 1, 4096),
        iterations,
        quantum,
        r.intIn("chaos.job.checkpoint-interval", 0, 100_000_000),
        checkpointCost,
        r.duration("chaos.job.time-limit", 1),
        r.oneOf("chaos.job.policy", Set.copyOf(ChaosSettings.JOB_POLICIES)),
        r.intIn("chaos.job.max-requeues", 0, 1000));
    ChaosSettings.Reboot reboot = new ChaosSettings.Reboot(
        r.oneOf("chaos.reboot.policy", Set.of("never", "on-failure")),
        r.intIn("chaos.reboot.max", 0, 1000),
        r.duration("chaos.reboot.backoff", 0));
    List<ChaosSettings.Fault> faults = new ArrayList<>();
    for (ConfigReader f : r.objects("chaos.faults", FAULT_KEYS)) {
      String kind = f.oneOf("kind", Set.copyOf(ChaosSettings.KINDS));
      faults.add(new ChaosSettings.Fault(f.duration("at", 0), kind, target(f, "target"), f.duration("duration", 0)));
    }
    Map<String, ChaosSettings.Site> sites = new LinkedHashMap<>();
    for (String kind : ChaosSettings.KINDS) {
      String at = "chaos.sites." + kind;
      sites.put(kind, new ChaosSettings.Site(r.doubleIn(at + ".enable", 0, 1), r.doubleIn(at + ".fire", 0, 1),
          r.duration(at + ".duration", 0)));
    }
    return new ChaosSettings(job, reboot,
        r.duration("chaos.monitor-interval", 1),
        r.duration("chaos.linux-work.work", 0),
        r.duration("chaos.service-restart", 1),
        faults, sites);
  }

  /** {@code "node=3, os=0, cpu=*"}: each part optional ({@code *} when left out); {@code ?} draws one. */
  private static ChaosSettings.Target target(ConfigReader r, String path) {
    String text = r.string(path);
    int node = ChaosSettings.Target.ALL;
    int os = ChaosSettings.Target.ALL;
    int cpu = ChaosSettings.Target.ALL;
    for (String part : text.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String key = eq < 0 ? p : p.substring(0, eq).trim();
      String value = eq < 0 ? "" : p.substring(eq + 1).trim();
      int v;
      if (value.equals("*")) {
        v = ChaosSettings.Target.ALL;
      } else if (value.equals("?")) {
        v = ChaosSettings.Target.DRAWN;
      } else if (value.matches("\\d{1,9}")) {
        v = Integer.parseInt(value);
      } else {
        r.bad(path, "'" + p + "': expected KEY=N, KEY=* (every one) or KEY=? (one drawn from the seed), "
            + "with KEY node, os or cpu; for example \"node=3, os=0, cpu=*\"");
        continue;
      }
      switch (key) {
        case "node" -> node = v;
        case "os" -> os = v;
        case "cpu" -> cpu = v;
        default -> r.bad(path, "'" + key + "' is not a target key; use node, os and cpu, for example "
            + "\"node=3, os=0, cpu=*\"");
      }
    }
    return new ChaosSettings.Target(node, os, cpu);
  }
}
