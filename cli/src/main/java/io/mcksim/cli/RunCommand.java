package io.mcksim.cli;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.config.Scenario;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mcksim run [FILE]}: the main job: the workload the scenario names, or a sweep of it. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run a scenario (the built-in default without FILE) and print its summary.",
        "workload.type picks what runs: showcase (the default: a node's boot, FWQ, syscalls and a BSP "
            + "sweep, with report.html), phold (the engine benchmark), syscalls (the system-call "
            + "microbenchmark), fwq or ftq (OS noise), programs (your own programs on McKernel, or on "
            + "Linux with os.model = linux), bsp (a bulk-synchronous application over the whole machine; "
            + "with a sweep section, one run per combination of the listed values). See examples/."})
final class RunCommand implements Callable<Integer> {

  @Mixin
  ScenarioOptions scenario;

  @Mixin
  ResultOutput output;

  @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default ${DEFAULT-VALUE}); "
      + "written whole or not at all, and only where mcksim may: a new or empty folder, or an earlier run's "
      + "report.")
  String out = "mcksim-report";

  /** The report folder, claimed before the run starts. */
  private OutputFolder folder;
  /** Whether the result goes out as JSON (--json). */
  private boolean json;

  @Option(names = "--seed", paramLabel = "N", description = "The run's seed (same as --set run.seed=N).")
  Long seed;

  @Option(names = "--threads", paramLabel = "K", description = "Threads of the actor engine (same as --set "
      + "run.threads=K; 0: one per core).")
  Integer threads;

  @Option(names = "--raw-samples", description = "FWQ and FTQ: also write every sample, as it comes, into "
      + "the report's fwq-raw-samples.csv or ftq-raw-samples.csv; without it the report keeps each core's first "
      + "10,000 samples and its statistics over all of them.")
  boolean rawSamples;

  @Mixin
  ClusterOptions cluster;

  /** The scenario: the file, --set, then --seed and --threads, then {@code more}. */
  Scenario load(List<String> more) {
    Options.Keys keys = Options.keys().put("--seed", "run.seed", seed).put("--threads", "run.threads", threads);
    List<String> all = new java.util.ArrayList<>(keys.overrides());
    all.addAll(more);
    return keys.load(() -> scenario.load(all));
  }

  @Override
  public Integer call() throws IOException {
    try (OutputFolder claimed = OutputFolder.claim(out, "--out", "run")) {
      folder = claimed;
      json = output.json;
      if (!output.quiet || json) {
        return dispatch();
      }
      java.io.PrintStream stdout = System.out;
      System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
      try {
        return dispatch();
      } finally {
        System.setOut(stdout);
      }
    }
  }

  private ProgressLine progress(long endNs) {
    return output.text() ? ProgressLine.onStandardError(endNs) : null;
  }

  private int dispatch() throws IOException {
    Scenario s = load(List.of());
    String engine = s.run().engine();
    Validation.check(s, this::load);
    Engine spread = cluster.enabled() ? cluster.engine(s) : null;
    // the engine of the workloads that can run over worker JVMs (bsp, phold)
    Engine spreadable = spread != null ? spread : Engine.named(engine);
    if (spread != null && !json) {
      System.out.printf(Locale.ROOT, "mcksim: spreading the run over %d worker JVM%s (cluster sharding)%n",
          cluster.workers, cluster.workers == 1 ? "" : "s");
    }
    if (s.workload().type().equals("showcase")) {
      return showcase(s, engine);
    }
    if (s.workload().type().equals("syscalls")) {
      return syscalls(s, engine);
    }
    if (s.workload().type().equals("fwq") || s.workload().type().equals("ftq")) {
      return fwq(s, engine);
    }
    if (s.workload().type().equals("programs")) {
      return programs(s, engine, spreadable);
    }
    if (s.workload().type().equals("bsp")) {
      return s.sweep().isEmpty() ? bsp(s, spreadable) : sweep(s, engine);
    }
    if (!json) {
      System.out.printf(Locale.ROOT, "mcksim: running %s on the %s engine (%d threads), seed %d, until %s%n",
          "phold", spreadable.name(), PholdRun.threads(s, spreadable.name()), s.run().seed(),
          Units.time(s.run().endTimeNs()));
    }
    ProgressLine progress = progress(s.run().endTimeNs());
    PholdRun.Measured m;
    try {
      m = PholdRun.run(s, spreadable, ProgressLine.orNone(progress));
    } finally {
      if (progress != null) {
        progress.finish();
      }
    }
    RunResult r = m.result();
    String[][] rows = {
        {"model", r.model() + " (" + r.entities() + " entities, " + r.domains() + " domains, population "
            + m.params().population() + ", " + pct(m.params().remoteFraction()) + " remote)"},
        {"engine", r.engine() + ", " + r.threads() + " thread" + (r.threads() == 1 ? "" : "s")
            + (r.windows() > 0 ? ", " + r.sequencers() + " sequencer" + (r.sequencers() == 1 ? "" : "s") : "")},
        {"virtual time reached", Units.time(r.virtualEndNs())},
        {"events", String.format(Locale.ROOT, "%,d", r.events())},
        {"windows / batches", String.format(Locale.ROOT, "%,d / %,d", r.windows(), r.subWindows())},
        {"wall time", String.format(Locale.ROOT, "%.3f s", r.wallSeconds())},
        {"events per second", String.format(Locale.ROOT, "%,.0f", r.eventsPerSecond())},
        {"messages between JVMs", r.jvmMessages() > 0 ? BspRun.jvmMessages(r) : "none (one JVM)"},
        {"memory per entity", m.bytesPerEntity() > 0 ? m.bytesPerEntity() + " B" : "not measured (entities in worker JVMs)"},
        {"seed", Long.toString(r.seed())},
        {"event-log digest", r.digest()},
    };
    int w = 0;
    for (String[] row : rows) {
      w = Math.max(w, row[0].length());
    }
    StringBuilder table = new StringBuilder();
    for (String[] row : rows) {
      table.append(String.format(Locale.ROOT, "  %-" + w + "s  %s%n", row[0], row[1]));
    }
    Report report = new Report(ReportKinds.PHOLD, s);
    report.lead("PHOLD: the engine's own benchmark, entities that send each other events at random.");
    m.fill(report);
    publish(report, table.toString());
    return 0;
  }

  private int syscalls(Scenario s, String engine) throws IOException {
    int threads = PholdRun.threads(s, engine);
    SyscallsRun.validate(s, s.workload().syscalls());
    if (!json) {
      System.out.printf(Locale.ROOT, "mcksim: system-call microbenchmark, %d calls each, McKernel table %s,"
          + " %s engine, seed %d%n", s.workload().syscalls().calls(), s.workload().syscalls().table(),
          engine, s.run().seed());
    }
    Report report = new Report(ReportKinds.SYSCALLS, s);
    SyscallsRun.Outcome o = SyscallsRun.run(s, engine, threads);
    report.run("mckernel", o.mckernel()).run("linux", o.linux());
    report.lead("Each call made " + s.workload().syscalls().calls() + " times on McKernel (table "
        + o.table() + "), where it runs locally or is offloaded to Linux, and natively on Linux.");
    report.put("table", o.table()).put("calls_each", s.workload().syscalls().calls());
    SyscallsRun.fill(report, o, s);
    if (publish(report, SyscallsRun.table(o) + "  stages: configured offload stages summed (local cost for local calls);"
        + " McKernel mean minus stages is queueing\n")) {
      System.out.println("  digests: McKernel " + o.mckernel().digest() + ", Linux " + o.linux().digest());
    }
    return 0;
  }

  private int programs(Scenario s, String engine, Engine runOn) throws IOException {
    int threads = PholdRun.threads(s, engine);
    int count = ProgramsRun.programs(s).size();
    if (!json) {
      String where = ProgramsRun.linux(s) ? "natively on Linux, noise " + s.os().linuxNoise()
          : "under mcexec on McKernel, table " + s.workload().syscalls().table();
      System.out.printf(Locale.ROOT, "mcksim: %d program%s %s, %s engine, seed %d%n", count,
          count == 1 ? "" : "s", where, engine, s.run().seed());
    }
    Report report = new Report(ReportKinds.PROGRAMS, s).engine(runOn.name(), threads);
    report.lead(count + " program" + (count == 1 ? "" : "s") + (ProgramsRun.linux(s) ? " natively on Linux"
        : " under mcexec on McKernel") + ": how each ended, its system calls and where they ran.");
    ProgramsRun.Outcome o = ProgramsRun.run(s, runOn, threads);
    ProgramsRun.fill(report, o);
    if (publish(report, ProgramsRun.table(o))) {
      System.out.println("  digest: " + o.result().digest());
    }
    return 0;
  }

  private int fwq(Scenario s, String engine) throws IOException {
    int threads = PholdRun.threads(s, engine);
    String kind = s.workload().type();
    if (!json && kind.equals("fwq")) {
      System.out.printf(Locale.ROOT, "mcksim: FWQ, %d iterations of %s per core, Linux noise %s, %s engine,"
          + " seed %d%n", s.workload().fwq().iterations(), Units.time(s.workload().fwq().quantumNs()),
          s.workload().fwq().noise(), engine, s.run().seed());
    } else if (!json) {
      System.out.printf(Locale.ROOT, "mcksim: FTQ, %d quanta of %s per core, units of %s, Linux noise %s,"
          + " %s engine, seed %d (columns: units of work per quantum)%n", s.workload().ftq().quanta(),
          Units.time(s.workload().ftq().quantumNs()), Units.time(s.workload().ftq().unitNs()),
          s.workload().ftq().noise(), engine, s.run().seed());
    }
    Report report = new Report(kind.equals("ftq") ? ReportKinds.FTQ : ReportKinds.FWQ, s);
    // the raw samples, when asked, go into the report as they come: a run holds only its histograms
    FwqRun.Outcome o = FwqRun.run(s, engine, threads, rawSamples ? folder.streamed(FwqRun.rawSamplesFile(kind))
        : null);
    report.run("linux", o.linux());
    if (o.mckernel() != null) {
      report.run("mckernel", o.mckernel());
    }
    boolean ftq = kind.equals("ftq");
    report.lead(ftq ? "Every core counts the units of work it finishes in each fixed quantum; a quantum with "
        + "fewer was interrupted." : "Every core repeats a fixed quantum of work; an iteration that takes longer "
        + "was interrupted. Linux cores have the scenario's noise profile; McKernel cores are tick-less.");
    FwqRun.fill(report, o, kind, ftq, ftq ? s.workload().ftq().quantumNs() : s.workload().fwq().quantumNs(),
        ftq ? s.workload().ftq().noise() : s.workload().fwq().noise());
    publish(report, FwqRun.table(o));
    return 0;
  }

  private int showcase(Scenario s, String engine) throws IOException {
    int threads = PholdRun.threads(s, engine);
    if (!json) {
      System.out.printf(Locale.ROOT, "mcksim: the showcase, %s engine (%d thread%s), seed %d%n", engine, threads,
          threads == 1 ? "" : "s", s.run().seed());
    }
    ProgressLine progress = progress(0);
    ShowcaseRun.Outcome o;
    try {
      o = ShowcaseRun.run(this::load, engine, threads, stage -> {
        if (!json) {
          if (progress != null) {
            progress.finish();
          }
          System.out.println("  " + stage);
        }
      }, progress);
    } finally {
      if (progress != null) {
        progress.finish();
      }
    }
    ShowcaseReport.Content c = ShowcaseReport.build(o);
    Path where = c.report().write(folder);
    if (json) {
      System.out.println(c.report().json());
      return 0;
    }
    System.out.print(ShowcaseConsole.summary(c, where));
    return 0;
  }

  private int bsp(Scenario s, Engine engine) throws IOException {
    int threads = PholdRun.threads(s, engine.name());
    io.mcksim.machine.bsp.BspPlan plan = io.mcksim.machine.bsp.BspSetup.plan(s);
    if (!json) {
      System.out.printf(Locale.ROOT, "mcksim: BSP, %s, %s engine (%d thread%s), seed %d%n",
          BspRun.describe(plan), engine.name(), threads, threads == 1 ? "" : "s", s.run().seed());
    }
    ProgressLine progress = progress(0);
    BspRun.Measured m;
    try {
      m = BspRun.run(s, engine, threads, progress, !engine.name().equals("cluster"));
    } finally {
      if (progress != null) {
        progress.finish();
      }
    }
    Report report = new Report(ReportKinds.BSP, s).engine(engine.name(), threads);
    report.lead("A bulk-synchronous application: " + BspRun.describe(plan) + ".");
    BspRun.fill(report, m);
    publish(report, BspRun.table(m));
    return 0;
  }

  private int sweep(Scenario s, String engine) throws IOException {
    int threads = PholdRun.threads(s, engine);
    int total = SweepRun.combinations(s.sweep()).size();
    if (!json) {
      System.out.printf(Locale.ROOT, "mcksim: sweep of %d runs over %s, %s engine (%d thread%s), seed %d%n",
          total, String.join(", ", s.sweep().keys()), engine, threads, threads == 1 ? "" : "s",
          s.run().seed());
    }
    ProgressLine progress = progress(0);
    List<SweepRun.Point> points;
    try {
      points = SweepRun.run(SweepRun.prepare(s.sweep(), this::load), engine, threads, (i, values) -> {
        if (!json) {
          if (progress != null) {
            progress.finish();
          }
          StringBuilder shown = new StringBuilder();
          values.forEach((k, v) -> shown.append(shown.length() == 0 ? "" : " ").append(k).append('=')
              .append(SweepRun.unquote(v)));
          System.out.printf(Locale.ROOT, "  run %d/%d: %s%n", i, total, shown);
        }
      }, progress);
    } finally {
      if (progress != null) {
        progress.finish();
      }
    }
    String[] head = SweepRun.head(s.sweep());
    List<String[]> rows = SweepRun.rows(points);
    String[] speedHead = SweepRun.speedupHead(s.sweep());
    List<String[]> speed = SweepRun.comparesModels(s.sweep()) ? SweepRun.speedups(points) : List.of();
    Report report = new Report(ReportKinds.SWEEP, s).engine(engine, threads);
    report.lead("A sweep of " + points.size() + " BSP runs over " + String.join(", ", s.sweep().keys()) + ".");
    SweepRun.fill(report, s.sweep(), points);
    StringBuilder table = new StringBuilder("\n").append(Table.render(head, rows, s.sweep().size()));
    if (!speed.isEmpty()) {
      table.append('\n').append(Table.render(speedHead, speed, s.sweep().size() - 1));
    }
    publish(report, table.toString());
    return 0;
  }

  /**
   * Writes the report (report.json, the CSVs, report.html; whole or not at all), then prints the JSON, or
   * the table and where the report is.
   *
   * @return whether the table was printed (not the JSON), for what a workload adds below it
   */
  private boolean publish(Report report, String table) throws IOException {
    Path where = report.write(folder);
    if (json) {
      System.out.println(report.json());
      return false;
    }
    System.out.print(table);
    List<String> files = new java.util.ArrayList<>(report.files());
    files.addAll(folder.streamedFiles());
    System.out.println("  report: " + where.resolve("report.html") + " (" + String.join(", ",
        files.subList(0, 1)) + (files.size() > 2 ? ", " + String.join(", ", files.subList(2, files.size())) : "")
        + ")");
    return true;
  }

  private static String pct(double f) {
    return String.format(Locale.ROOT, "%.0f%%", f * 100);
  }
}
