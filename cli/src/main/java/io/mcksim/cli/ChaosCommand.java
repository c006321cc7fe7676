package io.mcksim.cli;

import io.mcksim.config.ChaosSettings;
import io.mcksim.config.Scenario;
import io.mcksim.machine.chaos.ChaosCampaign;
import io.mcksim.machine.chaos.ChaosRun;
import io.mcksim.machine.chaos.SeedRange;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
        + "over many seeds with every invariant checked, or replay one seed with its full event log."},
    exitCodeList = {"1:a seed broke an invariant (the report is written either way), or the run failed",
        "3:an exception of the model stopped a seed's run (verdict model-error: a bug in mcksim, not a finding "
            + "about the modelled system; the campaign goes on, and the report is written)"})
final class ChaosCommand implements Callable<Integer> {

  @Mixin
  ScenarioOptions scenario;

  @Option(names = "--seeds", paramLabel = "A..B", description = "The seeds to run, 0 <= A <= B, at most "
      + "1,000,000 of them (default ${DEFAULT-VALUE}).")
  String seeds = "1..100";

  @Option(names = "--replay", paramLabel = "SEED", description = "Run this one seed again and write its event log.")
  Long replay;

  @Option(names = "--threads", paramLabel = "K", description = "Seeds run at once, 0-1024 (default 0: one per "
      + "core).")
  int threads;

  @Option(names = "--actors", paramLabel = "N", description = "Run each seed on the actor engine with N threads "
      + "instead of the sequential engine, 0-1024 (default 0: the sequential engine); the rows are the same. Seeds "
      + "then run one at a time. Not with --replay, whose event log the sequential engine keeps.")
  int actors;

  @Mixin
  ResultOutput output;

  @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default mcksim-chaos for a "
      + "campaign, mcksim-chaos-replay-SEED beside it for a replay, which never writes over a campaign's report).")
  String out;

  @Override
  public Integer call() throws IOException {
    SeedRange range = SeedRange.parse("--seeds", seeds);
    Options.threads("--threads", threads);
    Options.threads("--actors", actors);
    if (actors > 0 && replay != null) {
      throw new IllegalArgumentException("--actors " + actors + " with --replay: a replay's event log is kept by the "
          + "sequential engine; drop --actors");
    }
    String kind = replay != null ? "chaos replay" : "chaos campaign";
    String where = out != null ? out : replay != null ? "mcksim-chaos-replay-" + replay : "mcksim-chaos";
    try (OutputFolder folder = OutputFolder.claim(where, "--out", kind)) {
      Scenario s = scenario.load(List.of());
      new io.mcksim.machine.chaos.ChaosMachine(s); // refuses a job that does not fit, before anything runs
      return replay != null ? replay(s, replay, folder) : campaign(s, range, folder);
    }
  }

  private static String describe(Scenario s) {
    ChaosSettings c = s.chaos();
    return String.format(Locale.ROOT, "%d node%s, %s (policy %s), reboot %s (max %d), %d scheduled fault%s",
        s.machine().nodes(), s.machine().nodes() == 1 ? "" : "s", new io.mcksim.machine.chaos.ChaosMachine(s)
            .jobDescription(), c.job().policy(), c.reboot().policy(), c.reboot().max(), c.faults().size(),
        c.faults().size() == 1 ? "" : "s");
  }

  /** The command that replays one seed of this campaign. */
  private String replayCommand(long seed) {
    StringBuilder sb = new StringBuilder("bin/mcksim chaos ");
    if (scenario.file != null) {
      sb.append(scenario.file).append(' ');
    }
    scenario.overrides.forEach(o -> sb.append("--set '").append(o.replace("'", "'\\''")).append("' "));
    return sb.append("--replay ").append(seed).toString();
  }

  private int campaign(Scenario s, SeedRange range, OutputFolder folder) throws IOException {
    PrintStream out = output.console();
    int k = actors > 0 ? 1 : threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    out.printf(Locale.ROOT, "mcksim: chaos campaign, seeds %d..%d on %s: %s%n", range.first(),
        range.last(), actors > 0 ? "the actor engine with " + actors + " thread" + (actors == 1 ? "" : "s")
            : k + " thread" + (k == 1 ? "" : "s"), describe(s));
    long wallStart = System.nanoTime();
    Report report = new Report(ReportKinds.CHAOS_CAMPAIGN, s).engine(actors > 0 ? "actors" : "sequential",
        actors > 0 ? actors : k).seed(range.first());
    report.lead("Seeds " + range.first() + ".." + range.last() + " of the scenario's chaos run: " + describe(s)
        + ". Every invariant is checked on every seed; a failed seed replays with its full event log.");
    ChaosTally tally = new ChaosTally(report, this::replayCommand);
    ChaosCampaign.run(s, range, k, null, tally, actors);
    double wall = (System.nanoTime() - wallStart) / 1e9;
    long count = tally.seeds();
    long failed = tally.violations();
    tally.finish(wall, range.first(), range.last());
    Path where = report.write(folder);
    output.printJson(report.json());
    List<String[]> shown = tally.shown();
    if (!shown.isEmpty()) {
      out.print(Table.render(ChaosTally.CONSOLE_HEAD, shown, 1));
    }
    out.printf(Locale.ROOT, "  seeds: %,d run, %,d ok, %,d with a violation%s; %.1f s of wall time "
        + "(%,.0f seeds per hour)%n", count, count - failed, failed, tally.modelErrors() == 0 ? ""
        : String.format(Locale.ROOT, " (%,d of them a model error)", tally.modelErrors()), wall, count / wall * 3600);
    out.printf(Locale.ROOT, "  faults fired: %,d (%s); recoveries: %,d%n", tally.faults(), tally.kinds(),
        tally.recoveries());
    out.println("  node jobs: " + tally.jobs());
    if (failed == 0) {
      out.println("  failed seeds: none");
    } else {
      List<ChaosRun.Row> listed = tally.failed();
      out.println("  failed seeds: " + String.join(", ", listed.stream().limit(50)
          .map(r -> r.seed() + " (" + r.verdict() + ")").toList()) + (failed > 50 ? ", ..." : ""));
      out.println("  replay one: " + replayCommand(listed.get(0).seed()));
    }
    out.println("  report: " + where.resolve("report.html") + " (report.json, " + String.join(", ",
        report.files().subList(2, report.files().size())) + ")");
    return tally.modelErrors() > 0 ? 3 : failed == 0 ? 0 : 1;
  }

  private int replay(Scenario s, long seed, OutputFolder folder) throws IOException {
    PrintStream out = output.console();
    out.printf(Locale.ROOT, "mcksim: chaos replay of seed %d: %s%n", seed, describe(s));
    Report report = new Report(ReportKinds.CHAOS_REPLAY, s).engine("sequential", 1).seed(seed);
    report.lead("Seed " + seed + " of the scenario's chaos run again, on the sequential engine, with its full "
        + "event log: " + describe(s) + ".");
    StringBuilder log = new StringBuilder();
    long[] lines = new long[1];
    ChaosTimeline timeline = new ChaosTimeline();
    long started = System.nanoTime();
    ChaosRun.Row r = ChaosRun.run(s, seed, null, line -> {
      log.append(line).append('\n');
      lines[0]++;
      timeline.accept(line);
    });
    String logFile = "events-" + seed + ".log";
    report.run("seed " + seed, r.events(), r.digest(), (System.nanoTime() - started) / 1e9);
    report.put("replayed_seed", seed).put("faults_fired", r.outcome().faultsFired())
        .put("recoveries", r.outcome().recoveries()).put("reboots", r.outcome().reboots())
        .put("relaunches", r.outcome().relaunches()).put("jobs", r.outcome().jobSummary())
        .put("verdict", r.verdict())
        .put("violation_time_ns", r.violation() == null ? null : r.violation().timeNs())
        .put("violation_detail", r.violation() == null ? null : r.violation().detail())
        .put("end_ns", r.endNs()).put("event_log", logFile);
    new java.util.TreeMap<>(r.outcome().faultsByKind()).forEach((kind, n) -> report.row("faults_by_kind", kind, n));
    timeline.entries().forEach(e -> report.row("timeline", e.timeNs(), e.node(), e.category(), e.what()));
    timelineChart(report, timeline, s.machine().nodes());
    folder.add(logFile, log.toString());
    Path where = report.write(folder);
    out.printf(Locale.ROOT, "  faults fired: %d %s; recoveries: %d (reboots %d, relaunches %d); node jobs: %s%n",
        r.outcome().faultsFired(), r.outcome().faultsByKind().entrySet().stream().filter(e -> e.getValue() > 0)
            .map(e -> e.getKey() + " " + e.getValue()).toList(), r.outcome().recoveries(), r.outcome().reboots(),
        r.outcome().relaunches(), r.outcome().jobSummary());
    if (r.violation() == null) {
      out.println("  every invariant held");
    } else {
      out.println("  VIOLATION of " + r.violation().invariant() + " at " + r.violation().timeNs()
          + " ns, seed " + seed + ":");
      out.println("    " + r.violation().detail().replace("\n", "\n    "));
    }
    out.printf(Locale.ROOT, "  events: %,d; virtual time: %s; digest: %s%n", r.events(), Units.time(r.endNs()),
        r.digest());
    out.printf(Locale.ROOT, "  event log: %s (%,d events)%n", where.resolve(logFile), lines[0]);
    out.printf(Locale.ROOT, "  timeline: %,d faults, state changes, recoveries and job events per node; report: %s%n",
        timeline.entries().size(), where.resolve("report.html"));
    output.printJson(report.json());
    return r.modelError() ? 3 : r.violation() == null ? 0 : 1;
  }

  /** The timeline as points: one row per node, one marker per category. */
  private static void timelineChart(Report report, ChaosTimeline timeline, int nodes) {
    java.util.Map<Integer, String> names = new java.util.TreeMap<>();
    for (int n = 0; n < nodes; n++) {
      names.put(n, "node " + n);
    }
    ReportChart c = ReportChart.points("chart-chaos-timeline", "Per node: faults, state changes, recoveries and "
        + "job events", "virtual time (ms)", "node").yNames(names).height(120 + 50 * nodes);
    double[] offset = {0.24, 0.08, -0.08, -0.24};
    List<String> categories = List.of("fault", "state", "recovery", "job");
    for (int i = 0; i < categories.size(); i++) {
      String cat = categories.get(i);
      List<ChaosTimeline.Entry> es = timeline.entries().stream().filter(e -> e.category().equals(cat)).toList();
      double dy = offset[i];
      c.series(cat.equals("state") ? "state change" : cat, null, es.stream().map(e -> e.timeNs() / 1e6).toList(),
          es.stream().map(e -> e.node() + dy).toList()).tips(es.stream().map(e -> Units.time(e.timeNs()) + ", node "
          + e.node() + ": " + e.what()).toList());
    }
    report.chart(c.note("Each row is a node; within it, from the top: faults, state changes, recoveries, job "
        + "events. Hover a marker for the time; the timeline table says what each was."));
  }
}
