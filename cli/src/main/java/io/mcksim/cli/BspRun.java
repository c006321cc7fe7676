package io.mcksim.cli;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.config.Scenario;
import io.mcksim.machine.bsp.BspApplication;
import io.mcksim.machine.bsp.BspOutcome;
import io.mcksim.machine.bsp.BspPlan;
import io.mcksim.machine.bsp.BspSetup;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code workload.type = bsp}: one BSP run over the whole machine, and what it shows. */
final class BspRun {

  private BspRun() {}

  /**
   * One run's figures.
   *
   * @param heapBytes heap in use at the end of the run, while every CPU's actor still lived, after a
   *                  full collection (0 when not measured)
   */
  record Measured(Scenario scenario, BspPlan plan, BspOutcome outcome, long idealNs,
      RunResult result, long heapBytes) {

    double slowdown() {
      return (double) outcome.runtimeNs() / idealNs;
    }

    long cpus() {
      return (long) plan.nodes() * plan.threadsPerNode();
    }
  }

  /**
   * Runs the scenario's BSP application until every iteration is done.
   *
   * @param measureHeap whether to measure the heap at the end (a full collection: slow on a big heap,
   *                    so only for single runs)
   */
  static Measured run(Scenario s, String engineName, int threads, ProgressLine progress,
      boolean measureHeap) {
    return run(s, Engine.named(engineName), threads, progress, measureHeap);
  }

  /** The same on a given engine (one spread over worker JVMs, say). */
  static Measured run(Scenario s, Engine engine, int threads, ProgressLine progress, boolean measureHeap) {
    BspApplication machine = BspSetup.application(s);
    long ideal = machine.idealNs();
    if (progress != null) {
      // the run takes about its ideal, plus noise, from when the application starts (after its launch)
      progress.expect(machine.expectedStartNs() + ideal);
    }
    long[] heap = new long[1];
    // No end time: the run ends when the last rank leaves its last iteration.
    RunSpec spec = RunSpec.until(Long.MAX_VALUE / 2, threads)
        .withWallClock(System::nanoTime)
        .withProgress(ProgressLine.orNone(progress))
        .withAtEnd(() -> heap[0] = measureHeap ? PholdRun.usedHeap(1) : 0);
    RunResult r = engine.run(machine, spec);
    BspOutcome o = machine.outcome();
    if (o.unfinished() > 0) {
      throw new IllegalStateException(o.unfinished() + " threads did not finish every iteration; seed "
          + s.run().seed());
    }
    return new Measured(s, machine.plan(), o, ideal, r, heap[0]);
  }


  static String describe(BspPlan p) {
    return String.format(Locale.ROOT, "%,d node%s x %d rank%s x %d thread%s (%,d CPUs) on %s, %s, %d iterations",
        p.nodes(), p.nodes() == 1 ? "" : "s", p.ranksPerNode(), p.ranksPerNode() == 1 ? "" : "s",
        p.threadsPerRank(), p.threadsPerRank() == 1 ? "" : "s", (long) p.nodes() * p.threadsPerNode(),
        osName(p.os()), p.collective().key(), p.iterations());
  }

  /** The OS model as people write it. */
  static String osName(String os) {
    return switch (os) {
      case "linux" -> "Linux";
      case "mckernel" -> "McKernel";
      case "mos" -> "mOS";
      case "hobbes" -> "Hobbes";
      case "argo" -> "Argo";
      case "l4linux" -> "L4Linux";
      default -> os;
    };
  }

  static String table(Measured m) {
    RunResult r = m.result();
    long[] it = m.outcome().iterationNs();
    long min = Long.MAX_VALUE;
    long max = 0;
    long sum = 0;
    for (long t : it) {
      min = Math.min(min, t);
      max = Math.max(max, t);
      sum += t;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"runtime", Units.time(m.outcome().runtimeNs())});
    rows.add(new String[] {"noiseless ideal", Units.time(m.idealNs())});
    rows.add(new String[] {"slowdown", String.format(Locale.ROOT, "%.4f", m.slowdown())});
    rows.add(new String[] {"iteration min / mean / max", Units.time(min) + " / "
        + Units.time(sum / it.length) + " / " + Units.time(max)});
    rows.add(new String[] {"noise on application CPUs", Units.time(m.outcome().stolenNs()) + " in all"});
    if (m.outcome().failedCalls() > 0) {
      rows.add(new String[] {"failed calls (ENOSYS)", String.format(Locale.ROOT, "%,d of %,d",
          m.outcome().failedCalls(), m.outcome().calls())});
    }
    if (m.outcome().offloads() > 0) {
      rows.add(new String[] {"offloaded calls", String.format(Locale.ROOT, "%,d (Linux CPUs busy %s)",
          m.outcome().offloads(), Units.time(m.outcome().linuxBusyNs()))});
    }
    rows.add(new String[] {"events", String.format(Locale.ROOT, "%,d", r.events())});
    rows.add(new String[] {"engine", r.engine() + ", " + r.threads() + " thread" + (r.threads() == 1 ? "" : "s")
        + (r.windows() > 0 ? String.format(Locale.ROOT, ", %,d sequencers, %,d windows, %,d batches", r.sequencers(),
            r.windows(), r.subWindows()) : "")});
    rows.add(new String[] {"wall time", String.format(Locale.ROOT, "%.3f s", r.wallSeconds())});
    rows.add(new String[] {"events per second", String.format(Locale.ROOT, "%,.0f", r.eventsPerSecond())});
    if (r.jvmMessages() > 0) {
      rows.add(new String[] {"messages between JVMs", jvmMessages(r)});
    }
    if (m.heapBytes() > 0) {
      rows.add(new String[] {"heap at end", String.format(Locale.ROOT, "%,d MB (%,d B per simulated CPU)",
          m.heapBytes() >> 20, m.heapBytes() / m.cpus())});
    }
    rows.add(new String[] {"seed", Long.toString(r.seed())});
    rows.add(new String[] {"event-log digest", r.digest()});
    StringBuilder sb = new StringBuilder();
    int w = rows.stream().mapToInt(row -> row[0].length()).max().orElse(0);
    for (String[] row : rows) {
      sb.append(String.format(Locale.ROOT, "  %-" + w + "s  %s%n", row[0], row[1]));
    }
    return sb.toString();
  }

  /** Fills a report of kind bsp: the run's figures, every iteration, and the chart of iteration times. */
  static void fill(Report r, Measured m) {
    r.run("bsp", m.result());
    r.put("os", m.plan().os()).put("nodes", m.plan().nodes()).put("ranks_per_node", m.plan().ranksPerNode())
        .put("threads_per_rank", m.plan().threadsPerRank()).put("cpus", m.cpus())
        .put("collective", m.plan().collective().key()).put("iterations", m.plan().iterations())
        .put("runtime_ns", m.outcome().runtimeNs()).put("ideal_ns", m.idealNs()).put("slowdown", m.slowdown())
        .put("noise_stolen_ns", m.outcome().stolenNs()).put("offloads", m.outcome().offloads())
        .put("calls", m.outcome().calls()).put("failed_calls", m.outcome().failedCalls())
        .put("jvm_messages", m.result().jvmMessages()).put("heap_bytes", Math.max(0, m.heapBytes()));
    long[] it = m.outcome().iterationNs();
    long[] end = m.outcome().iterationEndNs();
    List<Integer> xs = new java.util.ArrayList<>();
    List<Double> ys = new java.util.ArrayList<>();
    for (int i = 0; i < it.length; i++) {
      r.row("bsp_iterations", i, it[i], end[i] - m.outcome().startNs());
      xs.add(i);
      ys.add(it[i] / 1e3);
    }
    double ideal = it.length == 0 ? 0 : m.idealNs() / 1e3 / it.length;
    r.chart(ReportChart.lines("chart-bsp-iterations", "Time of each BSP iteration, " + osName(m.plan().os()) + " on "
            + m.plan().nodes() + " node" + (m.plan().nodes() == 1 ? "" : "s"), "iteration", "iteration time (µs)")
        .series(osName(m.plan().os()), m.plan().os().equals("linux") ? "linux" : "mckernel", xs, ys)
        .series("noiseless ideal (the run's ideal over its iterations)", "ideal",
            List.of(0, Math.max(1, it.length - 1)), List.of(ideal, ideal)));
  }

  /** Messages between JVMs, in all and per window. */
  static String jvmMessages(RunResult r) {
    return String.format(Locale.ROOT, "%,d (%,.1f per window, %,d windows)", r.jvmMessages(),
        (double) r.jvmMessages() / Math.max(1, r.windows()), r.windows());
  }
}
