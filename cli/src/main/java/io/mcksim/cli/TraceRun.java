package io.mcksim.cli;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.config.Scenario;
import io.mcksim.linux.noise.NoiseProfile;
import io.mcksim.machine.HybridModel;
import io.mcksim.machine.LinuxNodes;
import io.mcksim.machine.McKernelNodes;
import io.mcksim.mckernel.Dispatch;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.strace.StraceParser;
import io.mcksim.workloads.strace.TracePrograms;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code mcksim trace}: a recorded program replayed under McKernel (its process tree under mcexec,
 * every call local or offloaded as the syscall table says) and under Linux (each thread natively on a
 * Linux CPU from when its creator, replayed natively, created it), with what each call costs in each.
 */
final class TraceRun {

  private TraceRun() {}

  /**
   * One model's replay: how long it ran (from the first thread's start until the last thread ended),
   * and per syscall its count and total latency.
   */
  record Replay(String model, long runtimeNs, Map<String, long[]> totals, RunResult result) {
    long totalNs(String syscall) {
      long[] t = totals.get(syscall);
      return t == null ? 0 : t[1];
    }
  }

  record Outcome(Scenario scenario, TracePrograms.Result programs, Replay mckernel, Replay linux) {}

  /**
   * The trace's programs, read as a stream; on their own, threads start when their creator, its calls
   * native, reaches the creating call.
   */
  static TracePrograms.Result read(Scenario s, List<StraceParser.Source> sources) {
    try {
      return TracePrograms.read(sources, name -> s.syscalls().linuxEntry() + s.syscalls().linux(name));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the trace: " + e.getMessage(), e);
    }
  }

  static Outcome run(Scenario s, TracePrograms.Result p, String os, String engine, int threads) {
    Replay mck = os.equals("linux") ? null : mckernel(s, p.root(), engine, threads);
    Replay lin = os.equals("mckernel") ? null : linux(s, p, engine, threads);
    return new Outcome(s, p, mck, lin);
  }

  static Replay mckernel(Scenario s, Program root, String engine, int threads) {
    SyscallTable table = SyscallTable.named(s.workload().syscalls().table());
    HybridModel node = McKernelNodes.of(s, List.of(new HybridModel.Process(root, List.of(0), 0)), table)
        .withLinuxNoise(NoiseProfile.of(s.noise(), s.os().linuxNoise(), s.run().seed()));
    RunResult r = Engine.named(engine).run(node, RunSpec.until(Long.MAX_VALUE / 4, threads)
        .withWallClock(System::nanoTime));
    // threads and forked children spread over the instance's CPUs
    int cpus = s.partition().instances().get(0).cpus().size();
    long start = node.cpu(0).threads().get(0).startTime();
    long end = start;
    Map<String, long[]> totals = new TreeMap<>();
    for (int i = 0; i < cpus; i++) {
      List<McKernelCpu.McThread> all = new ArrayList<>(node.cpu(i).threads());
      all.addAll(node.cpu(i).spawned());
      for (McKernelCpu.McThread t : all) {
        end = Math.max(end, t.exitTime());
      }
      node.cpu(i).latencies().forEach((k, v) -> {
        long[] t = totals.computeIfAbsent(k, x -> new long[2]);
        t[0] += v.count();
        t[1] += v.sum();
      });
    }
    return new Replay("mckernel", end - start, totals, r);
  }

  static Replay linux(Scenario s, TracePrograms.Result p, String engine, int engineThreads) {
    int cpus = s.machine().allCpus().size();
    if (p.threadCount() > cpus) {
      throw new IllegalArgumentException("the trace has " + p.threadCount() + " threads, but a node has "
          + cpus + " CPUs and the Linux replay runs each thread on its own; give machine.cpus at least "
          + p.threadCount() + " (and machine.numa CPU lists to match), or replay with --os mckernel");
    }
    List<Program> threads = p.threads();
    List<HybridModel.NativeProcess> natives = new ArrayList<>();
    for (int i = 0; i < threads.size(); i++) {
      natives.add(new HybridModel.NativeProcess(threads.get(i), List.of(i)));
    }
    HybridModel node = LinuxNodes.of(s, natives)
        .withLinuxNoise(NoiseProfile.of(s.noise(), s.os().linuxNoise(), s.run().seed()));
    RunResult r = Engine.named(engine).run(node, RunSpec.until(Long.MAX_VALUE / 4, engineThreads)
        .withWallClock(System::nanoTime));
    long end = 0;
    Map<String, long[]> merged = new TreeMap<>();
    for (int i = 0; i < threads.size(); i++) {
      end = Math.max(end, node.nativeCpu(i).exitTime());
      node.nativeCpu(i).latencies().forEach((k, v) -> {
        long[] t = merged.computeIfAbsent(k, x -> new long[2]);
        t[0] += v.count();
        t[1] += v.sum();
      });
    }
    return new Replay("linux", end, merged, r);
  }

  /** One row per syscall: its count, where McKernel runs it, and its total time under each model. */
  record Row(String syscall, long count, String where, long mckernelNs, long linuxNs) {
    long addedNs() {
      return mckernelNs - linuxNs;
    }
  }

  static List<Row> rows(Outcome o) {
    SyscallTable table = SyscallTable.named(o.scenario().workload().syscalls().table());
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Long> e : o.programs().counts().entrySet()) {
      String name = e.getKey();
      String where = o.programs().unknown().containsKey(name) ? "unknown (replayed as its recorded time)"
          : SyscallsRun.where(table.classify(name));
      rows.add(new Row(name, e.getValue(), where, o.mckernel() == null ? 0 : o.mckernel().totalNs(name),
          o.linux() == null ? 0 : o.linux().totalNs(name)));
    }
    rows.sort((a, b) -> Long.compare(b.addedNs(), a.addedNs()));
    return rows;
  }

  /** Per offload stage, its configured cost times the offloaded calls that pay it. */
  static Map<String, Long> stages(Outcome o) {
    SyscallTable table = SyscallTable.named(o.scenario().workload().syscalls().table());
    Map<String, Long> out = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : o.programs().counts().entrySet()) {
      String name = e.getKey();
      if (o.programs().unknown().containsKey(name) || table.classify(name) == Dispatch.LOCAL
          || name.equals("exit") || name.equals("exit_group")) {
        continue;
      }
      SyscallsRun.offloadStageList(o.scenario(), name).forEach((stage, ns) ->
          out.merge(stage, ns * e.getValue(), Long::sum));
    }
    return out;
  }
}
