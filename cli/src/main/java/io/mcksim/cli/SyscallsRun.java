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

  static String csv(Outcome o, Scenario s) {
    List<String> stageNames = List.copyOf(offloadStageList(s, "getpid").keySet());
    List<String> head = new java.util.ArrayList<>(List.of("syscall", "on_mckernel", "calls", "mckernel_mean_ns",
        "mckernel_min_ns", "mckernel_max_ns", "stages_ns", "linux_native_mean_ns", "overhead_ns", "local_ns"));
    stageNames.forEach(stage -> head.add("stage_" + stage + "_ns"));
    Csv csv = new Csv(head.toArray(String[]::new));
    for (Row r : o.rows()) {
      boolean local = r.dispatch().equals("local");
      List<Object> cells = new java.util.ArrayList<>(List.of(r.name(), r.dispatch(), r.calls(),
          fmt(r.mckernelMean()), r.mckernelMin(), r.mckernelMax(), r.stagesNs(), fmt(r.linuxMean()),
          fmt(r.overhead()), local ? Long.toString(r.stagesNs()) : ""));
      java.util.Map<String, Long> stages = offloadStageList(s, r.name());
      for (String stage : stageNames) {
        cells.add(local ? "" : Long.toString(stages.get(stage)));
      }
      csv.row(cells.toArray());
    }
    return csv.text();
  }

  static String json(Outcome o, Scenario s) {
    StringBuilder rows = new StringBuilder("[");
    for (Row r : o.rows()) {
      if (rows.length() > 1) {
        rows.append(", ");
      }
      Json stages = new Json();
      if (r.dispatch().equals("local")) {
        stages.put("local", r.stagesNs());
      } else {
        offloadStageList(s, r.name()).forEach(stages::put);
      }
      rows.append(new Json().put("syscall", r.name()).put("onMcKernel", r.dispatch())
          .put("calls", r.calls()).put("mckernelMeanNs", r.mckernelMean())
          .put("mckernelMinNs", r.mckernelMin()).put("mckernelMaxNs", r.mckernelMax())
          .put("configuredStagesNs", r.stagesNs()).put("stagesNs", stages)
          .put("beyondStagesMeanNs", r.mckernelMean() - r.stagesNs())
          .put("linuxNativeMeanNs", r.linuxMean()).put("overheadNs", r.overhead()));
    }
    rows.append(']');
    return new Json().put("workload", "syscalls").put("table", o.table()).put("seed", s.run().seed())
        .put("mckernelDigest", o.mckernel().digest()).put("linuxDigest", o.linux().digest())
        .put("rows", new RawJson(rows.toString())).toString() + "\n";
  }

  /** Pre-rendered JSON. */
  record RawJson(String text) {
    @Override
    public String toString() {
      return text;
    }
  }
}
