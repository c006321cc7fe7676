package io.mcksim.cli;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.config.Scenario;
import io.mcksim.linux.LinuxCpu;
import io.mcksim.linux.noise.NoiseProfile;
import io.mcksim.machine.HybridModel;
import io.mcksim.machine.LinuxNodes;
import io.mcksim.machine.ProgramNodes;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.LatencyLog;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.ProgramReader;
import io.mcksim.workloads.Signals;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Programs written in the scenario ({@code workload.programs}) run until every one has exited. Under
 * {@code os.model = mckernel} they run under mcexec on every McKernel node of the machine
 * ({@link ProgramNodes}; the report is node 0's), each on the OS instance its {@code instance} key names
 * (0 without it): the programs of one instance, in their order, on its McKernel CPUs 0, 1, 2, ...; under {@code os.model = linux}, natively on Linux CPU {@code i} with the
 * noise profile {@code os.linux-noise}, every syscall in Linux and memory demand-paged. Reports how
 * each ended, its runtime, its proxy's work (offloaded calls, queueing, remote page faults, /proc and
 * /sys view reads; none under Linux), page faults, and per syscall where it ran and its latencies.
 */
final class ProgramsRun {

  /** One program's end and its proxy's figures; {@code instance} is -1 under Linux. */
  record Proc(String name, int pid, int instance, int cpu, int exitStatus, int exitSignal, long startNs,
      long exitNs, long offloaded, long queued, long remoteFaults, long viewReads, long viewBytes, long pageFaults,
      long[] counters) {

    long runtimeNs() {
      return exitNs < 0 ? -1 : exitNs - startNs;
    }

    /** How it ended in words: exit N, or the signal and the status a shell shows (SIGSEGV (139)). */
    String ended() {
      return exitSignal != 0 ? Signals.name(exitSignal) + " (" + Signals.shellStatus(exitSignal) + ")"
          : exitStatus >= 0 ? "exit " + exitStatus : "running";
    }

    /** The exit status a shell shows: the program's own, or 128 + the signal that ended it; -1 while it runs. */
    int shellStatus() {
      return exitSignal != 0 ? Signals.shellStatus(exitSignal) : exitStatus;
    }
  }

  /** One syscall of one program; {@code dispatch} says where it ran: local, offloaded, native. */
  record Call(String program, String syscall, String dispatch, LatencyLog log) {}

  /** @param table McKernel's syscall table, or "linux" when every call ran natively */
  record Outcome(String model, List<Proc> procs, List<Call> calls, RunResult result, String table,
      List<String> kmsg) {}

  private ProgramsRun() {}

  /** The programs, read and checked (every problem at once, with file and line) before anything runs. */
  static List<Program> programs(Scenario s) {
    return listed(s).stream().map(ProgramReader.Listed::program).toList();
  }

  /** The programs with the instance each runs on, read and checked like {@link #programs}. */
  static List<ProgramReader.Listed> listed(Scenario s) {
    return ProgramNodes.listed(s);
  }

  static boolean linux(Scenario s) {
    return ProgramNodes.linux(s);
  }

  /** Runs the programs on {@code engine} (the cluster engine only under McKernel, see {@link #model}). */
  static Outcome run(Scenario s, Engine engine, int threads) {
    return linux(s) ? runOnLinux(s, engine, threads) : runOnMcKernel(s, engine, threads);
  }

  /**
   * The McKernel machine that runs the scenario's programs, every node alike (each program on its
   * instance, the programs of one instance on its McKernel CPUs in order): the model a run builds in
   * one JVM and every worker JVM builds for its nodes.
   */
  static ProgramNodes model(Scenario s) {
    return ProgramNodes.of(s, ProgramNodes.processes(s), SyscallTable.named(s.workload().syscalls().table()));
  }

  private static Outcome runOnLinux(Scenario s, Engine engine, int threads) {
    List<Program> programs = programs(s);
    List<HybridModel.NativeProcess> natives = new ArrayList<>();
    for (int i = 0; i < programs.size(); i++) {
      natives.add(new HybridModel.NativeProcess(programs.get(i), List.of(i)));
    }
    HybridModel node = LinuxNodes.of(s, natives)
        .withLinuxNoise(NoiseProfile.of(s.noise(), s.os().linuxNoise(), s.run().seed()));
    RunResult r = engine.run(node, RunSpec.until(Long.MAX_VALUE / 4, threads).withWallClock(System::nanoTime));
    List<Proc> procs = new ArrayList<>();
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < programs.size(); i++) {
      LinuxCpu cpu = node.nativeCpu(i);
      procs.add(new Proc(programs.get(i).name(), node.nativePid(i), -1, i, cpu.exitStatus(), 0, 0,
          cpu.exitTime(), 0, 0, 0, cpu.viewReads(), cpu.viewBytes(), cpu.pageFaults(), null));
      for (Map.Entry<String, LatencyLog> e : new TreeMap<>(cpu.latencies()).entrySet()) {
        calls.add(new Call(programs.get(i).name(), e.getKey(), "native", e.getValue()));
      }
    }
    return new Outcome("linux", procs, calls, r, "linux", List.of());
  }

  private static Outcome runOnMcKernel(Scenario s, Engine engine, int threads) {
    ProgramNodes nodes = model(s);
    SyscallTable table = SyscallTable.named(s.workload().syscalls().table());
    RunResult r = engine.run(nodes, RunSpec.until(Long.MAX_VALUE / 4, threads).withWallClock(System::nanoTime));
    List<Program> programs = programs(s);
    List<Proc> procs = new ArrayList<>();
    List<Call> calls = new ArrayList<>();
    List<ProgramNodes.Process> figures = nodes.figures().processes();
    for (int i = 0; i < figures.size(); i++) {
      ProgramNodes.Process p = figures.get(i);
      String name = programs.get(i).name();
      procs.add(new Proc(name, p.pid(), p.instance(), p.cpu(), p.exitStatus(), p.exitSignal(), p.startNs(),
          p.exitNs(), p.offloaded(), p.queued(), p.remoteFaults(), p.viewReads(), p.viewBytes(), p.pageFaults(),
          p.counters()));
      for (Map.Entry<String, LatencyLog> e : p.calls().entrySet()) {
        calls.add(new Call(name, e.getKey(), SyscallsRun.where(table.classify(e.getKey())), e.getValue()));
      }
    }
    return new Outcome("mckernel", procs, calls, r, table.name(), nodes.figures().kmsg());
  }

  static String table(Outcome o) {
    StringBuilder sb = new StringBuilder();
    sb.append(Table.render(new String[] {"program", "pid", "instance", "cpu", "ended", "runtime", "page faults",
        "offloaded", "queued", "remote faults", "/proc,/sys reads", "bytes"}, o.procs().stream().map(p ->
            new String[] {p.name(), Integer.toString(p.pid()),
            p.instance() < 0 ? "-" : Integer.toString(p.instance()), Integer.toString(p.cpu()), p.ended(),
            p.runtimeNs() < 0 ? "-" : Units.time(p.runtimeNs()), Long.toString(p.pageFaults()),
            Long.toString(p.offloaded()), Long.toString(p.queued()), Long.toString(p.remoteFaults()),
            Long.toString(p.viewReads()), Long.toString(p.viewBytes())}).toList(), 2));
    sb.append('\n');
    sb.append(Table.render(new String[] {"program", "syscall", "where", "calls", "mean (ns)", "min (ns)",
        "max (ns)"}, o.calls().stream().map(c -> new String[] {c.program(), c.syscall(), c.dispatch(),
            Long.toString(c.log().count()), String.format(Locale.ROOT, "%.1f", c.log().mean()),
            Long.toString(c.log().min()), Long.toString(c.log().max())}).toList(), 3));
    if (!o.kmsg().isEmpty()) {
      sb.append("\nMcKernel's kernel log (node 0):\n");
      o.kmsg().forEach(l -> sb.append("  ").append(l).append('\n'));
    }
    return sb.toString();
  }

  /** Fills a report of kind programs: every program, its calls, its CPU's counters, the kernel log, a chart. */
  static void fill(Report r, Outcome o) {
    r.run("programs", o.result());
    r.put("model", o.model()).put("table", o.table());
    for (Proc p : o.procs()) {
      r.row("programs", p.name(), p.pid(), p.instance() < 0 ? null : p.instance(), p.cpu(), p.exitStatus(),
          p.exitSignal(), p.shellStatus(), p.startNs(), p.exitNs(), p.runtimeNs(), p.offloaded(), p.queued(),
          p.remoteFaults(), p.viewReads(), p.viewBytes(), p.pageFaults());
      if (p.counters() != null) {
        for (int i = 0; i < p.counters().length; i++) {
          r.row("performance_counters", p.name(), McKernelCpu.PMC_EVENTS.get(i), p.counters()[i]);
        }
      }
    }
    for (Call c : o.calls()) {
      r.row("program_syscalls", c.program(), c.syscall(), c.dispatch(), c.log().count(), c.log().mean(),
          c.log().min(), c.log().max());
    }
    for (int i = 0; i < o.kmsg().size(); i++) {
      r.row("kmsg", i + 1, o.kmsg().get(i));
    }
    List<String> names = o.procs().stream().map(Proc::name).toList();
    r.chart(ReportChart.bars("chart-programs-runtime", "Each program's runtime, from its launch to its exit", names,
            "program", "runtime (µs)")
        .bars("runtime", o.model().equals("linux") ? "linux" : "mckernel", o.procs().stream()
            .map(p -> p.runtimeNs() < 0 ? null : p.runtimeNs() / 1e3).toList())
        .note("A program that did not end has no bar; programs.csv has every figure."));
  }
}
