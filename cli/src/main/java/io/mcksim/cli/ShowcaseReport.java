package io.mcksim.cli;

import io.mcksim.actors.engine.RunResult;
import io.mcksim.config.Scenario;
import com.typesafe.config.ConfigRenderOptions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The showcase's report: {@code report.json} (schema {@value #SCHEMA} version {@value #VERSION},
 * documented in docs/report-schema.md), one CSV per table, and {@code report.html}.
 */
final class ShowcaseReport {

  static final String SCHEMA = "mcksim-report";
  static final int VERSION = 1;
  /** FWQ iterations per core drawn in report.html (all of them are in fwq-samples.csv). */
  static final int CHART_ITERATIONS = 2_000;
  /** Width of a bin of the noise histogram. */
  static final long NOISE_BIN_NS = 1_000;
  /** Bins of the noise histogram; the last one holds everything beyond. */
  static final int NOISE_BINS = 60;

  private ShowcaseReport() {}

  /** Everything the report says, computed once. */
  record Content(ShowcaseRun.Outcome outcome, Json json, Map<String, String> csv) {}

  static Content build(ShowcaseRun.Outcome o) {
    Map<String, String> csv = new java.util.LinkedHashMap<>();
    csv.put("os-states.csv", statesCsv(o));
    csv.put("fwq-summary.csv", FwqRun.summaryCsv(o.fwq()));
    csv.put("fwq-samples.csv", FwqRun.samplesCsv(o.fwq()));
    csv.put("fwq-noise-histogram.csv", histogramCsv(o));
    csv.put("syscalls.csv", SyscallsRun.csv(o.syscalls(), o.scenario()));
    Csv runs = new Csv("nodes", "os", "runtime_ns", "ideal_ns", "slowdown", "events", "digest");
    for (SweepRun.Point p : o.bsp()) {
      BspRun.Measured m = p.measured();
      runs.row(m.plan().nodes(), m.plan().os(), m.outcome().runtimeNs(), m.idealNs(),
          String.format(Locale.ROOT, "%.6f", m.slowdown()), m.result().events(), m.result().digest());
    }
    csv.put("bsp-runs.csv", runs.text());
    Csv speed = new Csv("nodes", "linux_ns", "mckernel_ns", "speedup");
    for (long[] row : speedups(o)) {
      speed.row(row[0], row[1], row[2], String.format(Locale.ROOT, "%.6f", (double) row[1] / row[2]));
    }
    csv.put("bsp-speedup.csv", speed.text());
    return new Content(o, json(o), csv);
  }

  /**
   * FWQ over one kernel's cores.
   *
   * @param kernel        "linux" or "mckernel"
   * @param meanNs        the cores' mean iteration time, averaged
   * @param worstP99Ns    the highest of the cores' 99th percentiles
   * @param maxNs         the longest iteration of any core
   * @param noiseFraction the cores' noise fractions, averaged
   */
  record KernelNoise(String kernel, int cores, double meanNs, long worstP99Ns, long maxNs, double noiseFraction) {
    String name() {
      return kernel.equals("linux") ? "Linux" : "McKernel";
    }
  }

  /** FWQ summed up per kernel, Linux first; a kernel without cores is left out. */
  static List<KernelNoise> fwqByKernel(ShowcaseRun.Outcome o) {
    List<KernelNoise> out = new ArrayList<>();
    for (String kernel : List.of("linux", "mckernel")) {
      List<FwqRun.Core> cores = o.fwq().cores().stream().filter(c -> c.kernel().equals(kernel)).toList();
      if (!cores.isEmpty()) {
        out.add(new KernelNoise(kernel, cores.size(),
            cores.stream().mapToDouble(FwqRun.Core::mean).average().orElse(0),
            cores.stream().mapToLong(c -> c.percentile(99)).max().orElse(0),
            cores.stream().mapToLong(FwqRun.Core::max).max().orElse(0),
            cores.stream().mapToDouble(FwqRun.Core::noiseFraction).average().orElse(0)));
      }
    }
    return out;
  }

  /** Per node count: nodes, Linux runtime, McKernel runtime. */
  static List<long[]> speedups(ShowcaseRun.Outcome o) {
    List<long[]> out = new ArrayList<>();
    for (int i = 0; i + 1 < o.bsp().size(); i += 2) {
      BspRun.Measured lin = o.bsp().get(i).measured();
      BspRun.Measured mck = o.bsp().get(i + 1).measured();
      out.add(new long[] {lin.plan().nodes(), lin.outcome().runtimeNs(), mck.outcome().runtimeNs()});
    }
    return out;
  }

  static long events(ShowcaseRun.Outcome o) {
    return o.results().stream().mapToLong(RunResult::events).sum();
  }

  /** SHA-256 over the digests of every run, in the order they ran. */
  static String eventLogDigest(ShowcaseRun.Outcome o) {
    StringBuilder sb = new StringBuilder();
    o.results().forEach(r -> sb.append(r.digest()).append('\n'));
    return sha256(sb.toString());
  }

  /** SHA-256 over the effective configuration, one {@code key = value} line per key in key order. */
  static String configDigest(Scenario s) {
    StringBuilder sb = new StringBuilder();
    s.config().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sb.append(e.getKey())
        .append(" = ").append(e.getValue().render(ConfigRenderOptions.concise())).append('\n'));
    return sha256(sb.toString());
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Counts of FWQ iterations by the time noise added to them, Linux cores and McKernel cores apart. */
  static long[][] histogram(ShowcaseRun.Outcome o) {
    long[][] h = new long[2][NOISE_BINS];
    for (FwqRun.Core c : o.fwq().cores()) {
      int k = c.kernel().equals("linux") ? 0 : 1;
      for (long s : c.samples()) {
        long excess = Math.max(0, s - c.quantum());
        h[k][(int) Math.min(NOISE_BINS - 1, excess / NOISE_BIN_NS)]++;
      }
    }
    return h;
  }

  private static String histogramCsv(ShowcaseRun.Outcome o) {
    long[][] h = histogram(o);
    StringBuilder sb = new StringBuilder("noise_from_ns,noise_to_ns,linux_iterations,mckernel_iterations\n");
    for (int b = 0; b < NOISE_BINS; b++) {
      sb.append(b * NOISE_BIN_NS).append(',').append(b == NOISE_BINS - 1 ? "" : Long.toString((b + 1) * NOISE_BIN_NS))
          .append(',').append(h[0][b]).append(',').append(h[1][b]).append('\n');
    }
    return sb.toString();
  }

  private static String statesCsv(ShowcaseRun.Outcome o) {
    Csv csv = new Csv("time_ns", "os", "state");
    for (ShowcaseRun.Transition t : o.boot().transitions()) {
      csv.row(t.timeNs(), t.os(), t.state());
    }
    return csv.text();
  }

  static Json json(ShowcaseRun.Outcome o) {
    Scenario s = o.scenario();
    long events = events(o);
    double engineWall = o.results().stream().mapToDouble(RunResult::wallSeconds).sum();
    Json meta = new Json()
        .put("mcksim_version", BuildInfo.version())
        .put("mcksim_commit", BuildInfo.commit())
        .put("java_version", System.getProperty("java.version"))
        .put("seed", s.run().seed())
        .put("config_digest", configDigest(s))
        .put("event_log_digest", eventLogDigest(o))
        .put("engine", s.run().engine())
        .put("wall_s", o.wallNanos() / 1e9)
        .put("events", events)
        .put("events_per_s", engineWall > 0 ? events / engineWall : 0.0);
    List<Json> transitions = new ArrayList<>();
    for (ShowcaseRun.Transition t : o.boot().transitions()) {
      transitions.add(new Json().put("time_ns", t.timeNs()).put("os", t.os()).put("state", t.state()));
    }
    Json boot = new Json()
        .put("cpus", s.machine().cpus())
        .put("mckernel_cpus", s.partition().instances().get(0).cpus().size())
        .put("boot_ns", o.boot().bootNs())
        .put("ready_ns", o.boot().readyNs())
        .put("transitions", Json.array(transitions))
        .put("kmsg", Json.array(o.boot().kmsg()))
        .put("digest", o.boot().result().digest());
    List<Json> cores = new ArrayList<>();
    for (FwqRun.Core c : o.fwq().cores()) {
      cores.add(new Json().put("kernel", c.kernel()).put("cpu", c.cpu()).put("iterations", c.count())
          .put("mean_ns", c.mean()).put("p99_ns", c.percentile(99)).put("max_ns", c.max())
          .put("noise_fraction", c.noiseFraction()));
    }
    long[][] h = histogram(o);
    Json fwq = new Json()
        .put("quantum_ns", s.workload().fwq().quantumNs())
        .put("iterations", s.workload().fwq().iterations())
        .put("noise_profile", s.workload().fwq().noise())
        .put("cores", Json.array(cores))
        .put("noise_histogram", new Json().put("bin_ns", NOISE_BIN_NS).put("linux", Json.array(h[0]))
            .put("mckernel", Json.array(h[1])));
    List<Json> calls = new ArrayList<>();
    for (SyscallsRun.Row r : o.syscalls().rows()) {
      Json stages = new Json();
      if (r.dispatch().equals("local")) {
        stages.put("local", r.stagesNs());
      } else {
        SyscallsRun.offloadStageList(s, r.name()).forEach(stages::put);
      }
      calls.add(new Json().put("name", r.name()).put("where", r.dispatch()).put("calls", r.calls())
          .put("mckernel_mean_ns", r.mckernelMean()).put("stages_ns", stages)
          .put("linux_native_mean_ns", r.linuxMean())
          .put("linux_native_stages_ns", new Json().put("entry", s.syscalls().linuxEntry())
              .put("service", s.syscalls().linux(r.name()))));
    }
    Json syscalls = new Json().put("table", s.workload().syscalls().table()).put("calls", Json.array(calls));
    List<Json> runs = new ArrayList<>();
    for (SweepRun.Point p : o.bsp()) {
      BspRun.Measured m = p.measured();
      runs.add(new Json().put("nodes", m.plan().nodes()).put("os", m.plan().os())
          .put("cpus", m.cpus()).put("runtime_ns", m.outcome().runtimeNs()).put("ideal_ns", m.idealNs())
          .put("slowdown", m.slowdown()).put("events", m.result().events()).put("digest", m.result().digest()));
    }
    List<Json> speed = new ArrayList<>();
    for (long[] row : speedups(o)) {
      speed.add(new Json().put("nodes", row[0]).put("linux_ns", row[1]).put("mckernel_ns", row[2])
          .put("speedup", (double) row[1] / row[2]));
    }
    var b = s.workload().bsp();
    Json bsp = new Json()
        .put("iterations", b.iterations())
        .put("quantum", b.quantum().kind() + "(" + Units.time(b.quantum().a())
            + (b.quantum().kind().equals("uniform") ? ", " + Units.time(b.quantum().b()) : "") + ")")
        .put("collective", b.collective())
        .put("runs", Json.array(runs))
        .put("speedup", Json.array(speed));
    return new Json().put("schema", SCHEMA).put("version", VERSION).put("meta", meta).put("boot", boot)
        .put("fwq", fwq).put("syscalls", syscalls).put("bsp", bsp);
  }
}
