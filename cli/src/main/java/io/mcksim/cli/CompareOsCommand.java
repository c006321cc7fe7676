package io.mcksim.cli;

import io.mcksim.config.Scenario;
import io.mcksim.machine.bsp.BspCrash;
import io.mcksim.machine.bsp.BspSetup;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mcksim compare-os [FILE]}: the scenario's BSP application under every HPC OS design mcksim
 * models, and the comparison table: what is measured (runtime, slowdown, noise, Linux API coverage,
 * device mapping) and what is declared (whether Linux must be modified, isolation, development effort).
 */
@Command(name = "compare-os", mixinStandardHelpOptions = true,
    // picocli's own synopsis breaks the list option's form across two lines at 80 columns
    customSynopsis = {"mcksim compare-os [FILE] [--nodes=N[,N...]] [--set=KEY=VALUE]... [--out=DIR]",
        "       [--quiet] [--json] [-hV]"},
    description = {"Run the scenario's BSP application (workload.bsp; a syscall mix of its own when the "
        + "scenario lists none) under linux, argo, l4linux, mos, hobbes and mckernel at each node count, "
        + "try a device mapping under each, crash each design's LWK and Linux on one node, and print and "
        + "write the comparison table. Each cell says whether it was measured or declared."})
final class CompareOsCommand implements Callable<Integer> {

  static final List<String> MODELS = List.of("linux", "argo", "l4linux", "mos", "hobbes", "mckernel");
  /** Calls each thread makes per iteration when the scenario lists none. */
  static final List<String> DEFAULT_MIX = List.of("read", "write", "openat", "close", "getpid", "futex", "mmap",
      "uname", "ioctl");

  /** What the designs are, not what the model measures: from the designs' own documentation. */
  record Declared(String linuxModified, String isolation, String effort) {}

  static final Map<String, Declared> DECLARED = Map.of(
      "linux", new Declared("(is Linux)", "none: one kernel", "none"),
      "argo", new Declared("no", "cgroups and cpusets only", "containers; no kernel work"),
      "l4linux", new Declared("yes: its arch layer ported to L4", "microkernel-enforced; Linux deprivileged",
          "a Linux port and a microkernel"),
      "mos", new Declared("yes: a patched Linux", "weak: the LWK lives inside Linux", "kernel patches"),
      "hobbes", new Declared("no: the Pisces module", "strong: an independent kernel",
          "Kitten, Pisces and Palacios"),
      "mckernel", new Declared("no: modules only (IHK, mcctrl)", "its own kernel on offlined cores and memory",
          "a lightweight kernel and the IHK modules"));

  @Mixin
  ScenarioOptions scenario;

  @Option(names = "--nodes", split = ",", paramLabel = "N",
      description = "Node counts to run at, each as machine.nodes (1-1000000; default ${DEFAULT-VALUE}).")
  List<Integer> nodes = List.of(1, 64, 1024);

  @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default ${DEFAULT-VALUE}); "
      + "written whole or not at all.")
  String out = "mcksim-compare-os";

  @Mixin
  ResultOutput output;

  /** One model's figures. */
  record Row(String model, Map<Integer, BspRun.Measured> runs, long deviceFailed, String lwkCrash,
      String linuxCrash) {
    BspRun.Measured largest() {
      return runs.values().stream().reduce((a, b) -> b).orElseThrow();
    }

    double coverage() {
      BspRun.Measured m = largest();
      return m.outcome().calls() == 0 ? 1 : 1 - (double) m.outcome().failedCalls() / m.outcome().calls();
    }

    double noiseFraction() {
      BspRun.Measured m = largest();
      return (double) m.outcome().stolenNs() / ((double) m.cpus() * m.outcome().runtimeNs());
    }
  }

  @Override
  public Integer call() throws IOException {
    Options.nonEmpty("--nodes", nodes, "1,64,1024");
    try (OutputFolder folder = OutputFolder.claim(out, "--out", "compare-os")) {
      return compare(folder);
    }
  }

  private int compare(OutputFolder folder) throws IOException {
    Scenario base = scenario.load(List.of("workload.type=bsp"));
    List<String> mix = base.workload().bsp().syscalls().isEmpty() ? DEFAULT_MIX : base.workload().bsp().syscalls();
    String engine = base.run().engine();
    int threads = PholdRun.threads(base, engine);
    List<String> common = new ArrayList<>(List.of("workload.type=bsp",
        "workload.bsp.syscalls=[" + String.join(", ", mix) + "]"));
    // every scenario first: a bad value fails before anything runs
    Map<String, Map<Integer, Scenario>> scenarios = new LinkedHashMap<>();
    for (String model : MODELS) {
      Map<Integer, Scenario> byNodes = new LinkedHashMap<>();
      for (int n : nodes) {
        Options.Keys keys = Options.keys().put("--nodes", "machine.nodes", n);
        List<String> o = new ArrayList<>(common);
        o.addAll(keys.overrides());
        o.add("os.model=" + model);
        Scenario s = keys.load(() -> scenario.load(o));
        BspSetup.plan(s);
        byNodes.put(n, s);
      }
      scenarios.put(model, byNodes);
    }
    Report report = new Report(ReportKinds.COMPARE_OS, base).engine(engine, threads);
    report.lead("The same BSP application under each HPC OS design, at each node count, with calls " + mix
        + "; then the device mapping and a crash of each part of node 0, measured on the full node model, beside "
        + "what the designs' documentation declares.");
    PrintStream out = output.console();
    out.printf(Locale.ROOT, "mcksim: compare-os, %d models x %s nodes, calls %s, %s engine, seed %d%n",
        MODELS.size(), nodes, mix, engine, base.run().seed());
    List<Row> rows = new ArrayList<>();
    for (String model : MODELS) {
      Map<Integer, BspRun.Measured> runs = new LinkedHashMap<>();
      for (Map.Entry<Integer, Scenario> e : scenarios.get(model).entrySet()) {
        out.printf(Locale.ROOT, "  %s on %,d node%s%n", BspRun.osName(model), e.getKey(),
            e.getKey() == 1 ? "" : "s");
        runs.put(e.getKey(), BspRun.run(e.getValue(), engine, threads, null, false));
      }
      // the device mapping: one node, each thread opens a device, sets it up, maps it
      Scenario one = scenarios.get(model).values().iterator().next();
      long deviceFailed = deviceMapping(one, model);
      // isolation: a crash of each part of node 0, halfway through the run at the first node count
      BspRun.Measured first = runs.values().iterator().next();
      rows.add(new Row(model, runs, deviceFailed,
          crash(one, "lwk", first), crash(one, "linux", first)));
    }
    String[] head = head();
    List<String[]> table = table(rows);
    report.put("calls", String.join(", ", mix)).put("node_counts", String.join(", ", nodes.stream()
        .map(String::valueOf).toList()));
    fill(report, rows);
    Path where = report.write(folder);
    output.printJson(report.json());
    out.println();
    out.println("  measured in this run (crashes: node 0's LWK or Linux, halfway through the run at "
        + nodes.get(0) + " node" + (nodes.get(0) == 1 ? "" : "s") + "):");
    out.print(console(head, table, "[m]"));
    out.println("  declared from the designs' documentation:");
    out.print(console(head, table, "[d]"));
    out.println("  report: " + where.resolve("report.html") + " (report.json, compare-os-runs.csv, "
        + "compare-os-models.csv)");
    return 0;
  }

  /**
   * The device mapping under {@code model} on the full node model: every thread of the scenario opens a
   * device, sets it up and maps it, each call by the design's path; the calls that failed (ENOSYS).
   */
  static long deviceMapping(Scenario s, String model) {
    var m = BspSetup.application(s, BspSetup.deviceMapping(s, model));
    io.mcksim.actors.engine.Engine.named("sequential").run(m,
        io.mcksim.actors.engine.RunSpec.until(Long.MAX_VALUE / 2, 1));
    return m.outcome().failedCalls();
  }

  /**
   * What a crash of {@code part} on node 0 left of the application and of Linux, on the full node model:
   * struck halfway through the run {@code clean} measured of the same scenario, and read at four times
   * that run's end (a thread still waiting then waits forever).
   */
  static String crash(Scenario s, String part, BspRun.Measured clean) {
    long start = clean.outcome().startNs();
    long runtime = Math.max(clean.outcome().runtimeNs(), clean.idealNs());
    BspCrash.Report r = BspCrash.run(s, part, 0, start + clean.idealNs() / 2, start + 4 * runtime);
    return r == null ? "no LWK" : r.summary();
  }

  private String[] head() {
    List<String> h = new ArrayList<>(List.of("model"));
    for (int n : nodes) {
      h.add(String.format(Locale.ROOT, "runtime %,d nodes (ms) [m]", n));
    }
    h.addAll(List.of("slowdown [m]", "noise (%) [m]", "API coverage [m]", "device mapping [m]",
        "LWK crash [m]", "Linux crash [m]", "Linux modified [d]", "isolation design [d]", "effort [d]"));
    return h.toArray(String[]::new);
  }

  private List<String[]> table(List<Row> rows) {
    List<String[]> out = new ArrayList<>();
    for (Row r : rows) {
      List<String> c = new ArrayList<>(List.of(BspRun.osName(r.model())));
      for (int n : nodes) {
        c.add(String.format(Locale.ROOT, "%.4f", r.runs().get(n).outcome().runtimeNs() / 1e6));
      }
      Declared d = DECLARED.get(r.model());
      c.add(String.format(Locale.ROOT, "%.4f", r.largest().slowdown()));
      c.add(String.format(Locale.ROOT, "%.4f", 100 * r.noiseFraction()));
      c.add(String.format(Locale.ROOT, "%.0f%%", 100 * r.coverage()));
      c.add(r.deviceFailed() == 0 ? "usable" : "refused (ENOSYS)");
      c.add(r.lwkCrash());
      c.add(r.linuxCrash());
      c.add(d.linuxModified());
      c.add(d.isolation());
      c.add(d.effort());
      out.add(c.toArray(String[]::new));
    }
    return out;
  }

  /** The model's column and the columns marked {@code mark}, without the mark, as a table of 100 columns. */
  private static String console(String[] head, List<String[]> table, String mark) {
    List<Integer> columns = new ArrayList<>(List.of(0));
    for (int i = 1; i < head.length; i++) {
      if (head[i].endsWith(mark)) {
        columns.add(i);
      }
    }
    String[] h = columns.stream().map(i -> head[i].replace(" " + mark, "")).toArray(String[]::new);
    List<String[]> rows = table.stream().map(r -> columns.stream().map(i -> r[i]).toArray(String[]::new)).toList();
    return Table.render(h, rows, 1, Table.WIDTH);
  }

  /** Fills the report's tables and its charts. */
  private void fill(Report report, List<Row> rows) {
    ReportChart runtime = ReportChart.lines("chart-compare-runtime", "Runtime against the node count, each design",
        "nodes (log scale)", "runtime (ms)").logX(2);
    ReportChart slowdown = ReportChart.lines("chart-compare-slowdown", "Slowdown over the noiseless ideal, each "
        + "design", "nodes (log scale)", "slowdown (runtime / ideal), axis not from 0").logX(2).yFromData();
    List<Integer> xs = List.copyOf(nodes);
    for (Row r : rows) {
      r.runs().forEach((n, m) -> {
        report.run(r.model() + " " + n, m.result());
        report.row("compare_os_runs", r.model(), n, m.outcome().runtimeNs(), m.idealNs(), m.slowdown(),
            m.result().digest());
      });
      Declared d = DECLARED.get(r.model());
      report.row("compare_os_models", r.model(), r.largest().slowdown(), r.noiseFraction(), r.coverage(),
          r.deviceFailed() == 0 ? "usable" : "refused (ENOSYS)", r.lwkCrash(), r.linuxCrash(), d.linuxModified(),
          d.isolation(), d.effort());
      String role = r.model().equals("linux") ? "linux" : r.model().equals("mckernel") ? "mckernel" : null;
      runtime.series(BspRun.osName(r.model()), role, xs, xs.stream().map(n -> r.runs().get(n).outcome().runtimeNs()
          / 1e6).toList());
      slowdown.series(BspRun.osName(r.model()), role, xs, xs.stream().map(n -> r.runs().get(n).slowdown()).toList());
    }
    if (!rows.isEmpty()) {
      Row first = rows.get(0);
      runtime.series("noiseless ideal", "ideal", xs, xs.stream().map(n -> first.runs().get(n).idealNs() / 1e6).toList());
      slowdown.series("no slowdown (1)", "ideal", xs, xs.stream().map(n -> 1.0).toList());
    }
    report.chart(runtime).chart(slowdown);
  }
}
