package io.mcksim.cli;

import io.mcksim.config.Scenario;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mcksim bench ...}: macro benchmarks, printed as JSON. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Macro benchmarks of the engines (JSON on stdout).",
    subcommands = {BenchCommand.PholdBench.class, BenchCommand.BspBench.class,
        BenchCommand.IkcBenchCommand.class})
final class BenchCommand {

  /** {@code mcksim bench ikc}: IKC channels against a plain actor-to-actor baseline. */
  @Command(name = "ikc", mixinStandardHelpOptions = true,
      description = "Packets per second through 1 and 64 IKC channels (capacity 64) on the actor engine, "
          + "next to plain actor-to-actor messaging measured in the same run, and bytes per idle and "
          + "active channel over 100,000 channels.")
  static final class IkcBenchCommand implements Callable<Integer> {

    @Option(names = "--packets", description = "Packets per channel (default ${DEFAULT-VALUE}).")
    long packets = 1_000_000;

    @Option(names = "--threads", description = "Dispatcher threads; 0: one per core.")
    int threads;

    @Mixin
    Output output;

    @Override
    public Integer call() throws IOException {
      try (OutputFolder folder = output.claim("bench ikc")) {
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return output.publish(folder, "bench-ikc.json", IkcBench.run(packets, t).toString(), 0);
      }
    }
  }

  /** {@code mcksim bench bsp}: the BSP machine on one engine, or on both with {@code --compare}. */
  @Command(name = "bsp", mixinStandardHelpOptions = true,
      description = "A BSP run (workload.type = bsp; defaults from the scenario) on the actor or sequential "
          + "engine; every application CPU is an entity.")
  static final class BspBench implements Callable<Integer> {

    @Option(names = "--nodes", description = "Nodes (default ${DEFAULT-VALUE}).")
    int nodes = 1_000;

    @Option(names = "--os", description = "mckernel or linux (default ${DEFAULT-VALUE}).")
    String os = "mckernel";

    @Option(names = "--iterations", description = "Iterations (default ${DEFAULT-VALUE}).")
    int iterations = 10;

    @Option(names = "--threads", description = "Threads of the actor engine's dispatcher; 0: one per core.")
    int threads;

    @Option(names = "--engine", description = "actors or sequential (default ${DEFAULT-VALUE}).")
    String engine = "actors";

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any other scenario key.")
    List<String> set = new ArrayList<>();

    @Option(names = "--compare",
        description = "Run both engines on the same machine in this process; print both and the ratio "
            + "(actors events/s over sequential events/s).")
    boolean compare;

    @Mixin
    Output output;

    @Override
    public Integer call() throws IOException {
      try (OutputFolder folder = output.claim("bench bsp")) {
        return bench(folder);
      }
    }

    private int bench(OutputFolder folder) throws IOException {
      List<String> o = new ArrayList<>(List.of("workload.type=bsp", "machine.nodes=" + nodes, "os.model=" + os,
          "workload.bsp.iterations=" + iterations, "run.threads=" + threads));
      o.addAll(set);
      Scenario s = new io.mcksim.config.ScenarioLoader().load(null, o);
      if (!compare) {
        return output.publish(folder, "bench-bsp.json",
            json(BspRun.run(s, engine, PholdRun.threads(s, engine), null, false)).toString(), 0);
      }
      BspRun.Measured sequential = BspRun.run(s, "sequential", 1, null, false);
      BspRun.Measured actors = BspRun.run(s, "actors", PholdRun.threads(s, "actors"), null, false);
      boolean same = sequential.result().digest().equals(actors.result().digest());
      return output.publish(folder, "bench-bsp.json", new Json()
          .put("sequential", json(sequential))
          .put("actors", json(actors))
          .put("ratio", actors.result().eventsPerSecond() / sequential.result().eventsPerSecond())
          .put("sameDigest", same).toString(), same ? 0 : Mcksim.RUN_FAILED);
    }

    private static Json json(BspRun.Measured m) {
      return new Json().put("engine", m.result().engine()).put("threads", m.result().threads())
          .put("os", m.plan().os()).put("nodes", m.plan().nodes()).put("cpus", m.cpus())
          .put("events", m.result().events()).put("wallSeconds", m.result().wallSeconds())
          .put("eventsPerSecond", m.result().eventsPerSecond()).put("runtimeNs", m.outcome().runtimeNs())
          .put("digest", m.result().digest());
    }
  }

  /** {@code mcksim bench phold}: PHOLD on one engine, or on both with {@code --compare}. */
  @Command(name = "phold", mixinStandardHelpOptions = true,
      description = "PHOLD on the actor or sequential engine. Defaults come from the scenario's phold "
          + "and run sections (see `mcksim config`).")
  static final class PholdBench implements Callable<Integer> {

    @Option(names = "--entities", description = "Entities (each an actor).")
    Integer entities;

    @Option(names = "--domains", description = "Domains the entities are spread over.")
    Integer domains;

    @Option(names = "--population", description = "Initial events per entity.")
    Integer population;

    @Option(names = "--remote", description = "Fraction of events sent to other domains.")
    Double remote;

    @Option(names = "--lookahead", description = "Fixed delay part and lookahead, e.g. 1us.")
    String lookahead;

    @Option(names = "--mean-delay", description = "Mean exponential delay part, e.g. 1us.")
    String meanDelay;

    @Option(names = "--end-time", description = "Virtual end time, e.g. 100us (bare number: ns).")
    String endTime;

    @Option(names = "--threads", description = "Threads of the dispatcher that runs the entities.")
    Integer threads;

    @Option(names = "--engine", description = "actors or sequential.")
    String engine;

    @Option(names = "--seed", description = "Run seed.")
    Long seed;

    @Option(names = "--compare",
        description = "Run both engines on the same model in this process; print both and the ratio "
            + "(actors events/s over sequential events/s).")
    boolean compare;

    @Mixin
    Output output;

    @Override
    public Integer call() throws IOException {
      try (OutputFolder folder = output.claim("bench phold")) {
        return bench(folder);
      }
    }

    private int bench(OutputFolder folder) throws IOException {
      Scenario s = new io.mcksim.config.ScenarioLoader().load(null, overrides());
      if (!compare) {
        return output.publish(folder, "bench-phold.json", PholdRun.run(s, s.run().engine()).toJson().toString(), 0);
      }
      PholdRun.Measured sequential = PholdRun.run(s, "sequential");
      PholdRun.Measured actors = PholdRun.run(s, "actors");
      double ratio = actors.result().eventsPerSecond() / sequential.result().eventsPerSecond();
      boolean same = sequential.result().digest().equals(actors.result().digest());
      return output.publish(folder, "bench-phold.json", new Json()
          .put("sequential", sequential.toJson())
          .put("actors", actors.toJson())
          .put("ratio", ratio)
          .put("sameDigest", same).toString(), same ? 0 : Mcksim.RUN_FAILED);
    }

    private List<String> overrides() {
      List<String> o = new ArrayList<>();
      add(o, "phold.entities", entities);
      add(o, "phold.domains", domains);
      add(o, "phold.population", population);
      add(o, "phold.remote-fraction", remote);
      add(o, "phold.lookahead", lookahead);
      add(o, "phold.mean-delay", meanDelay);
      add(o, "run.end-time", endTime);
      add(o, "run.threads", threads);
      add(o, "run.engine", engine);
      add(o, "run.seed", seed);
      return o;
    }

    private static void add(List<String> overrides, String key, Object value) {
      if (value != null) {
        overrides.add(key + "=" + value);
      }
    }
  }

  /** {@code --out}: a benchmark prints its JSON, and with {@code --out} also writes it into that folder. */
  static final class Output {

    @Option(names = "--out", paramLabel = "DIR", description = "Also write the JSON into this folder (a new or "
        + "empty folder, or an earlier output of the same benchmark).")
    String out;

    /** The folder, claimed before the benchmark runs; null without {@code --out}. */
    OutputFolder claim(String kind) {
      return out == null ? null : OutputFolder.claim(out, "--out", kind);
    }

    /** Prints the JSON, writes it into the folder if there is one, and returns {@code code}. */
    int publish(OutputFolder folder, String name, String json, int code) throws IOException {
      if (folder != null) {
        folder.add(name, json + "\n").commit();
      }
      System.out.println(json);
      return code;
    }
  }
}
