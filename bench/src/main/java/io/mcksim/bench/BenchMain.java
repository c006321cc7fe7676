package io.mcksim.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs mcksim's JMH benchmarks and prints, for each pair measured in the same run, the speed of the
 * subject relative to its baseline: the engines' event queue against the 4-ary event heap, that heap
 * against {@link java.util.PriorityQueue},
 * and the actor engine against the sequential engine on PHOLD.
 *
 * <p>Usage: {@code BenchMain [--quick] [include-regex]}. The default is 1 fork, 2 warm-up and 3
 * measurement iterations; {@code --quick} uses 1 warm-up and 2 measurement iterations.
 */
public final class BenchMain {

  /** Flags the forked JVMs need for Kryo and Pekko on Java 17. */
  static final String[] JVM_FLAGS = {
      "--add-opens", "java.base/java.util=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens", "java.base/java.math=ALL-UNNAMED",
      "--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
  };

  /** Default include: every mcksim benchmark. */
  static final String ALL = "io\\.mcksim\\..*";

  /**
   * A subject and its baseline: two sides of one comparison, told apart by benchmark method and
   * parameters.
   *
   * @param subject   name of the measured side in the printed ratio
   * @param baseline  name of the baseline side
   * @param benchmark the benchmark class's simple name
   * @param side      which side a result of that class belongs to ("subject", "baseline" or null)
   * @param key       the parameters both sides share, for the label (e.g. "n=1000"), or "" if none
   */
  private record Pair(String subject, String baseline, String benchmark,
      Function<BenchmarkParams, String> side,
      Function<BenchmarkParams, String> key) {
  }

  private static final List<Pair> PAIRS = List.of(
      new Pair("EventQueue", "EventHeap", "EventQueueBenchmark",
          p -> switch (method(p)) {
            case "eventQueue" -> "subject";
            case "eventHeap" -> "baseline";
            default -> null;
          },
          p -> "n=" + p.getParam("n") + ", " + p.getParam("dist")),
      new Pair("EventHeap", "PriorityQueue", "EventQueueBenchmark",
          p -> switch (method(p)) {
            case "eventHeap" -> "subject";
            case "priorityQueue" -> "baseline";
            default -> null;
          },
          p -> "n=" + p.getParam("n") + ", " + p.getParam("dist")),
      new Pair("actors", "sequential", "PholdBenchmark",
          p -> switch (p.getParam("engine")) {
            case "actors" -> "subject";
            case "sequential" -> "baseline";
            default -> null;
          },
          p -> "phold, " + Runtime.getRuntime().availableProcessors() + " threads"));

  private BenchMain() {
  }

  public static void main(String[] args) throws RunnerException {
    boolean quick = false;
    String include = ALL;
    for (String arg : args) {
      if (arg.equals("--quick")) {
        quick = true;
      } else if (arg.startsWith("-")) {
        System.err.println("usage: BenchMain [--quick] [include-regex]");
        System.exit(2);
      } else {
        include = arg;
      }
    }
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(include)
        .forks(1)
        .warmupIterations(quick ? 1 : 2)
        .measurementIterations(quick ? 2 : 3)
        .jvmArgsAppend(JVM_FLAGS);
    Collection<RunResult> results = new Runner(options.build()).run();
    System.out.println();
    System.out.println("Speed of each subject relative to its baseline, same run (>1: subject faster):");
    List<String> lines = ratios(results);
    if (lines.isEmpty()) {
      System.out.println("  (no complete pair among the benchmarks run)");
    }
    lines.forEach(System.out::println);
  }

  /** One line per complete pair among the results, in the order the results came. */
  static List<String> ratios(Collection<RunResult> results) {
    Map<String, Result<?>[]> sides = new LinkedHashMap<>();
    Map<String, Pair> pairOf = new LinkedHashMap<>();
    for (RunResult r : results) {
      BenchmarkParams params = r.getParams();
      for (Pair pair : PAIRS) {
        if (!className(params).equals(pair.benchmark())) {
          continue;
        }
        String side = pair.side().apply(params);
        if (side == null) {
          continue;
        }
        String label = pair.subject() + "/" + pair.baseline() + " (" + pair.key().apply(params) + ")";
        pairOf.put(label, pair);
        sides.computeIfAbsent(label, k -> new Result<?>[2])[side.equals("subject") ? 0 : 1] =
            r.getPrimaryResult();
      }
    }
    List<String> lines = new ArrayList<>();
    sides.forEach((label, both) -> {
      if (both[0] == null || both[1] == null) {
        return;
      }
      Pair pair = pairOf.get(label);
      double ratio = speed(both[0]) / speed(both[1]);
      lines.add(String.format(Locale.ROOT, "ratio %s: %.2fx   (%s %s, %s %s)", label, ratio,
          pair.subject(), score(both[0]), pair.baseline(), score(both[1])));
    });
    return lines;
  }

  /** Higher is faster: a throughput as it is, a time per operation inverted. */
  private static double speed(Result<?> result) {
    return result.getScoreUnit().startsWith("ops/") ? result.getScore() : 1.0 / result.getScore();
  }

  private static String score(Result<?> result) {
    double error = result.getScoreError();
    return Double.isNaN(error)
        ? String.format(Locale.ROOT, "%.3f %s", result.getScore(), result.getScoreUnit())
        : String.format(Locale.ROOT, "%.3f ± %.3f %s", result.getScore(), error, result.getScoreUnit());
  }

  private static String className(BenchmarkParams params) {
    String name = params.getBenchmark();
    String owner = name.substring(0, name.lastIndexOf('.'));
    return owner.substring(owner.lastIndexOf('.') + 1);
  }

  private static String method(BenchmarkParams params) {
    String name = params.getBenchmark();
    return name.substring(name.lastIndexOf('.') + 1);
  }
}
