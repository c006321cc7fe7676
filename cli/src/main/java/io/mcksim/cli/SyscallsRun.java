package io.mcksim.cli;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.config.ConfigProblem;
import io.mcksim.config.OffloadCosts;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioException;
import io.mcksim.config.WorkloadSettings;
import io.mcksim.machine.HybridModel;
import io.mcksim.machine.LinuxNodes;
import io.mcksim.machine.McKernelNodes;
import io.mcksim.mckernel.Dispatch;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.LatencyLog;
import io.mcksim.workloads.LinuxSyscalls;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The system-call microbenchmark: each listed call made N times in a row by one thread on McKernel
 * CPU 0 of a booted node, and the same program natively on a Linux CPU. Runs to completion (the
 * scenario's end time does not apply).
 */
final class SyscallsRun {

  /** One measured call. */
  record Row(String name, String dispatch, long calls, double mckernelMean, long mckernelMin,
      long mckernelMax, double linuxMean, long stagesNs) {

    double overhead() {
      return mckernelMean - linuxMean;
    }
  }

  record Outcome(List<Row> rows, RunResult mckernel, RunResult linux, String table) {}

  private SyscallsRun() {}

  static Outcome run(Scenario s, String engineName, int threads) {
    WorkloadSettings.Syscalls w = s.workload().syscalls();
    validate(s, w);
    Program program = program(w);
    SyscallTable table = SyscallTable.named(w.table());
    long end = Long.MAX_VALUE / 4;
    HybridModel node = McKernelNodes.of(s, List.of(new HybridModel.Process(program, List.of(0), 0)), table);
    RunResult mck = Engine.named(engineName).run(node, RunSpec.until(end, threads)
        .withWallClock(System::nanoTime));
    HybridModel linux = LinuxNodes.of(s, List.of(new HybridModel.NativeProcess(program, List.of(0))));
    RunResult lin = Engine.named(engineName).run(linux, RunSpec.until(end, threads)
        .withWallClock(System::nanoTime));
    List<Row> rows = new ArrayList<>();
    for (String name : w.names()) {
      LatencyLog m = node.cpu(0).latencies().get(name);
      LatencyLog l = linux.nativeCpu(0).latencies().get(name);
      if (m == null || l == null) {
        throw new IllegalStateException("no " + name + " call finished on " + (m == null ? "McKernel" : "Linux")
            + " within the run's virtual time (" + Units.time(end) + "); seed " + s.run().seed());
      }
      Dispatch d = table.classify(name);
      String where = where(d);
      // a local handler's cost, then every request it or the offload sends Linux (SyscallHandlers)
      SyscallTable.Plan plan = table.plan(new io.mcksim.workloads.Op.Syscall(name, args(name, w)));
      long stages = (plan.local() ? s.syscalls().local(name) : 0)
          + plan.toLinux().stream().mapToLong(r -> offloadStages(s, r)).sum();
      rows.add(new Row(name, where, m.count(), m.mean(), m.min(), m.max(), l.mean(), stages));
    }
    return new Outcome(rows, mck, lin, table.name());
  }

  /** Where McKernel runs a call of dispatch {@code d}, as the reports say it. */
  static String where(Dispatch d) {
    return d == Dispatch.LOCAL ? "local" : d == Dispatch.HYBRID ? "offloaded (hybrid)" : "offloaded";
  }

  /** The stages of an offloaded call, in order, as configured: what it costs when nothing queues. */
  static java.util.LinkedHashMap<String, Long> offloadStageList(Scenario s, String name) {
    OffloadCosts o = s.offload();
    java.util.LinkedHashMap<String, Long> stages = new java.util.LinkedHashMap<>();
    stages.put("marshal", o.marshal());
    stages.put("ikcEnqueue", o.ikcEnqueue());
    stages.put("ikcTrip", s.ikc().latency());
    stages.put("ipi", s.ikc().ipi());
    stages.put("mcctrlDispatch", o.mcctrlDispatch());
    stages.put("proxyWakeup", o.proxyWakeup());
    stages.put("linuxService", s.syscalls().linux(name));
    stages.put("replyWrite", o.replyWrite());
    stages.put("resume", o.resume());
    return stages;
  }

  static long offloadStages(Scenario s, String name) {
    return offloadStageList(s, name).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Rejects unknown syscall names, with the near matches, before anything runs. */
  static void validate(Scenario s, WorkloadSettings.Syscalls w) {
    List<ConfigProblem> problems = new ArrayList<>();
    String origin = ConfigProblem.placeOf(s.config().getValue("workload.syscalls.names").origin());
    for (String name : w.names()) {
      if (!LinuxSyscalls.exists(name)) {
        try {
          LinuxSyscalls.number(name);
        } catch (IllegalArgumentException e) {
          problems.add(new ConfigProblem(origin, "workload.syscalls.names", e.getMessage()));
        }
      }
    }
    if (w.names().isEmpty()) {
      problems.add(new ConfigProblem(origin, "workload.syscalls.names", "name at least one call"));
    }
    if (s.partition().instances().isEmpty() || s.partition().instances().get(0).cpus().size() == 0) {
      problems.add(new ConfigProblem(ConfigProblem.placeOf(s.config().getValue("partition").origin()),
          "partition.instances", "workload.type = syscalls needs an OS instance with CPUs; give "
          + "partition.instances[0].cpus"));
    }
    if (!problems.isEmpty()) {
      throw new ScenarioException(problems);
    }
  }

  private static Program program(WorkloadSettings.Syscalls w) {
    Program.Builder b = Program.named("syscalls");
    for (String name : w.names()) {
      SyscallArgs args = args(name, w);
      b.repeat(w.calls(), r -> r.syscall(name, args));
    }
    return b.exit(0).build();
  }

  /** The arguments each call of the benchmark takes. */
  private static SyscallArgs args(String name, WorkloadSettings.Syscalls w) {
    return switch (name) {
      case "read", "write", "pread64", "pwrite64" -> SyscallArgs.fd(3).size(w.size()).buffer(0x10000);
      case "mmap", "munmap" -> SyscallArgs.region(0, Math.max(4096, w.size()));
      case "openat" -> SyscallArgs.fd(SyscallArgs.AT_FDCWD);
      default -> SyscallArgs.fd(3);
    };
  }

  static String table(Outcome o) {
    String[] head = {"syscall", "on McKernel", "calls", "McKernel mean (ns)", "min (ns)", "max (ns)",
        "stages (ns)", "Linux native (ns)", "overhead (ns)"};
    List<String[]> rows = new ArrayList<>();
    for (Row r : o.rows()) {
      rows.add(new String[] {r.name(), r.dispatch(), Long.toString(r.calls()), fmt(r.mckernelMean()),
          Long.toString(r.mckernelMin()), Long.toString(r.mckernelMax()), Long.toString(r.stagesNs()),
          fmt(r.linuxMean()), fmt(r.overhead())});
    }
    return Table.render(head, rows, 2);
  }

  private static String fmt(double ns) {
    return String.format(Locale.ROOT, "%.1f", ns);
  }

  /** Fills the {@code syscalls} table of a report (kinds syscalls and showcase) and its chart. */
  static void fill(Report report, Outcome o, Scenario s) {
    for (Row r : o.rows()) {
      boolean local = r.dispatch().equals("local");
      List<Object> cells = new ArrayList<>(java.util.Arrays.asList(r.name(), r.dispatch(), r.calls(),
          r.mckernelMean(), r.mckernelMin(), r.mckernelMax(), r.stagesNs(), r.mckernelMean() - r.stagesNs(),
          r.linuxMean(), s.syscalls().linuxEntry(), s.syscalls().linux(r.name()), r.overhead(),
          local ? r.stagesNs() : null));
      java.util.Map<String, Long> stages = offloadStageList(s, r.name());
      for (String stage : ReportKinds.STAGES) {
        cells.add(local ? null : stages.get(stage));
      }
      report.row("syscalls", cells.toArray());
    }
    report.chart(stageChart(o, s));
  }

  /**
   * Each call's latency by stage, stacked: a bar for the call on McKernel (its configured stages, or its
   * local cost) beside one for the call natively on Linux (entry and service; the service is the same
   * Linux work as an offloaded call's linuxService stage).
   */
  static ReportChart stageChart(Outcome o, Scenario s) {
    List<String> cats = new ArrayList<>();
    List<String> parts = new ArrayList<>(List.of("local"));
    parts.addAll(ReportKinds.STAGES);
    parts.add("linuxEntry");
    java.util.Map<String, List<Long>> values = new java.util.LinkedHashMap<>();
    parts.forEach(p -> values.put(p, new ArrayList<>()));
    for (Row r : o.rows()) {
      cats.add(r.name() + " McKernel");
      java.util.Map<String, Long> mine = r.dispatch().equals("local") ? java.util.Map.of("local", r.stagesNs())
          : offloadStageList(s, r.name());
      parts.forEach(p -> values.get(p).add(mine.get(p)));
      cats.add(r.name() + " Linux");
      java.util.Map<String, Long> native_ = java.util.Map.of("linuxEntry", s.syscalls().linuxEntry(),
          "linuxService", s.syscalls().linux(r.name()));
      parts.forEach(p -> values.get(p).add(native_.get(p)));
    }
    ReportChart c = ReportChart.bars("chart-syscall-stages", "System-call latency by stage, McKernel beside native "
        + "Linux", cats, "system call, where it runs", "latency (ns)").stacked().height(400);
    values.forEach((p, v) -> {
      if (v.stream().anyMatch(x -> x != null && x > 0)) {
        c.bars(p.equals("linuxService") ? "linuxService (Linux's own work, not overhead)" : p, null,
            v.stream().map(x -> x == null || x == 0 ? null : x).toList());
      }
    });
    return c.note("Stages as configured (costs.offload, costs.ikc, costs.syscalls); the measured means are in "
        + "the table, whose beyond_stages_ns is the queueing the stages leave out.");
  }

  /** Pre-rendered JSON. */
  record RawJson(String text) {
    @Override
    public String toString() {
      return text;
    }
  }
}
