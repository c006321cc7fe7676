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
 * The showcase's report, of kind {@code showcase} ({@link ReportKinds#SHOWCASE}): the boot, FWQ, the
 * system calls and the BSP sweep, with their charts.
 */
final class ShowcaseReport {

  private ShowcaseReport() {}

  /** Everything the report says, computed once. */
  record Content(ShowcaseRun.Outcome outcome, Report report) {}

  static Content build(ShowcaseRun.Outcome o) {
    Scenario s = o.scenario();
    Report r = new Report(ReportKinds.SHOWCASE, s);
    o.results().forEach(x -> r.run(x.model(), x));
    r.lead("One node of " + s.machine().cpus() + " CPUs boots McKernel on "
        + s.partition().instances().get(0).cpus().size() + " of them; FWQ shows the noise of its Linux cores against "
        + "its McKernel cores; the system-call microbenchmark shows what each call costs where it runs; a BSP "
        + "application runs under Linux and under McKernel on machines of up to " + String.format(Locale.ROOT, "%,d",
        o.bsp().isEmpty() ? 0 : o.bsp().get(o.bsp().size() - 1).measured().plan().nodes()) + " nodes.");
    var b = s.workload().bsp();
    r.put("cpus", s.machine().cpus()).put("mckernel_cpus", s.partition().instances().get(0).cpus().size())
        .put("boot_ns", o.boot().bootNs()).put("ready_ns", o.boot().readyNs())
        .put("fwq_iterations", s.workload().fwq().iterations()).put("syscall_table", s.workload().syscalls().table())
        .put("syscall_calls_each", s.workload().syscalls().calls()).put("bsp_iterations", b.iterations())
        .put("bsp_quantum", b.quantum().kind() + "(" + Units.time(b.quantum().a())
            + (b.quantum().kind().equals("uniform") ? ", " + Units.time(b.quantum().b()) : "") + ")")
        .put("bsp_collective", b.collective());
    for (ShowcaseRun.Transition t : o.boot().transitions()) {
      r.row("os_states", t.timeNs(), t.os(), t.state());
    }
    for (int i = 0; i < o.boot().kmsg().size(); i++) {
      r.row("kmsg", i + 1, o.boot().kmsg().get(i));
    }
    r.chart(statesChart(o));
    FwqRun.fill(r, o.fwq(), "fwq", false, s.workload().fwq().quantumNs(), s.workload().fwq().noise());
    SyscallsRun.fill(r, o.syscalls(), s);
    bsp(r, o.bsp());
    return new Content(o, r);
  }

  /** The instance's states against virtual time, as a step chart. */
  private static ReportChart statesChart(ShowcaseRun.Outcome o) {
    List<String> states = List.of("INACTIVE", "BOOTING", "RUNNING", "SHUTDOWN", "PANIC", "HUNGUP", "FREEZING",
        "FROZEN");
    List<Double> xs = new ArrayList<>(List.of(0.0));
    List<Integer> ys = new ArrayList<>(List.of(0));
    int top = 2;
    for (ShowcaseRun.Transition t : o.boot().transitions()) {
      int i = Math.max(0, states.indexOf(t.state()));
      xs.add(t.timeNs() / 1e6);
      ys.add(i);
      top = Math.max(top, i);
    }
    xs.add(xs.get(xs.size() - 1) * 1.05 + 1e-3);
    ys.add(ys.get(ys.size() - 1));
    java.util.Map<Integer, String> names = new java.util.TreeMap<>();
    for (int i = 0; i <= top; i++) {
      names.put(i, states.get(i));
    }
    return ReportChart.steps("chart-os-states", "OS instance 0: its state against virtual time",
            "virtual time (ms)", "state (ihkosctl get status)").yNames(names).height(240)
        .series("OS instance 0", "mckernel", xs, ys);
  }

  /** The BSP runs, Linux against McKernel per node count, and their charts. */
  static void bsp(Report r, List<SweepRun.Point> points) {
    for (SweepRun.Point p : points) {
      BspRun.Measured m = p.measured();
      r.row("bsp_runs", m.plan().nodes(), m.plan().os(), m.cpus(), m.outcome().runtimeNs(), m.idealNs(),
          m.slowdown(), m.result().events(), m.result().digest());
    }
    List<long[]> sp = speedups(points);
    for (long[] row : sp) {
      r.row("bsp_speedup", row[0], row[1], row[2], row[3], (double) row[1] / row[2]);
    }
    List<Long> nodes = sp.stream().map(x -> x[0]).toList();
    r.chart(ReportChart.lines("chart-bsp-runtime", "BSP runtime against the node count", "nodes (log scale)",
            "runtime (ms)").logX(2)
        .series("Linux", "linux", nodes, sp.stream().map(x -> x[1] / 1e6).toList())
        .series("McKernel", "mckernel", nodes, sp.stream().map(x -> x[2] / 1e6).toList())
        .series("noiseless ideal", "ideal", nodes, sp.stream().map(x -> x[3] / 1e6).toList()));
    r.chart(ReportChart.lines("chart-bsp-speedup", "McKernel's speedup over Linux", "nodes (log scale)",
            "speedup (Linux runtime / McKernel runtime)").logX(2)
        .series("McKernel over Linux", "mckernel", nodes, sp.stream().map(x -> (double) x[1] / x[2]).toList())
        .series("no speedup (1)", "ideal", nodes, nodes.stream().map(x -> 1.0).toList()));
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

  /** Per node count: nodes, Linux runtime, McKernel runtime, McKernel's ideal. */
  static List<long[]> speedups(ShowcaseRun.Outcome o) {
    return speedups(o.bsp());
  }

  static List<long[]> speedups(List<SweepRun.Point> bsp) {
    List<long[]> out = new ArrayList<>();
    for (int i = 0; i + 1 < bsp.size(); i += 2) {
      BspRun.Measured lin = bsp.get(i).measured();
      BspRun.Measured mck = bsp.get(i + 1).measured();
      out.add(new long[] {lin.plan().nodes(), lin.outcome().runtimeNs(), mck.outcome().runtimeNs(), mck.idealNs()});
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
}
