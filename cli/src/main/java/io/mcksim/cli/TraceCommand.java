package io.mcksim.cli;

import io.mcksim.config.Scenario;
import io.mcksim.workloads.strace.StraceParser;
import io.mcksim.workloads.strace.StraceTrace;
import io.mcksim.workloads.strace.TracePrograms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mcksim trace FILE...}: what McKernel would do to a program recorded with strace. */
@Command(name = "trace", mixinStandardHelpOptions = true,
    description = {"Replay a program recorded with strace -f (-ttt, -tt or -r; best with -T) under McKernel "
        + "and under Linux: per-syscall counts, which run locally and which are offloaded, the predicted "
        + "runtime under each, the offload overhead by stage, and the calls that add the most time.",
        "Several FILEs are the per-process files of strace -ff -o PREFIX (each pid from its name).",
        "A line that cannot be read is listed with its file and number and skipped (or refused with "
            + "--strict); a trace cut off anywhere is replayed as far as it goes, with a warning. Pids range "
            + "from 1 to " + StraceParser.MAX_PID + ", timestamps up to " + StraceParser.MAX_SECONDS + " s, each "
            + "within " + StraceParser.MAX_SPAN_SECONDS + " s of the first, durations up to that too, lines up to "
            + StraceParser.MAX_LINE + " characters."})
final class TraceCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "strace output file(s).")
  List<Path> files;

  @Option(names = "--config", paramLabel = "FILE", description = "A scenario for the machine and costs "
      + "(default: the built-in one).")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one scenario key (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--os", paramLabel = "MODEL", description = "mckernel, linux or both (default ${DEFAULT-VALUE}).")
  String os = "both";

  @Option(names = "--strict", description = "Refuse a trace with any line that cannot be read (exit 2, "
      + "naming the first such lines by file:line) instead of skipping those lines.")
  boolean strict;

  @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default ${DEFAULT-VALUE}); "
      + "written whole or not at all.")
  String out = "mcksim-trace";

  @Mixin
  ResultOutput output;

  @Override
  public Integer call() throws IOException {
    try (OutputFolder folder = OutputFolder.claim(out, "--out", "trace")) {
      return trace(folder);
    }
  }

  private int trace(OutputFolder folder) throws IOException {
    if (!List.of("mckernel", "linux", "both").contains(os)) {
      throw new IllegalArgumentException("--os: '" + os + "' is not one of mckernel, linux, both");
    }
    List<StraceParser.Source> sources = new ArrayList<>();
    for (Path f : files) {
      sources.add(StraceParser.Source.of(traceFile(f)));
    }
    Scenario s = new io.mcksim.config.ScenarioLoader().load(config, overrides);
    TracePrograms.Result p = TraceRun.read(s, sources);
    StraceTrace trace = p.trace();
    if (strict && trace.unreadable() > 0) {
      throw new IllegalArgumentException(trace.unreadable() + " line" + (trace.unreadable() == 1 ? "" : "s")
          + " cannot be read (--strict); the first: " + String.join("; ", trace.badLines().stream().limit(3)
          .map(StraceTrace.BadLine::toString).toList()) + "; without --strict they are skipped");
    }
    if (p.root() == null) {
      throw new IllegalArgumentException("no system calls in " + files + (trace.unreadable() == 0 ? ""
          : "; the first unreadable line: " + trace.badLines().get(0)) + "; record a trace with strace -f -ttt -T "
          + "-o FILE PROGRAM");
    }
    String engine = s.run().engine();
    int threads = PholdRun.threads(s, engine);
    Report report = new Report(ReportKinds.TRACE, s);
    TraceRun.Outcome o = TraceRun.run(s, p, os, engine, threads);
    fill(report, o);
    Path where = report.write(folder);
    output.printJson(report.json());
    output.console().print(summary(o, where));
    return 0;
  }

  /** A trace file as given, checked to be one: an existing regular file. */
  static Path traceFile(Path f) {
    String record = "; record one with strace -f -ttt -T -o FILE PROGRAM";
    if (Files.isDirectory(f)) {
      throw new IllegalArgumentException(f + ": is a folder, not a trace file; give the file(s) strace wrote"
          + record);
    }
    if (!Files.exists(f)) {
      throw new IllegalArgumentException(f + ": no such trace file" + record);
    }
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException(f + ": not a regular file (a device, a pipe?); save the trace to a "
          + "file first" + record);
    }
    if (!Files.isReadable(f)) {
      throw new IllegalArgumentException(f + ": cannot be read (no permission); make it readable");
    }
    return f;
  }

  /** Unreadable lines and warnings the console lists; the report lists the first {@link StraceParser#KEPT}. */
  static final int LISTED = 10;

  static String summary(TraceRun.Outcome o, Path where) {
    TracePrograms.Result p = o.programs();
    StraceTrace t = p.trace();
    StringBuilder sb = new StringBuilder();
    int threads = p.threadCount();
    sb.append(String.format(Locale.ROOT, "mcksim: trace of %,d calls in %d thread%s (%s timestamps%s), %,d lines,"
        + " %,d unreadable%n", p.callCount(), threads, threads == 1 ? "" : "s", t.timing(),
        t.durations() ? ", durations" : ", no durations: gaps include each call's own time", t.lines(),
        t.unreadable()));
    list(sb, "unreadable", t.bad());
    list(sb, "warning", p.warnings());
    if (!o.programs().unknown().isEmpty()) {
      sb.append("  unknown syscalls, replayed as their recorded time: ").append(o.programs().unknown()).append('\n');
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"recorded", Units.time(recordedNs(o)), "compute between calls " + Units.time(
        p.gapsNs())});
    if (o.mckernel() != null) {
      rows.add(new String[] {"McKernel", Units.time(o.mckernel().runtimeNs()), "digest " + o.mckernel().result().digest()});
    }
    if (o.linux() != null) {
      rows.add(new String[] {"Linux", Units.time(o.linux().runtimeNs()), "digest " + o.linux().result().digest()});
    }
    sb.append('\n').append(Table.render(new String[] {"runtime", "predicted", ""}, rows, 1));

    List<TraceRun.Row> all = TraceRun.rows(o);
    List<TraceRun.Row> costs = costs(all, SHOWN);
    List<TraceRun.Row> saves = savings(all, SHOWN);
    sb.append('\n').append(Table.render(new String[] {"syscall", "on McKernel", "calls", "McKernel (ns)",
        "Linux (ns)", "added (ns)"}, cells(costs), 2));
    sb.append(String.format(Locale.ROOT, "  where McKernel costs time: %d of %d calls shown%n",
        costs.size(), all.stream().filter(r -> r.addedNs() > 0).count()));
    if (!saves.isEmpty()) {
      sb.append('\n').append(Table.render(new String[] {"syscall", "on McKernel", "calls", "McKernel (ns)",
          "Linux (ns)", "saved (ns)"}, cells(saves), 2));
    }
    sb.append(String.format(Locale.ROOT, "  where McKernel saves time: %d of %d calls shown%n",
        saves.size(), all.stream().filter(r -> r.addedNs() < 0).count()));
    sb.append(String.format(Locale.ROOT, "  %,d calls in all in trace-syscalls.csv%n", all.size()));
    rows = new ArrayList<>();
    for (Map.Entry<String, Long> e : TraceRun.stages(o).entrySet()) {
      rows.add(new String[] {e.getKey() + (overhead(e.getKey()) ? "" : " (Linux's own work, not overhead)"),
          String.format(Locale.ROOT, "%,d", e.getValue())});
    }
    if (!rows.isEmpty()) {
      sb.append('\n').append(Table.render(new String[] {"offload stage", "total (ns)"}, rows, 1));
      sb.append(String.format(Locale.ROOT, "  offload overhead: %s (every stage but linuxService)%n",
          Units.time(overheadNs(o))));
    }
    sb.append(String.format(Locale.ROOT, "%n  report: %s (report.html, report.json, one CSV per table)%n  seed %d%n",
        where, o.scenario().run().seed()));
    return sb.toString();
  }

  /** The first {@link #LISTED} items, each on a line, and how many more there are. */
  private static void list(StringBuilder sb, String what, io.mcksim.workloads.strace.Capped<?> items) {
    items.first().stream().limit(LISTED).forEach(i -> sb.append("  ").append(what).append(": ").append(i).append('\n'));
    if (items.count() > LISTED) {
      sb.append(String.format(Locale.ROOT, "  ... and %,d more %s%s (%s.csv lists the first %d)%n",
          items.count() - LISTED, what, what.endsWith("e") ? " lines" : "s", what.endsWith("e") ? "unreadable"
          : "warnings", StraceParser.KEPT));
    }
  }

  /** From the first call's start to the last call's end, over every thread. */
  static long recordedNs(TraceRun.Outcome o) {
    return o.programs().recordedNs();
  }

  /** Calls listed on the console and drawn, of those where McKernel costs time and of those where it saves. */
  static final int SHOWN = 12;

  /** The calls where McKernel costs the most time, the most first. */
  static List<TraceRun.Row> costs(List<TraceRun.Row> rows, int n) {
    return rows.stream().filter(r -> r.addedNs() > 0).limit(n).toList();
  }

  /** The calls where McKernel saves the most time, the most first. */
  static List<TraceRun.Row> savings(List<TraceRun.Row> rows, int n) {
    List<TraceRun.Row> s = new ArrayList<>(rows.stream().filter(r -> r.addedNs() < 0).toList());
    java.util.Collections.reverse(s);
    return s.stream().limit(n).toList();
  }

  private static List<String[]> cells(List<TraceRun.Row> rows) {
    List<String[]> out = new ArrayList<>();
    for (TraceRun.Row r : rows) {
      out.add(new String[] {r.syscall(), r.where(), String.format(Locale.ROOT, "%,d", r.count()),
          String.format(Locale.ROOT, "%,d", r.mckernelNs()), String.format(Locale.ROOT, "%,d", r.linuxNs()),
          String.format(Locale.ROOT, "%,d", Math.abs(r.addedNs()))});
    }
    return out;
  }

  /** Whether a stage is offload overhead: every stage but Linux's service, which Linux pays natively too. */
  static boolean overhead(String stage) {
    return !stage.equals("linuxService");
  }

  /** The offload stages of every offloaded call, Linux's service left out. */
  static long overheadNs(TraceRun.Outcome o) {
    return TraceRun.stages(o).entrySet().stream().filter(e -> overhead(e.getKey())).mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** Fills the trace's report: the summary, every call, the stages, what could not be read, and the charts. */
  static void fill(Report report, TraceRun.Outcome o) {
    TracePrograms.Result p = o.programs();
    StraceTrace t = p.trace();
    if (o.mckernel() != null) {
      report.run("mckernel", o.mckernel().result());
    }
    if (o.linux() != null) {
      report.run("linux", o.linux().result());
    }
    List<TraceRun.Row> rows = TraceRun.rows(o);
    report.lead("A program recorded with strace, replayed under McKernel and under Linux: which calls run "
        + "locally and which are offloaded, the predicted runtime under each, where McKernel costs time and where "
        + "it saves it.");
    if (o.mckernel() != null && o.linux() != null) {
      report.lead("The two runtimes differ by more than the calls: the Linux replay's compute between calls also "
          + "suffers the noise of Linux's cores (the scenario's noise profile), which McKernel's cores do not; "
          + "saved_ns and added_ns count the calls only.");
    }
    report.put("timing", t.timing()).put("durations", t.durations()).put("lines", t.lines())
        .put("calls", p.callCount()).put("threads", p.threadCount()).put("unreadable_count", t.unreadable())
        .put("warning_count", p.warnings().count()).put("recorded_ns", recordedNs(o)).put("compute_ns", p.gapsNs())
        .put("mckernel_ns", o.mckernel() == null ? null : o.mckernel().runtimeNs())
        .put("linux_ns", o.linux() == null ? null : o.linux().runtimeNs())
        .put("saved_ns", rows.stream().filter(r -> r.addedNs() < 0).mapToLong(r -> -r.addedNs()).sum())
        .put("added_ns", rows.stream().filter(r -> r.addedNs() > 0).mapToLong(TraceRun.Row::addedNs).sum())
        .put("offload_overhead_ns", overheadNs(o));
    rows.forEach(r -> report.row("trace_syscalls", r.syscall(), r.where(), r.count(), r.mckernelNs(), r.linuxNs(),
        r.addedNs()));
    TraceRun.stages(o).forEach((stage, ns) -> report.row("trace_stages", stage, ns, overhead(stage)));
    t.badLines().forEach(b -> report.row("unreadable", b.file(), b.line(), b.why()));
    p.warnings().first().forEach(w -> report.row("warnings", w.toString()));
    List<TraceRun.Row> costs = costs(rows, SHOWN);
    List<TraceRun.Row> saves = savings(rows, SHOWN);
    List<TraceRun.Row> shown = new ArrayList<>(costs);
    shown.addAll(saves);
    if (!shown.isEmpty()) {
      report.chart(ReportChart.bars("chart-trace-added", "Where McKernel costs time and where it saves it, all "
              + "calls of each system call", shown.stream().map(TraceRun.Row::syscall).toList(), "system call",
              "time McKernel adds (µs; negative: saves)")
          .bars("costs (McKernel slower)", "linux", shown.stream().map(r -> r.addedNs() > 0 ? r.addedNs() / 1e3
              : null).toList())
          .bars("saves (McKernel faster)", "mckernel", shown.stream().map(r -> r.addedNs() < 0 ? r.addedNs() / 1e3
              : null).toList())
          .note(String.format(Locale.ROOT, "The %d calls that cost the most and the %d that save the most; %,d "
              + "calls cost time, %,d save it, %,d neither; every one is in trace-syscalls.csv.", costs.size(),
              saves.size(), rows.stream().filter(r -> r.addedNs() > 0).count(),
              rows.stream().filter(r -> r.addedNs() < 0).count(), rows.stream().filter(r -> r.addedNs() == 0)
                  .count())));
    }
    Map<String, Long> stages = TraceRun.stages(o);
    if (!stages.isEmpty()) {
      List<String> names = List.copyOf(stages.keySet());
      report.chart(ReportChart.bars("chart-trace-stages", "Offload stages, all offloaded calls", names,
              "offload stage", "total time (µs)")
          .bars("offload overhead", "mckernel", names.stream().map(n -> overhead(n) ? stages.get(n) / 1e3
              : null).toList())
          .bars("Linux's own service (not overhead)", "linux", names.stream().map(n -> overhead(n) ? null
              : stages.get(n) / 1e3).toList())
          .note("linuxService is the work Linux does for the call, natively too; it is not counted as offload "
              + "overhead (offload_overhead_ns)."));
    }
  }
}
