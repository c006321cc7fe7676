package io.mcksim.cli;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.config.CpuList;
import io.mcksim.config.PartitionSettings;
import io.mcksim.config.Scenario;
import io.mcksim.config.WorkloadSettings;
import io.mcksim.machine.HybridModel;
import io.mcksim.machine.LinuxNodes;
import io.mcksim.machine.McKernelNodes;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.LatencyLog;
import io.mcksim.workloads.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * FWQ, the fixed-work-quantum benchmark, on one node: the Linux cores under their noise profile, the
 * McKernel cores as one process with a thread per core. Each iteration's time is a sample; a core's
 * noise fraction is the share of its time not spent on the quanta.
 */
final class FwqRun {

  private FwqRun() {}

  /** One core's result. */
  /**
   * One core's result: FWQ iteration times in ns, or FTQ unit counts per quantum; {@code quantum} is
   * what a quiet core would show (the work quantum, or the units a quantum holds).
   */
  record Core(String kernel, int cpu, long[] samples, long quantum, boolean ftq) {

    double mean() {
      double sum = 0;
      for (long s : samples) {
        sum += s;
      }
      return samples.length == 0 ? 0 : sum / samples.length;
    }

    long max() {
      long m = 0;
      for (long s : samples) {
        m = Math.max(m, s);
      }
      return m;
    }

    /**
     * FWQ: time not spent on the quanta, over all the time the iterations took. FTQ: units lost,
     * over the units quiet quanta hold.
     */
    double noiseFraction() {
      double total = 0;
      for (long s : samples) {
        total += s;
      }
      if (ftq) {
        double quiet = (double) quantum * samples.length;
        return quiet == 0 ? 0 : (quiet - total) / quiet;
      }
      return total == 0 ? 0 : (total - (double) quantum * samples.length) / total;
    }

    long percentile(double p) {
      Histogram h = new Histogram(5); // 5 significant digits: a 100 us quantum to the nanosecond
      for (long s : samples) {
        h.recordValue(s);
      }
      return h.getValueAtPercentile(p);
    }
  }

  record Outcome(List<Core> cores, RunResult linux, RunResult mckernel) {}

  static Outcome run(Scenario s, String engineName, int threads) {
    boolean ftq = s.workload().type().equals("ftq");
    WorkloadSettings.Fwq fw = s.workload().fwq();
    WorkloadSettings.Ftq ft = s.workload().ftq();
    Program program = ftq
        ? Program.named("ftq").ftq(ft.quantumNs(), ft.quanta(), ft.unitNs()).exit(0).build()
        : Program.named("fwq").repeat(fw.iterations(), b -> b.compute(fw.quantumNs())).exit(0).build();
    String noise = ftq ? ft.noise() : fw.noise();
    // for FTQ a core's "quantum" is the units a quiet quantum holds, and samples are unit counts
    long quantum = ftq ? ft.quantumNs() / ft.unitNs() : fw.quantumNs();
    // every instance's CPUs are McKernel cores, the rest Linux cores
    List<PartitionSettings.Instance> instances = s.partition().instances();
    CpuList mck = CpuList.EMPTY;
    for (PartitionSettings.Instance inst : instances) {
      mck = mck.union(inst.cpus());
    }
    CpuList linuxCpus = s.machine().allCpus().minus(mck);
    long end = Long.MAX_VALUE / 4;

    List<HybridModel.NativeProcess> perLinuxCpu = new ArrayList<>();
    for (int i = 0; i < linuxCpus.size(); i++) {
      perLinuxCpu.add(new HybridModel.NativeProcess(program, List.of(linuxCpus.get(i))));
    }
    HybridModel linux = LinuxNodes.of(s, perLinuxCpu)
        .withLinuxNoise(io.mcksim.linux.noise.NoiseProfile.of(s.noise(), noise, s.run().seed()));
    RunResult lin = Engine.named(engineName).run(linux, RunSpec.until(end, threads)
        .withWallClock(System::nanoTime));
    List<Core> cores = new ArrayList<>();
    for (int i = 0; i < linuxCpus.size(); i++) {
      LatencyLog log = ftq ? linux.nativeCpu(i).ftqCounts() : linux.nativeCpu(i).computeTimes();
      cores.add(new Core("linux", linuxCpus.get(i), log.samples(), quantum, ftq));
    }

    RunResult mckResult = null;
    if (!mck.isEmpty()) {
      // one process per instance, a thread on each of its McKernel CPUs
      List<HybridModel.Process> processes = new ArrayList<>();
      for (int k = 0; k < instances.size(); k++) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < instances.get(k).cpus().size(); i++) {
          indices.add(i);
        }
        processes.add(new HybridModel.Process(program, indices, 0).onInstance(k));
      }
      HybridModel node = McKernelNodes.of(s, processes, SyscallTable.defaultTable());
      mckResult = Engine.named(engineName).run(node, RunSpec.until(end, threads)
          .withWallClock(System::nanoTime));
      for (int k = 0; k < instances.size(); k++) {
        CpuList cpus = instances.get(k).cpus();
        for (int i = 0; i < cpus.size(); i++) {
          LatencyLog log = ftq ? node.cpu(k, i).ftqCounts() : node.cpu(k, i).computeTimes();
          cores.add(new Core("mckernel", cpus.get(i), log.samples(), quantum, ftq));
        }
      }
    }
    return new Outcome(cores, lin, mckResult);
  }

  static String table(Outcome o) {
    boolean ftq = !o.cores().isEmpty() && o.cores().get(0).ftq();
    String u = ftq ? "units" : "ns";
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "  %-9s %5s %10s %14s %12s %12s %12s %14s%n", "kernel", "cpu",
        ftq ? "quanta" : "iterations", "mean (" + u + ")", "p99 (" + u + ")", "p99.9 (" + u + ")",
        "max (" + u + ")", "noise (%)"));
    for (Core c : o.cores()) {
      sb.append(String.format(Locale.ROOT, "  %-9s %5d %10d %14.1f %12d %12d %12d %14.4f%n", c.kernel(),
          c.cpu(), c.samples().length, c.mean(), c.percentile(99), c.percentile(99.9), c.max(),
          100 * c.noiseFraction()));
    }
    return sb.toString();
  }

  /** Iterations of each core drawn in the chart of iteration times; the samples table has them all. */
  static final int CHART_ITERATIONS = 2_000;
  /** Bins of the noise histogram; the last holds everything beyond. */
  static final int NOISE_BINS = 60;

  /** The noise of one sample: FWQ's time beyond the quantum, FTQ's work short of it. */
  static long noise(Core c, long sample) {
    return Math.max(0, c.ftq() ? c.quantum() - sample : sample - c.quantum());
  }

  /** The width of a bin of the noise histogram: 1, 2 or 5 times a power of ten, the worst noise in the last bin. */
  static long binWidth(List<Core> cores) {
    long worst = 0;
    for (Core c : cores) {
      for (long x : c.samples()) {
        worst = Math.max(worst, noise(c, x));
      }
    }
    long need = Math.max(1, (worst + NOISE_BINS - 1) / NOISE_BINS);
    for (long p = 1; ; p *= 10) {
      for (long m : new long[] {1, 2, 5}) {
        if (m * p >= need) {
          return m * p;
        }
      }
    }
  }

  /** Samples by their noise: [0] Linux cores, [1] McKernel cores. */
  static long[][] histogram(List<Core> cores, long bin) {
    long[][] h = new long[2][NOISE_BINS];
    for (Core c : cores) {
      int k = c.kernel().equals("linux") ? 0 : 1;
      for (long x : c.samples()) {
        h[k][(int) Math.min(NOISE_BINS - 1, noise(c, x) / bin)]++;
      }
    }
    return h;
  }

  /**
   * Fills a report of kind fwq or ftq (the tables named after {@code prefix}): the summary, every core,
   * every sample, the noise histogram, and their charts.
   */
  static void fill(Report r, Outcome o, String prefix, boolean ftq, long quantumNs, String noiseProfile) {
    String unit = ftq ? "units" : "ns";
    long ideal = o.cores().isEmpty() ? 0 : o.cores().get(0).quantum();
    r.put("quantum_ns", quantumNs).put("ideal_" + unit, ideal).put("noise_profile", noiseProfile);
    for (Core c : o.cores()) {
      r.row(prefix + "_summary", c.kernel(), c.cpu(), c.samples().length, c.mean(), c.percentile(50),
          c.percentile(99), c.percentile(99.9), c.max(), c.noiseFraction());
    }
    for (Core c : o.cores()) {
      long[] x = c.samples();
      for (int i = 0; i < x.length; i++) {
        r.row(prefix + "_samples", c.kernel(), c.cpu(), i, x[i]);
      }
    }
    long bin = binWidth(o.cores());
    long[][] h = histogram(o.cores(), bin);
    for (int b = 0; b < NOISE_BINS; b++) {
      r.row(prefix + "_noise_histogram", b * bin, b == NOISE_BINS - 1 ? null : (b + 1) * bin, h[0][b], h[1][b]);
    }
    double scale = ftq ? 1 : 1e3;
    String axis = ftq ? "units of work per quantum" : "iteration time (µs)";
    ReportChart times = ReportChart.lines("chart-" + prefix + "-iterations", (ftq ? "FTQ: work done in each quantum"
        : "FWQ: time of each iteration") + ", the noisiest core of each kernel", "iteration",
        axis + ", axis not from 0").yFromData();
    int n = 0;
    for (String kernel : List.of("linux", "mckernel")) {
      Core worst = o.cores().stream().filter(c -> c.kernel().equals(kernel))
          .max(java.util.Comparator.comparingDouble(Core::noiseFraction)).orElse(null);
      if (worst != null) {
        int len = Math.min(worst.samples().length, CHART_ITERATIONS);
        n = Math.max(n, len);
        List<Integer> xs = java.util.stream.IntStream.range(0, len).boxed().toList();
        long[] x = worst.samples();
        times.series((kernel.equals("linux") ? "Linux" : "McKernel") + " CPU " + worst.cpu(), kernel, xs,
            xs.stream().map(i -> x[i] / scale).toList());
      }
    }
    times.series(ftq ? "ideal (no noise)" : "ideal: the quantum", "ideal", List.of(0, Math.max(1, n - 1)),
        List.of(ideal / scale, ideal / scale));
    r.chart(times.note("The first " + String.format(Locale.ROOT, "%,d", CHART_ITERATIONS) + " iterations of the core "
        + "with the highest noise fraction of each kernel; every sample of every core is in " + prefix
        + "-samples.csv."));
    List<String> bins = new ArrayList<>();
    for (int b = 0; b < NOISE_BINS; b++) {
      bins.add((b == NOISE_BINS - 1 ? "≥" : "") + Units.plain(b * bin / scale));
    }
    r.chart(ReportChart.bars("chart-" + prefix + "-noise", (ftq ? "FTQ" : "FWQ") + ": samples by the noise in them "
            + "(bins of " + Units.plain(bin / scale) + (ftq ? " units" : " µs") + ")", bins,
            ftq ? "work lost to noise in a quantum (units; a bin's lower bound)"
                : "noise in one iteration (µs; a bin's lower bound)", "samples (count, log scale)")
        .logY()
        .bars("Linux cores", "linux", java.util.Arrays.stream(h[0]).boxed().map(v -> v == 0 ? null : v).toList())
        .bars("McKernel cores", "mckernel", java.util.Arrays.stream(h[1]).boxed().map(v -> v == 0 ? null : v).toList())
        .note("Every non-empty bin is drawn, however few its samples; the last bin holds everything beyond."));
  }
}
