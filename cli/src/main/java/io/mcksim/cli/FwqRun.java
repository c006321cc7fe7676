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
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * FWQ, the fixed-work-quantum benchmark, on one node: the Linux cores under their noise profile, the
 * McKernel cores as one process with a thread per core. Each iteration's time is a sample; a core's
 * noise fraction is the share of its time not spent on the quanta.
 *
 * <p>Samples flow, as the cores log them (a run of equal ones at once), into a histogram per core and,
 * when asked, into the raw-sample file ({@code fwq-raw-samples.csv}, written as they come); a core keeps
 * only its first {@link #KEPT_SAMPLES} in memory (the report's samples table and charts, written from
 * them as the report is), so memory does not grow with the iterations.
 */
final class FwqRun {

  private FwqRun() {}

  /** Samples each core keeps in memory, the first ones: the report draws them. */
  static final int KEPT_SAMPLES = 10_000;

  /** Significant digits of the per-core histograms (a 100 us quantum to within 10 ns). */
  private static final int HISTOGRAM_DIGITS = 4;

  /**
   * One core's result: FWQ iteration times in ns, or FTQ unit counts per quantum; {@code quantum} is
   * what a quiet core would show (the work quantum, or the units a quantum holds). {@code log} has the
   * exact count, sum and extremes and the first samples, {@code histogram} every sample.
   */
  record Core(String kernel, int cpu, LatencyLog log, AbstractHistogram histogram, long quantum, boolean ftq) {

    /** Samples taken (iterations, or quanta). */
    long count() {
      return log.count();
    }

    /** The first samples, at most {@link #KEPT_SAMPLES}, in order. */
    long[] samples() {
      return log.samples();
    }

    double mean() {
      return log.mean();
    }

    long max() {
      return log.max();
    }

    /**
     * FWQ: time not spent on the quanta, over all the time the iterations took. FTQ: units lost,
     * over the units quiet quanta hold.
     */
    double noiseFraction() {
      double total = log.sum();
      if (ftq) {
        double quiet = (double) quantum * log.count();
        return quiet == 0 ? 0 : (quiet - total) / quiet;
      }
      return total == 0 ? 0 : (total - (double) quantum * log.count()) / total;
    }

    /** The worst noise of any sample: FWQ's longest iteration, FTQ's emptiest quantum. */
    long worstNoise() {
      return log.count() == 0 ? 0 : noise(this, ftq ? log.min() : log.max());
    }

    /**
     * The sample at percentile {@code p}: the lowest value of its histogram bucket, within the samples'
     * extremes (exact when they are all alike, as on a quiet core).
     */
    long percentile(double p) {
      if (log.count() == 0) {
        return 0;
      }
      long v = histogram.lowestEquivalentValue(histogram.getValueAtPercentile(p));
      return Math.max(log.min(), Math.min(log.max(), v));
    }
  }

  record Outcome(List<Core> cores, RunResult linux, RunResult mckernel) {}

  /**
   * Where one core's samples go as they come: its histogram and, if asked, its part of the raw-sample
   * file (rows {@code kernel,cpu,iteration,value}).
   */
  private static final class Feed implements LatencyLog.Sink {
    /** Counts of an int each: a core takes at most {@link Integer#MAX_VALUE} samples (iterations, quanta). */
    final AbstractHistogram histogram = new IntCountsHistogram(HISTOGRAM_DIGITS);
    private final String kernel;
    private final int cpu;
    private final CsvOut part;
    private long next;

    Feed(String kernel, int cpu, CsvOut part) {
      this.kernel = kernel;
      this.cpu = cpu;
      this.part = part;
    }

    @Override
    public void accept(long sample) {
      accept(sample, 1);
    }

    @Override
    public void accept(long sample, long times) {
      histogram.recordValueWithCount(sample, times);
      if (part != null) {
        try {
          for (long i = 0; i < times; i++) {
            part.text(kernel).integer(cpu).integer(next++).integer(sample).end();
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write the raw samples", e);
        }
      }
    }
  }

  /** A run with no raw-sample file. */
  static Outcome run(Scenario s, String engineName, int threads) {
    try {
      return run(s, engineName, threads, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs FWQ (or FTQ) on the scenario's node.
   *
   * @param rawSamples the raw-sample file to write as the samples come (header, then every core's rows,
   *                   core after core), or null for none
   */
  static Outcome run(Scenario s, String engineName, int threads, Path rawSamples) throws IOException {
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
    Parts parts = new Parts(rawSamples);

    List<HybridModel.NativeProcess> perLinuxCpu = new ArrayList<>();
    for (int i = 0; i < linuxCpus.size(); i++) {
      perLinuxCpu.add(new HybridModel.NativeProcess(program, List.of(linuxCpus.get(i))));
    }
    HybridModel linux = LinuxNodes.of(s, perLinuxCpu)
        .withLinuxNoise(io.mcksim.linux.noise.NoiseProfile.of(s.noise(), noise, s.run().seed()));
    List<Core> cores = new ArrayList<>();
    Runnable feedLinux = () -> {
      for (int i = 0; i < linuxCpus.size(); i++) {
        LatencyLog log = ftq ? linux.nativeCpu(i).ftqCounts() : linux.nativeCpu(i).computeTimes();
        cores.add(parts.core("linux", linuxCpus.get(i), log, quantum, ftq));
      }
    };
    RunResult lin = Engine.named(engineName).run(linux, RunSpec.until(end, threads)
        .withWallClock(System::nanoTime).withAfterSetup(feedLinux));

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
      Runnable feedMcKernel = () -> {
        for (int k = 0; k < instances.size(); k++) {
          CpuList cpus = instances.get(k).cpus();
          for (int i = 0; i < cpus.size(); i++) {
            LatencyLog log = ftq ? node.cpu(k, i).ftqCounts() : node.cpu(k, i).computeTimes();
            cores.add(parts.core("mckernel", cpus.get(i), log, quantum, ftq));
          }
        }
      };
      mckResult = Engine.named(engineName).run(node, RunSpec.until(end, threads)
          .withWallClock(System::nanoTime).withAfterSetup(feedMcKernel));
    }
    parts.join();
    return new Outcome(cores, lin, mckResult);
  }

  /**
   * The raw-sample file's parts, one per core, written as its samples come, then joined core after core
   * into the file (a core's rows stay together, in order, whatever the engine's interleaving).
   */
  private static final class Parts {
    private final Path file;
    private final List<Path> paths = new ArrayList<>();
    private final List<CsvOut> writers = new ArrayList<>();

    Parts(Path file) {
      this.file = file;
    }

    /** Core {@code cpu}'s result, its log fed from now on. */
    Core core(String kernel, int cpu, LatencyLog log, long quantum, boolean ftq) {
      CsvOut part = null;
      if (file != null) {
        try {
          Path p = file.resolveSibling(file.getFileName() + ".part-" + paths.size());
          part = new CsvOut(Files.newOutputStream(p));
          paths.add(p);
          writers.add(part);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write the raw samples", e);
        }
      }
      Feed feed = new Feed(kernel, cpu, part);
      log.feeding(feed, KEPT_SAMPLES);
      return new Core(kernel, cpu, log, feed.histogram, quantum, ftq);
    }

    /** Closes the parts and joins them into the file. */
    void join() throws IOException {
      if (file == null) {
        return;
      }
      for (CsvOut w : writers) {
        w.close();
      }
      try (OutputStream out = Files.newOutputStream(file)) {
        out.write("kernel,cpu,iteration,ns\n".getBytes(StandardCharsets.US_ASCII));
        for (Path p : paths) {
          Files.copy(p, out);
          Files.delete(p);
        }
      }
    }
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
          c.cpu(), c.count(), c.mean(), c.percentile(99), c.percentile(99.9), c.max(),
          100 * c.noiseFraction()));
    }
    double wall = wallSeconds(o);
    sb.append(String.format(Locale.ROOT, "  %.3f s of virtual time in %.3f s of engine wall time (%.1fx real time)%n",
        virtualEnd(o) / 1e9, wall, wall > 0 ? virtualEnd(o) / 1e9 / wall : 0));
    return sb.toString();
  }

  /** The virtual time the cores ran to: the later of the two runs' ends. */
  static long virtualEnd(Outcome o) {
    return Math.max(o.linux().virtualEndNs(), o.mckernel() == null ? 0 : o.mckernel().virtualEndNs());
  }

  /** The engines' wall time, both runs together. */
  static double wallSeconds(Outcome o) {
    return o.linux().wallSeconds() + (o.mckernel() == null ? 0 : o.mckernel().wallSeconds());
  }

  /** Iterations of each core drawn in the chart of iteration times; the samples table has more. */
  static final int CHART_ITERATIONS = 2_000;
  /** Bins of the noise histogram; the last holds everything beyond. */
  static final int NOISE_BINS = 60;

  /** The file {@code run --raw-samples} writes every sample into, as the samples come. */
  static String rawSamplesFile(String kind) {
    return kind + "-raw-samples.csv";
  }

  /** The noise of one sample: FWQ's time beyond the quantum, FTQ's work short of it. */
  static long noise(Core c, long sample) {
    return Math.max(0, c.ftq() ? c.quantum() - sample : sample - c.quantum());
  }

  /** The width of a bin of the noise histogram: 1, 2 or 5 times a power of ten, the worst noise in the last bin. */
  static long binWidth(List<Core> cores) {
    long worst = 0;
    for (Core c : cores) {
      worst = Math.max(worst, c.worstNoise());
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

  /**
   * Every sample by its noise, from each core's histogram: [0] Linux cores, [1] McKernel cores. A
   * histogram bucket counts in the bin of its lowest value (within the core's extremes), so the counts
   * add up to the samples taken.
   */
  static long[][] histogram(List<Core> cores, long bin) {
    long[][] h = new long[2][NOISE_BINS];
    for (Core c : cores) {
      if (c.count() == 0) {
        continue;
      }
      int k = c.kernel().equals("linux") ? 0 : 1;
      // every sample lies within the core's exact extremes: only their buckets are visited
      AbstractHistogram hist = c.histogram();
      long min = c.log().min();
      long max = c.log().max();
      for (long v = hist.lowestEquivalentValue(min); v <= max; v = hist.nextNonEquivalentValue(v)) {
        long n = hist.getCountAtValue(v);
        if (n > 0) {
          long x = Math.max(min, Math.min(max, v));
          h[k][(int) Math.min(NOISE_BINS - 1, noise(c, x) / bin)] += n;
        }
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
      r.row(prefix + "_summary", c.kernel(), c.cpu(), c.count(), c.mean(), c.percentile(50),
          c.percentile(99), c.percentile(99.9), c.max(), c.noiseFraction());
    }
    long kept = 0;
    for (Core c : o.cores()) {
      kept += c.log().kept();
    }
    r.rows(prefix + "_samples", kept, out -> {
      for (Core c : o.cores()) {
        LatencyLog log = c.log();
        for (int i = 0; i < log.kept() && !out.full(); i++) {
          out.text(c.kernel()).integer(c.cpu()).integer(i).integer(log.sample(i)).end();
        }
      }
    });
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
        + "with the highest noise fraction of each kernel; the first " + String.format(Locale.ROOT, "%,d",
        KEPT_SAMPLES) + " samples of every core are in " + prefix + "-samples.csv, and every sample in "
        + rawSamplesFile(prefix) + " when the run was given --raw-samples."));
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
        .note("Every non-empty bin is drawn, however few its samples; the last bin holds everything beyond. The "
            + "histogram counts every sample of every core."));
  }
}
