package io.mcksim.cli;

import io.mcksim.config.ChaosSettings;
import io.mcksim.config.Scenario;
import io.mcksim.mckernel.chaos.ChaosCampaign;
import io.mcksim.mckernel.chaos.ChaosRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mcksim chaos FILE --seeds 1..N}: a chaos campaign, many seeds of the scenario's chaos run in
 * parallel in this JVM, with the table of what each did and the seeds whose invariants failed; and
 * {@code --replay SEED}: one seed again, with its full event log, to the same digest.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = {"Chaos-test kernel crashes: run the scenario's chaos section (faults, recovery policies) "
        + "over many seeds with every invariant checked, or replay one seed with its full event log.",
        "Exit status 1 when any seed breaks an invariant (the report is written either way)."})
final class ChaosCommand implements Callable<Integer> {

  @Mixin
  ScenarioOptions scenario;

  @Option(names = "--seeds", paramLabel = "A..B", description = "The seeds to run (default ${DEFAULT-VALUE}).")
  String seeds = "1..100";

  @Option(names = "--replay", paramLabel = "SEED", description = "Run this one seed again and write its event log.")
  Long replay;

  @Option(names = "--threads", paramLabel = "K", description = "Seeds run at once (default 0: one per core).")
  int threads;

  @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default mcksim-chaos for a "
      + "campaign, mcksim-chaos-replay-SEED beside it for a replay, which never writes over a campaign's report).")
  String out;

  @Override
  public Integer call() throws IOException {
    String kind = replay != null ? "chaos replay" : "chaos campaign";
    String where = out != null ? out : replay != null ? "mcksim-chaos-replay-" + replay : "mcksim-chaos";
    try (OutputFolder folder = OutputFolder.claim(where, "--out", kind)) {
      Scenario s = scenario.load(List.of());
      new io.mcksim.mckernel.chaos.ChaosMachine(s); // refuses a job that does not fit, before anything runs
      return replay != null ? replay(s, replay, folder) : campaign(s, range(seeds), folder);
    }
  }

  static long[] range(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\.\\.(\\d+)").matcher(text.trim());
    if (!m.matches() || Long.parseLong(m.group(1)) > Long.parseLong(m.group(2))) {
      throw new IllegalArgumentException("--seeds " + text + ": expected A..B with A <= B, for example 1..1000");
    }
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
  }

  private static String describe(Scenario s) {
    ChaosSettings c = s.chaos();
    return String.format(Locale.ROOT, "%d node%s, job of %d threads x %d iterations (policy %s), reboot %s (max %d), "
            + "%d scheduled fault%s", s.machine().nodes(), s.machine().nodes() == 1 ? "" : "s", c.job().threads(),
        c.job().iterations(), c.job().policy(), c.reboot().policy(), c.reboot().max(), c.faults().size(),
        c.faults().size() == 1 ? "" : "s");
  }

  private int campaign(Scenario s, long[] range, OutputFolder report) throws IOException {
    int k = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    long count = range[1] - range[0] + 1;
    System.out.printf(Locale.ROOT, "mcksim: chaos campaign, seeds %d..%d on %d thread%s: %s%n", range[0], range[1], k,
        k == 1 ? "" : "s", describe(s));
    long wallStart = System.nanoTime();
    List<ChaosRun.Row> rows = ChaosCampaign.run(s, range[0], range[1], k, null);
    double wall = (System.nanoTime() - wallStart) / 1e9;
    List<ChaosRun.Row> failed = rows.stream().filter(r -> r.violation() != null).toList();
    long faults = 0;
    long recoveries = 0;
    Map<String, Long> byKind = new TreeMap<>();
    Map<String, Long> jobs = new TreeMap<>();
    for (ChaosRun.Row r : rows) {
      faults += r.outcome().faultsFired();
      recoveries += r.outcome().recoveries();
      r.outcome().faultsByKind().forEach((kind, n) -> byKind.merge(kind, n, Long::sum));
      r.outcome().jobs().forEach(j -> jobs.merge(j, 1L, Long::sum));
    }
    List<String[]> perSeed = rows.stream().map(ChaosCommand::columns).toList();
    report.add("chaos.csv", SweepRun.csv(new String[] {"seed", "faults", "recoveries", "jobs", "verdict",
        "violation_time_ns", "digest"}, perSeed));
    // the console shows the same rows without the violation time, digests cut short
    String[] head = {"seed", "faults", "recoveries", "jobs", "verdict", "digest"};
    List<String[]> table = perSeed.stream()
        .map(c -> new String[] {c[0], c[1], c[2], c[3], c[4], c[6].substring(0, 16)}).toList();
    StringBuilder failures = new StringBuilder("[");
    for (ChaosRun.Row r : failed) {
      failures.append(failures.length() > 1 ? ",\n  " : "").append(new Json().put("seed", r.seed())
          .put("invariant", r.violation().invariant()).put("time_ns", r.violation().timeNs())
          .put("detail", r.violation().detail()).put("digest", r.digest()));
    }
    Json all = new Json().put("seeds", count).put("ok", count - failed.size()).put("violations", failed.size())
        .put("faults_fired", faults).put("recoveries", recoveries).put("wall_s", wall)
        .put("seeds_per_hour", count / wall * 3600).put("failed", new SyscallsRun.RawJson(failures + "]"));
    report.add("chaos.json", all + "\n");
    Path where = report.commit();
    List<String[]> shown = table.size() <= 20 ? table : table.stream().filter(r -> !r[4].equals("ok")).limit(20).toList();
    if (!shown.isEmpty()) {
      System.out.print(Table.render(head, shown, 1));
    }
    System.out.printf(Locale.ROOT, "  seeds: %,d run, %,d ok, %,d with a violation; %.1f s of wall time "
        + "(%,.0f seeds per hour)%n", count, count - failed.size(), failed.size(), wall, count / wall * 3600);
    StringBuilder kinds = new StringBuilder();
    byKind.forEach((kind, n) -> {
      if (n > 0) {
        kinds.append(kinds.length() == 0 ? "" : ", ").append(kind).append(' ').append(n);
      }
    });
    System.out.printf(Locale.ROOT, "  faults fired: %,d (%s); recoveries: %,d%n", faults,
        kinds.length() == 0 ? "none" : kinds, recoveries);
    StringBuilder js = new StringBuilder();
    jobs.forEach((j, n) -> js.append(js.length() == 0 ? "" : ", ").append(j).append(' ').append(n));
    System.out.println("  node jobs: " + js);
    if (failed.isEmpty()) {
      System.out.println("  failed seeds: none");
    } else {
      System.out.println("  failed seeds: " + String.join(", ", failed.stream().limit(50)
          .map(r -> r.seed() + " (" + r.verdict() + ")").toList()) + (failed.size() > 50 ? ", ..." : ""));
      System.out.println("  replay one: bin/mcksim chaos " + (scenario.file == null ? "" : scenario.file + " ")
          + "--replay " + failed.get(0).seed());
    }
    System.out.println("  report: " + where.resolve("chaos.csv") + ", chaos.json");
    return failed.isEmpty() ? 0 : 1;
  }

  /** One seed's row: seed, faults, recoveries, jobs, verdict, violation time, digest. */
  private static String[] columns(ChaosRun.Row r) {
    return new String[] {Long.toString(r.seed()), Long.toString(r.outcome().faultsFired()),
        Long.toString(r.outcome().recoveries()), r.outcome().jobSummary(), r.verdict(),
        r.violation() == null ? "" : Long.toString(r.violation().timeNs()), r.digest()};
  }

  private int replay(Scenario s, long seed, OutputFolder report) throws IOException {
    System.out.printf(Locale.ROOT, "mcksim: chaos replay of seed %d: %s%n", seed, describe(s));
    StringBuilder log = new StringBuilder();
    long[] lines = new long[1];
    ChaosRun.Row r = ChaosRun.run(s, seed, null, line -> {
      log.append(line).append('\n');
      lines[0]++;
    });
    report.add("events-" + seed + ".log", log.toString());
    Path where = report.commit();
    System.out.printf(Locale.ROOT, "  faults fired: %d %s; recoveries: %d (reboots %d, relaunches %d); node jobs: %s%n",
        r.outcome().faultsFired(), r.outcome().faultsByKind().entrySet().stream().filter(e -> e.getValue() > 0)
            .map(e -> e.getKey() + " " + e.getValue()).toList(), r.outcome().recoveries(), r.outcome().reboots(),
        r.outcome().relaunches(), r.outcome().jobSummary());
    if (r.violation() == null) {
      System.out.println("  every invariant held");
    } else {
      System.out.println("  VIOLATION of " + r.violation().invariant() + " at " + r.violation().timeNs()
          + " ns, seed " + seed + ":");
      System.out.println("    " + r.violation().detail().replace("\n", "\n    "));
    }
    System.out.printf(Locale.ROOT, "  events: %,d; virtual time: %s; digest: %s%n", r.events(), Units.time(r.endNs()),
        r.digest());
    System.out.printf(Locale.ROOT, "  event log: %s (%,d events)%n", where.resolve("events-" + seed + ".log"), lines[0]);
    return r.violation() == null ? 0 : 1;
  }
}
