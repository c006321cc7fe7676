package io.mcksim.cli;

import io.mcksim.config.Scenario;
import io.mcksim.config.Sweep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A sweep: the scenario run once per combination of the values its {@code sweep} section lists, in
 * key order, the last key varying fastest (keys zipped together vary as one; see {@link Sweep}). With both OS models among the values it also gives
 * McKernel's speedup over Linux for every other combination.
 */
final class SweepRun {

  private SweepRun() {}

  /** One combination: the overrides that make it, and what its run measured. */
  record Point(Map<String, String> values, BspRun.Measured measured) {}

  /** Every combination of the sweep's values, as ordered key to value maps. */
  static List<Map<String, String>> combinations(Sweep sweep) {
    return sweep.combinations();
  }

  static List<String> overrides(Map<String, String> values) {
    List<String> out = new ArrayList<>();
    values.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  /** One combination, its scenario loaded and checked. */
  record Prepared(Map<String, String> values, Scenario scenario) {}

  /**
   * Loads every combination of {@code sweep} and checks its BSP fits the machine, so that a bad value
   * fails before anything runs.
   *
   * @param load the scenario with extra overrides (the file and --set, then the combination)
   */
  static List<Prepared> prepare(Sweep sweep, Function<List<String>, Scenario> load) {
    List<Prepared> out = new ArrayList<>();
    for (Map<String, String> c : combinations(sweep)) {
      Scenario s = load.apply(overrides(c));
      io.mcksim.machine.bsp.BspSetup.plan(s);
      out.add(new Prepared(c, s));
    }
    return out;
  }

  /**
   * Runs every prepared combination, in order.
   *
   * @param before told about each combination before it runs (index from 1, total)
   */
  static List<Point> run(List<Prepared> runs, String engine, int threads,
      java.util.function.BiConsumer<Integer, Map<String, String>> before, ProgressLine progress) {
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      before.accept(i + 1, runs.get(i).values());
      points.add(new Point(runs.get(i).values(),
          BspRun.run(runs.get(i).scenario(), engine, threads, progress, false)));
    }
    return points;
  }

  static String[] head(Sweep sweep) {
    List<String> h = labels(sweep.keys());
    h.addAll(List.of("runtime (ms)", "ideal (ms)", "slowdown", "events", "wall (s)"));
    return h.toArray(String[]::new);
  }

  static List<String[]> rows(List<Point> points) {
    List<String[]> rows = new ArrayList<>();
    for (Point p : points) {
      List<String> r = new ArrayList<>();
      p.values().values().forEach(v -> r.add(unquote(v)));
      BspRun.Measured m = p.measured();
      r.add(ms(m.outcome().runtimeNs()));
      r.add(ms(m.idealNs()));
      r.add(String.format(Locale.ROOT, "%.4f", m.slowdown()));
      r.add(String.format(Locale.ROOT, "%,d", m.result().events()));
      r.add(String.format(Locale.ROOT, "%.2f", m.result().wallSeconds()));
      rows.add(r.toArray(String[]::new));
    }
    return rows;
  }

  /**
   * The column heads of swept keys: a key of more than three parts by its last two (such as
   * {@code injection.frequency} for {@code noise.profiles.injected.injection.frequency}), unless two keys
   * would then share a head; the others whole.
   */
  static List<String> labels(List<String> keys) {
    List<String> out = new ArrayList<>();
    for (String key : keys) {
      String shortened = lastParts(key);
      boolean unique = keys.stream().filter(k -> lastParts(k).equals(shortened)).count() == 1;
      out.add(unique ? shortened : key);
    }
    return out;
  }

  private static String lastParts(String key) {
    String[] parts = key.split("\\.");
    return parts.length <= 3 ? key : parts[parts.length - 2] + "." + parts[parts.length - 1];
  }

  /** Whether the sweep compares the two OS models. */
  static boolean comparesModels(Sweep sweep) {
    List<String> models = sweep.values().getOrDefault("os.model", List.of()).stream().map(SweepRun::unquote).toList();
    return models.contains("linux") && models.contains("mckernel");
  }

  /** Linux against McKernel for every combination of the other keys, in sweep order. */
  static List<String[]> speedups(List<Point> points) {
    Map<List<String>, BspRun.Measured[]> byRest = new LinkedHashMap<>();
    for (Point p : points) {
      List<String> rest = new ArrayList<>();
      p.values().forEach((k, v) -> {
        if (!k.equals("os.model")) {
          rest.add(unquote(v));
        }
      });
      String model = unquote(p.values().get("os.model"));
      BspRun.Measured[] pair = byRest.computeIfAbsent(rest, k -> new BspRun.Measured[2]);
      if (model.equals("linux")) {
        pair[0] = p.measured();
      } else if (model.equals("mckernel")) {
        pair[1] = p.measured();
      }
    }
    List<String[]> rows = new ArrayList<>();
    byRest.forEach((rest, pair) -> {
      if (pair[0] == null || pair[1] == null) {
        return;
      }
      List<String> r = new ArrayList<>(rest);
      r.add(ms(pair[0].outcome().runtimeNs()));
      r.add(ms(pair[1].outcome().runtimeNs()));
      r.add(String.format(Locale.ROOT, "%.4f", pair[0].slowdown()));
      r.add(String.format(Locale.ROOT, "%.4f", pair[1].slowdown()));
      r.add(String.format(Locale.ROOT, "%.4f",
          (double) pair[0].outcome().runtimeNs() / pair[1].outcome().runtimeNs()));
      rows.add(r.toArray(String[]::new));
    });
    return rows;
  }

  static String[] speedupHead(Sweep sweep) {
    List<String> h = labels(sweep.keys().stream().filter(k -> !k.equals("os.model")).toList());
    h.addAll(List.of("Linux (ms)", "McKernel (ms)", "Linux slowdown", "McKernel slowdown",
        "McKernel speedup"));
    return h.toArray(String[]::new);
  }

  /** Fills a report of kind sweep: every run, every value, McKernel's speedup, and the charts. */
  static void fill(Report r, Sweep sweep, List<Point> points) {
    r.put("runs", points.size()).put("keys", String.join(", ", sweep.keys()));
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      BspRun.Measured m = p.measured();
      r.run("run " + (i + 1), m.result());
      r.row("sweep_runs", i + 1, label(p.values(), null), m.plan().os(), m.plan().nodes(), m.outcome().runtimeNs(),
          m.idealNs(), m.slowdown(), m.result().events(), m.result().wallSeconds(), m.result().digest());
      int run = i + 1;
      p.values().forEach((k, v) -> r.row("sweep_values", run, k, unquote(v)));
    }
    if (comparesModels(sweep)) {
      pairs(points).forEach((rest, pair) -> r.row("sweep_speedup", rest, pair[0].outcome().runtimeNs(),
          pair[1].outcome().runtimeNs(), pair[0].slowdown(), pair[1].slowdown(),
          (double) pair[0].outcome().runtimeNs() / pair[1].outcome().runtimeNs()));
    }
    // against the node count when it is swept: one line per combination of the other keys
    boolean byNodes = sweep.keys().contains("machine.nodes");
    Map<String, List<Point>> groups = new LinkedHashMap<>();
    for (Point p : points) {
      groups.computeIfAbsent(byNodes ? label(p.values(), "machine.nodes") : "runs", k -> new ArrayList<>()).add(p);
    }
    ReportChart runtime = ReportChart.lines("chart-sweep-runtime", "Runtime of every run" + (byNodes
        ? " against the node count" : ""), byNodes ? "nodes (log scale)" : "run", "runtime (ms)");
    ReportChart slowdown = ReportChart.lines("chart-sweep-slowdown", "Slowdown over the noiseless ideal" + (byNodes
        ? " against the node count" : ""), byNodes ? "nodes (log scale)" : "run",
        "slowdown (runtime / ideal), axis not from 0").yFromData();
    if (byNodes) {
      runtime.logX(2);
      slowdown.logX(2);
    }
    List<Number> firstX = null;
    List<Double> firstIdeal = null;
    for (Map.Entry<String, List<Point>> g : groups.entrySet()) {
      List<Number> xs = g.getValue().stream().map(p -> byNodes ? (Number) p.measured().plan().nodes()
          : (Number) (points.indexOf(p) + 1)).toList();
      String role = g.getValue().get(0).measured().plan().os().equals("linux") && groups.size() <= 2 ? "linux"
          : g.getValue().get(0).measured().plan().os().equals("mckernel") && groups.size() <= 2 ? "mckernel" : null;
      runtime.series(g.getKey().isEmpty() ? "runtime" : g.getKey(), role, xs,
          g.getValue().stream().map(p -> p.measured().outcome().runtimeNs() / 1e6).toList());
      slowdown.series(g.getKey().isEmpty() ? "slowdown" : g.getKey(), role, xs,
          g.getValue().stream().map(p -> p.measured().slowdown()).toList());
      if (firstX == null) {
        firstX = xs;
        firstIdeal = g.getValue().stream().map(p -> p.measured().idealNs() / 1e6).toList();
      }
    }
    if (firstX != null) {
      runtime.series("noiseless ideal" + (groups.size() > 1 ? " (" + groups.keySet().iterator().next() + ")" : ""),
          "ideal", firstX, firstIdeal);
      slowdown.series("no slowdown (1)", "ideal", firstX, firstX.stream().map(x -> 1.0).toList());
    }
    r.chart(runtime).chart(slowdown);
  }

  /** "os.model=linux, machine.nodes=4": a run's values, without {@code leaveOut}. */
  static String label(Map<String, String> values, String leaveOut) {
    StringBuilder sb = new StringBuilder();
    values.forEach((k, v) -> {
      if (!k.equals(leaveOut)) {
        sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(unquote(v));
      }
    });
    return sb.toString();
  }

  /** Linux's and McKernel's run per combination of the other keys. */
  static Map<String, BspRun.Measured[]> pairs(List<Point> points) {
    Map<String, BspRun.Measured[]> byRest = new LinkedHashMap<>();
    for (Point p : points) {
      String model = unquote(p.values().get("os.model"));
      BspRun.Measured[] pair = byRest.computeIfAbsent(label(p.values(), "os.model"), k -> new BspRun.Measured[2]);
      if (model.equals("linux")) {
        pair[0] = p.measured();
      } else if (model.equals("mckernel")) {
        pair[1] = p.measured();
      }
    }
    byRest.values().removeIf(pair -> pair[0] == null || pair[1] == null);
    return byRest;
  }

  static String csv(String[] head, List<String[]> rows) {
    return Csv.table(head, rows);
  }

  static String unquote(String v) {
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
  }

  private static String ms(long ns) {
    return String.format(Locale.ROOT, "%.4f", ns / 1e6);
  }
}
