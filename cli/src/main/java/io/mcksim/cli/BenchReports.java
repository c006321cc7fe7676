package io.mcksim.cli;

import io.mcksim.actors.engine.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reports of the {@code bench} commands: each benchmark's figures in its {@link ReportKinds} kind, and
 * a chart of them against the baseline measured in the same run (the sequential engine, plain actor
 * messaging, the campaign with its faults off). The benchmarks measure; this only reports what they
 * measured.
 */
final class BenchReports {

  private BenchReports() {}

  /** {@code bench phold}: one engine, or the sequential baseline then the actor engine. */
  /**
   * {@code bench phold}: every run in {@code runs} (round by round) as a row, and {@code kept}, each engine's
   * fastest run (the sequential baseline first), compared.
   */
  static void phold(Report report, List<PholdRun.Measured> runs, List<PholdRun.Measured> kept) {
    PholdRun.Measured first = runs.get(0);
    int rounds = runs.size() / kept.size();
    report.lead("PHOLD, the engine's benchmark: entities that send each other events at random"
        + (kept.size() > 1 ? ", on the sequential engine (the baseline) and on the actor engine, the same model "
            + "in the same process" : ", on one engine (--compare adds the sequential baseline)")
        + (rounds == 1 ? "." : String.format(Locale.ROOT, "; %d rounds%s, each engine keeping its fastest run.",
            rounds, kept.size() > 1 ? ", the engines alternating" : "")));
    report.put("model", first.result().model()).put("entities", first.result().entities())
        .put("domains", first.result().domains()).put("population", first.params().population())
        .put("lookahead_ns", first.params().lookahead()).put("mean_delay_ns", first.params().meanDelay())
        .put("remote_fraction", first.params().remoteFraction()).put("rounds", rounds);
    for (int i = 0; i < runs.size(); i++) {
      PholdRun.Measured m = runs.get(i);
      RunResult r = m.result();
      report.row("bench_phold_runs", r.engine(), 1 + i / kept.size(), kept.contains(m), r.threads(), r.events(),
          r.windows(), r.subWindows(), r.virtualEndNs(), r.wallSeconds(), r.eventsPerSecond(),
          Math.max(0, m.bytesPerEntity()), r.digest());
    }
    engines(report, "PHOLD", kept.stream().map(PholdRun.Measured::result).toList());
  }

  /** {@code bench bsp}: one engine, or the sequential baseline then the actor engine. */
  static void bsp(Report report, List<BspRun.Measured> runs) {
    BspRun.Measured first = runs.get(0);
    report.lead("A BSP application on the node model, " + BspRun.describe(first.plan()) + ", every application "
        + "CPU an entity" + (runs.size() > 1 ? ", on the sequential engine (the baseline) and on the actor "
            + "engine, in the same process." : ", on one engine (--compare adds the sequential baseline)."));
    report.put("os", first.plan().os()).put("nodes", first.plan().nodes()).put("cpus", first.cpus())
        .put("iterations", first.plan().iterations());
    for (BspRun.Measured m : runs) {
      RunResult r = m.result();
      report.row("bench_bsp_runs", r.engine(), r.threads(), r.events(), r.wallSeconds(), r.eventsPerSecond(),
          m.outcome().runtimeNs(), m.heapBytes(), m.heapBytes() / Math.max(1, m.cpus()), r.digest());
    }
    engines(report, "BSP", runs.stream().map(BspRun.Measured::result).toList());
  }

  /**
   * What a benchmark of one engine, or of both (the sequential baseline first), reports alike: the runs,
   * the comparison and the chart of events per second.
   */
  private static void engines(Report report, String what, List<RunResult> runs) {
    RunResult last = runs.get(runs.size() - 1);
    boolean compare = runs.size() > 1;
    RunResult base = runs.get(0);
    boolean same = runs.stream().allMatch(r -> r.digest().equals(base.digest()));
    double ratio = last.eventsPerSecond() / base.eventsPerSecond();
    report.engine(compare ? "sequential+actors" : last.engine(), last.threads()).seed(last.seed());
    runs.forEach(r -> report.run(r.engine(), r));
    report.put("compare", compare).put("ratio", compare ? ratio : null).put("same_digest", compare ? same : null);
    List<String> names = new ArrayList<>();
    for (RunResult r : runs) {
      names.add(r.engine() + (compare && r == base ? " (baseline)" : "") + ", " + r.threads() + " thread"
          + (r.threads() == 1 ? "" : "s"));
    }
    report.chart(ReportChart.bars("chart-bench-engines", what + ": events per second on each engine", names,
            "engine", "events per second")
        .bars("events per second", null, runs.stream().map(RunResult::eventsPerSecond).toList())
        .note(compare ? String.format(Locale.ROOT, "Ratio %.2f: the actor engine's events per second over the "
            + "sequential engine's, the same model measured in the same run; %s event-log digests.", ratio,
            same ? "the same" : "DIFFERENT") : "One engine ran: --compare measures the sequential baseline in the "
            + "same run."));
  }

  /** {@code bench ikc}: its figures, as {@link IkcBench#run} gives them. */
  static void ikc(Report report, Json result) {
    Json active = (Json) result.get("activeChannel");
    report.put("threads", result.get("threads")).put("capacity", result.get("capacity"))
        .put("packets_per_channel", result.get("packetsPerChannel")).put("rounds", result.get("rounds"))
        .put("bytes_per_idle_channel", result.get("bytesPerIdleChannel"))
        .put("bytes_per_active_channel", result.get("bytesPerActiveChannel"))
        .put("active_endpoint_bytes", active.get("endpointBytes"))
        .put("active_lane_bytes", active.get("laneBytes"))
        .put("channels_measured", result.get("channelsMeasured"));
    List<String> names = new ArrayList<>();
    List<Double> ikc = new ArrayList<>();
    List<Double> plain = new ArrayList<>();
    for (int channels : new int[] {1, 64}) {
      Json c = (Json) result.get("channels" + channels);
      report.row("bench_ikc_throughput", channels, c.get("ikcPacketsPerSecond"),
          c.get("plainActorMessagesPerSecond"), c.get("ratio"));
      names.add(channels + " channel" + (channels == 1 ? "" : "s"));
      ikc.add(((Number) c.get("ikcPacketsPerSecond")).doubleValue());
      plain.add(((Number) c.get("plainActorMessagesPerSecond")).doubleValue());
    }
    for (String stream : List.of("flood", "floodTightStream")) {
      Json f = (Json) result.get(stream);
      report.row("bench_ikc_floods", stream.equals("flood") ? "standard" : "tight", f.get("channelBuffer"),
          f.get("entryBuffer"), f.get("packets"), f.get("wallSeconds"), f.get("packetsPerSecond"),
          f.get("peakOldGenMiB"), f.get("liveHeapAtEndMiB"), f.get("peakHeapWithGarbageMiB"), f.get("stallSeconds"),
          f.get("peakOccupancy"), f.get("streamPushBacks"), f.get("digest"), f.get("sequentialDigest"),
          f.get("sequentialWallSeconds"), f.get("digestsEqual"));
      // the flood's events are not counted by the benchmark: its runs are known by their digests
      report.run("flood, " + (stream.equals("flood") ? "standard" : "tight") + " stream, actors", 0,
          (String) f.get("digest"));
    }
    report.chart(ReportChart.bars("chart-bench-ikc", "IKC packets per second against plain actor messages per "
            + "second", names, "channels at once", "per second")
        .bars("IKC packets (through the transport)", null, ikc)
        .bars("plain actor messages (the baseline)", null, plain)
        .note(String.format(Locale.ROOT, "The same window of 64 unacknowledged on both sides, each its fastest of "
            + "%s rounds; ratios %.2f (1 channel) and %.2f (64 channels).", result.get("rounds"),
            ikc.get(0) / plain.get(0), ikc.get(1) / plain.get(1))));
  }
  /** {@code bench fuzz}: the counts by outcome and by mutation, the failures and the chart of the outcomes. */
  static void fuzz(Report report, ScenarioMutants.Fuzzed f) {
    ScenarioMutants.Campaign c = f.campaign();
    List<String> examples = c.exampleNames();
    report.seed(f.firstSeed());
    report.lead("Mutation fuzzing of the scenario's validation: " + f.mutants() + " mutant" + (f.mutants() == 1 ? ""
        : "s") + " (seeds " + f.firstSeed() + ".." + (f.firstSeed() + f.mutants() - 1) + ") of " + examples.size()
        + " example" + (examples.size() == 1 ? "" : "s") + " (" + String.join(", ", examples) + "), a line deleted, "
        + "duplicated or swapped, a number made 0, -1, huge or no number, or the file cut short, each through "
        + (f.run() ? "config FILE, and run FILE when config accepted it" : "config FILE")
        + ". Each command must end with exit 0 or 2 and no stack trace. The campaign does not read a scenario: "
        + "its configuration below is the defaults.");
    report.put("examples", String.join(", ", examples)).put("first_seed", f.firstSeed())
        .put("last_seed", f.firstSeed() + f.mutants() - 1).put("mutants", c.mutants()).put("run", f.run())
        .put("timeout_s", f.timeoutSeconds()).put("failures", c.failures().size())
        .put("refused_by_run", c.refusedByRun().size()).put("hangs", c.hung()).put("stopped", c.stopped());
    c.byOutcome().forEach((key, n) -> {
      int space = key.indexOf(' ');
      report.row("bench_fuzz_outcomes", key.substring(0, space), key.substring(space + 1), n);
    });
    List<String> mutations = new ArrayList<>();
    List<List<Long>> series = new ArrayList<>();
    ScenarioMutants.Campaign.columns().forEach(col -> series.add(new ArrayList<>()));
    c.byMutation().forEach((mutation, counts) -> {
      Object[] cells = new Object[counts.length + 1];
      cells[0] = mutation;
      for (int i = 0; i < counts.length; i++) {
        cells[i + 1] = counts[i];
        series.get(i).add(counts[i]);
      }
      report.row("bench_fuzz_mutations", cells);
      mutations.add(mutation);
    });
    for (ScenarioMutants.Finding x : c.failures()) {
      report.row("bench_fuzz_failures", finding(x, ScenarioMutants.mutantFile(x.mutant()), x.output()));
    }
    for (ScenarioMutants.Finding x : c.refusedByRun()) {
      report.row("bench_fuzz_refused_by_run", finding(x));
    }
    ReportChart chart = ReportChart.bars("chart-bench-fuzz", "Mutants by mutation and by how config "
        + (f.run() ? "and run " : "") + "ended", mutations, "mutation", "mutants");
    List<String> columns = ScenarioMutants.Campaign.columns();
    for (int i = 1; i < columns.size(); i++) {
      if (f.run() || !columns.get(i).startsWith("run")) {
        chart.bars(columns.get(i).startsWith("run") || columns.get(i).startsWith("config") ? columns.get(i)
            .replace(" ", " exit ") : columns.get(i), null, series.get(i));
      }
    }
    report.chart(chart.note(c.failures().isEmpty() ? "No failure: every command ended with exit 0 or 2 and no "
        + "stack trace." : c.failures().size() + " failure" + (c.failures().size() == 1 ? "" : "s") + ": see the "
        + "failures table; each mutant's file is in the report folder."));
  }

  /** A finding's cells, then {@code more}. */
  private static Object[] finding(ScenarioMutants.Finding x, Object... more) {
    ScenarioMutants.Mutant m = x.mutant();
    List<Object> cells = new ArrayList<>(List.of(m.seed(), m.example(), m.kind().label(), m.change(), x.command(),
        x.exit(), x.problem()));
    cells.addAll(List.of(more));
    return cells.toArray();
  }
}
