package io.mcksim.cli;

import io.mcksim.config.Scenario;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mcksim bench ...}: macro benchmarks, each against a baseline measured in the same run; their
 * figures printed as one JSON object, and written as a report (see {@link BenchReports}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Macro benchmarks of mcksim, each against a baseline measured in the same run: the figures "
        + "as one JSON object on stdout, and a report folder (report.json, CSV, report.html with the chart).",
    subcommands = {BenchCommand.PholdBench.class, BenchCommand.BspBench.class,
        BenchCommand.IkcBenchCommand.class, BenchCommand.FuzzBench.class, BenchCommand.ChaosBenchCommand.class})
final class BenchCommand {

  /** {@code mcksim bench fuzz}: mutants of the shipped examples through config (and run); see {@link ScenarioMutants}. */
  @Command(name = "fuzz", mixinStandardHelpOptions = true,
      description = "Mutate the example scenarios (a line deleted, duplicated or swapped; a number made 0, -1, "
          + "huge or no number; the file cut short), one mutant per seed, and run each through `config FILE` "
          + "(and `run FILE` with --run): each must end with exit 0 or 2 and no stack trace. Prints counts by "
          + "exit code and mutation and the failures with their seeds, and writes the report (each failing "
          + "mutant's file in it as it is found).",
      exitCodeList = "1:a mutant ended otherwise (another status, or a stack trace), or the run failed")
  static final class FuzzBench implements Callable<Integer> {

    @Option(names = "--mutants", paramLabel = "N", description = "Mutants, 1 to 1,000,000,000 (default "
        + "${DEFAULT-VALUE}).")
    long mutants = 1_000;

    @Option(names = "--seed", paramLabel = "S", description = "The first mutant's seed; the others follow "
        + "(default ${DEFAULT-VALUE}). Seed s mutates example s mod the number of examples.")
    long seed = 1;

    @Option(names = "--run", description = "Also run each mutant that config accepts and that keeps its "
        + "example's workload.type (--quiet, its report into a temporary folder, then deleted).")
    boolean run;

    @Option(names = "--example", paramLabel = "NAME", description = "Mutate only this example (repeatable), "
        + "e.g. syscalls.")
    List<String> only = new ArrayList<>();

    @Option(names = "--examples-dir", paramLabel = "DIR", description = "The examples' folder (default "
        + "${DEFAULT-VALUE}).")
    java.nio.file.Path examples = java.nio.file.Path.of("examples");

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Guard timeout of each command, 1 to "
        + "86400 (default ${DEFAULT-VALUE}); a command still running is reported as a hang.")
    long timeout = 300;

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default ${DEFAULT-VALUE}; a new or "
        + "empty folder, or an earlier report of bench fuzz); the failing mutants are in its mutants/ folder.")
    String out = "mcksim-fuzz";

    @Mixin
    ResultOutput output;

    @Override
    public Integer call() throws IOException {
      try (OutputFolder folder = OutputFolder.claim(out, "--out", "bench fuzz")) {
        ScenarioMutants.Fuzzed f = ScenarioMutants.fuzz(examples, only, seed, mutants, run, timeout, folder);
        // the campaign is not a scenario: the report keeps the defaults
        Report report = new Report(ReportKinds.BENCH_FUZZ, new io.mcksim.config.ScenarioLoader().load(null,
            List.of()));
        BenchReports.fuzz(report, f);
        String summary = "fuzz: seeds " + seed + ".." + (seed + f.mutants() - 1) + (run ? ", config and run: "
            : ", config: ") + f.campaign().summary();
        return Output.publish(output, folder, report, summary.stripTrailing(),
            f.campaign().failures().isEmpty() && !f.campaign().stopped() ? 0 : Mcksim.RUN_FAILED);
      }
    }
  }

  /** {@code mcksim bench chaos}: seeds per hour of a chaos campaign against the same seeds with faults off. */
  @Command(name = "chaos", mixinStandardHelpOptions = true,
      description = "Seeds per hour and events per second of a chaos campaign (every checker on), next to a "
          + "baseline measured in the same run: the same scenario and seeds with every fault switched off; "
          + "prints both and their ratios (JSON) and writes the report.",
      exitCodeList = "1:a seed broke an invariant, or the run failed")
  static final class ChaosBenchCommand implements Callable<Integer> {

    @picocli.CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
        description = "The chaos scenario (default ${DEFAULT-VALUE}: 4 nodes, at least three faults a run).")
    java.nio.file.Path file = java.nio.file.Path.of("examples", "chaos-bench.conf");

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key (repeatable).")
    List<String> set = new ArrayList<>();

    @Option(names = "--seeds", paramLabel = "A..B", description = "The seeds of each campaign (default "
        + "${DEFAULT-VALUE}); 20 more of each run first, unmeasured, to warm up.")
    String seeds = "1..200";

    @Option(names = "--threads", paramLabel = "K", description = "Seeds run at once, 0-1024 (default 0: one "
        + "per core).")
    int threads;

    @Mixin
    Output output;

    @Override
    public Integer call() throws IOException {
      io.mcksim.machine.chaos.SeedRange range = io.mcksim.machine.chaos.SeedRange.parse("--seeds", seeds);
      Options.threads("--threads", threads);
      try (OutputFolder folder = output.claim("bench chaos")) {
        Scenario chaos = new io.mcksim.config.ScenarioLoader().load(file, set);
        List<String> off = new ArrayList<>(set);
        off.addAll(ChaosBench.faultsOff());
        Scenario baseline = new io.mcksim.config.ScenarioLoader().load(file, off);
        new io.mcksim.machine.chaos.ChaosMachine(chaos); // refuses a job that does not fit, before anything runs
        int k = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        ChaosBench.Result r = ChaosBench.run(chaos, baseline, range, k);
        Report report = new Report(ReportKinds.BENCH_CHAOS, chaos);
        report.lead("Seeds per hour and events per second of a chaos campaign of " + file + " (every checker on), "
            + "against a baseline measured in the same run: the same scenario and seeds with every fault switched "
            + "off. Each ran " + ChaosBench.WARM_UP_SEEDS + " seeds unmeasured first, then " + ChaosBench.ROUNDS
            + " rounds alternating with the other; each keeps its fastest round.");
        r.fill(report);
        return output.publish(folder, report, r.json().put("scenario", file.toString()),
            r.clean() ? 0 : Mcksim.RUN_FAILED);
      }
    }
  }

  /** {@code mcksim bench ikc}: IKC channels against a plain actor-to-actor baseline. */
  @Command(name = "ikc", mixinStandardHelpOptions = true,
      description = "Packets per second through 1 and 64 IKC channels (capacity 64) on the actor engine, "
          + "next to plain actor-to-actor messaging measured in the same run; a flood through one channel "
          + "into a slow reader (peak heap, digest against the sequential engine); bytes per idle and "
          + "active channel over 100,000 channels.")
  static final class IkcBenchCommand implements Callable<Integer> {

    /** The most packets per channel {@code --packets} and {@code --flood} accept. */
    static final long MAX_PACKETS = 1_000_000_000L;

    @Option(names = "--packets", paramLabel = "N", description = "Packets per channel, 1-1000000000 (default "
        + "${DEFAULT-VALUE}).")
    long packets = 1_000_000;

    @Option(names = "--flood", paramLabel = "N", description = "Packets of the flood through one channel, "
        + "1-1000000000 (default ${DEFAULT-VALUE}).")
    long flood = 10_000_000;

    @Option(names = "--threads", paramLabel = "K", description = "Dispatcher threads, 0-1024; 0: one per core.")
    int threads;

    @Mixin
    Output output;

    @Override
    public Integer call() throws IOException {
      Options.inRange("--packets", packets, 1, MAX_PACKETS);
      Options.inRange("--flood", flood, 1, MAX_PACKETS);
      Options.threads("--threads", threads);
      try (OutputFolder folder = output.claim("bench ikc")) {
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        // the benchmark is not a scenario: the report keeps the defaults with its engine and threads
        Scenario s = new io.mcksim.config.ScenarioLoader().load(null, List.of("run.engine=actors",
            "run.threads=" + t));
        Json result = IkcBench.run(packets, flood, t);
        Report report = new Report(ReportKinds.BENCH_IKC, s);
        report.lead("Packets per second through IKC channels on the actor engine, against producer and consumer "
            + "actors exchanging as many plain messages with the same window of 64 (the baseline, measured in the "
            + "same run); a flood through one channel into a slow reader; the bytes of a channel. The benchmark "
            + "does not read the scenario: its configuration below is the defaults, and its own parameters are "
            + "in the summary.");
        BenchReports.ikc(report, result);
        return output.publish(folder, report, result, 0);
      }
    }
  }

  /** {@code mcksim bench bsp}: the BSP machine on one engine, or on both with {@code --compare}. */
  @Command(name = "bsp", mixinStandardHelpOptions = true,
      description = "A BSP run (workload.type = bsp; defaults from the scenario) on the actor or sequential "
          + "engine; every application CPU is an entity.",
      exitCodeList = "1:the engines gave different digests with --compare, or the run failed")
  static final class BspBench implements Callable<Integer> {

    @Option(names = "--nodes", paramLabel = "N", description = "Nodes, as machine.nodes (default "
        + "${DEFAULT-VALUE}).")
    int nodes = 1_000;

    @Option(names = "--os", paramLabel = "MODEL", description = "mckernel or linux, as os.model (default "
        + "${DEFAULT-VALUE}).")
    String os = "mckernel";

    @Option(names = "--iterations", paramLabel = "N", description = "Iterations, as workload.bsp.iterations "
        + "(default ${DEFAULT-VALUE}).")
    int iterations = 10;

    @Option(names = "--threads", paramLabel = "K", description = "Threads of the actor engine's dispatcher, as "
        + "run.threads (0-1024; 0: one per core).")
    int threads;

    @Option(names = "--engine", paramLabel = "NAME", description = "actors or sequential, as run.engine (default "
        + "${DEFAULT-VALUE}).")
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
      Options.Keys keys = Options.keys().put("--nodes", "machine.nodes", nodes).put("--os", "os.model", os)
          .put("--iterations", "workload.bsp.iterations", iterations).put("--threads", "run.threads", threads)
          .put("--engine", "run.engine", engine);
      List<String> o = new ArrayList<>(List.of("workload.type=bsp"));
      o.addAll(keys.overrides());
      o.addAll(set);
      Scenario s = keys.load(() -> new io.mcksim.config.ScenarioLoader().load(null, o));
      Report report = new Report(ReportKinds.BENCH_BSP, s);
      if (!compare) {
        BspRun.Measured m = BspRun.run(s, engine, PholdRun.threads(s, engine), null, true);
        BenchReports.bsp(report, List.of(m));
        return output.publish(folder, report, json(m), 0);
      }
      BspRun.Measured sequential = BspRun.run(s, "sequential", 1, null, false);
      BspRun.Measured actors = BspRun.run(s, "actors", PholdRun.threads(s, "actors"), null, false);
      boolean same = sequential.result().digest().equals(actors.result().digest());
      BenchReports.bsp(report, List.of(sequential, actors));
      return output.publish(folder, report, new Json()
          .put("sequential", json(sequential))
          .put("actors", json(actors))
          .put("ratio", actors.result().eventsPerSecond() / sequential.result().eventsPerSecond())
          .put("sameDigest", same), same ? 0 : Mcksim.RUN_FAILED);
    }

    private static Json json(BspRun.Measured m) {
      return new Json().put("engine", m.result().engine()).put("threads", m.result().threads())
          .put("os", m.plan().os()).put("nodes", m.plan().nodes()).put("cpus", m.cpus())
          .put("events", m.result().events()).put("wallSeconds", m.result().wallSeconds())
          .put("eventsPerSecond", m.result().eventsPerSecond()).put("runtimeNs", m.outcome().runtimeNs())
          .put("heapBytes", m.heapBytes())
          .put("bytesPerCpu", m.heapBytes() == 0 ? 0 : m.heapBytes() / Math.max(1, m.cpus()))
          .put("digest", m.result().digest());
    }
  }

  /** {@code mcksim bench phold}: PHOLD on one engine, or on both with {@code --compare}. */
  @Command(name = "phold", mixinStandardHelpOptions = true,
      description = "PHOLD on the actor or sequential engine. Defaults come from the scenario's phold "
          + "and run sections (see `mcksim config`).",
      exitCodeList = "1:two runs gave different digests (the engines with --compare, or two rounds), or a run failed")
  static final class PholdBench implements Callable<Integer> {

    @Option(names = "--entities", paramLabel = "N", description = "Entities (each an actor), as phold.entities.")
    Integer entities;

    @Option(names = "--domains", paramLabel = "D", description = "Domains the entities are spread over, as "
        + "phold.domains.")
    Integer domains;

    @Option(names = "--population", paramLabel = "P", description = "Initial events per entity, as "
        + "phold.population.")
    Integer population;

    @Option(names = "--remote", paramLabel = "F", description = "Fraction of events sent to other domains, as "
        + "phold.remote-fraction.")
    Double remote;

    @Option(names = "--lookahead", paramLabel = "T", description = "Fixed delay part and lookahead, e.g. 1us, as "
        + "phold.lookahead.")
    String lookahead;

    @Option(names = "--mean-delay", paramLabel = "T", description = "Mean exponential delay part, e.g. 1us, as "
        + "phold.mean-delay.")
    String meanDelay;

    @Option(names = "--end-time", paramLabel = "T", description = "Virtual end time, e.g. 100us (bare number: ns), as "
        + "run.end-time.")
    String endTime;

    @Option(names = "--threads", paramLabel = "K", description = "Threads of the dispatcher that runs the entities, as "
        + "run.threads (0-1024; 0: one per core).")
    Integer threads;

    @Option(names = "--engine", paramLabel = "NAME", description = "actors or sequential, as run.engine.")
    String engine;

    @Option(names = "--seed", paramLabel = "S", description = "Run seed, as run.seed.")
    Long seed;

    @Option(names = "--compare",
        description = "Run both engines on the same model in this process; print both and the ratio "
            + "(actors events/s over sequential events/s).")
    boolean compare;

    /** The most rounds {@code --rounds} accepts. */
    static final int MAX_ROUNDS = 100;

    @Option(names = "--rounds", paramLabel = "N", description = "Runs of each engine, 1-" + MAX_ROUNDS
        + " (default ${DEFAULT-VALUE}); with --compare the engines alternate, the sequential one first. Each "
        + "engine keeps its fastest run, and every run must give the same digest.")
    int rounds = 3;

    @Mixin
    Output output;

    @Override
    public Integer call() throws IOException {
      Options.inRange("--rounds", rounds, 1, MAX_ROUNDS);
      try (OutputFolder folder = output.claim("bench phold")) {
        return bench(folder);
      }
    }

    private int bench(OutputFolder folder) throws IOException {
      Options.Keys keys = overrides();
      Scenario s = keys.load(() -> new io.mcksim.config.ScenarioLoader().load(null, keys.overrides()));
      Report report = new Report(ReportKinds.BENCH_PHOLD, s);
      List<String> engines = compare ? List.of("sequential", "actors") : List.of(s.run().engine());
      List<PholdRun.Measured> runs = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        for (String engine : engines) {
          runs.add(PholdRun.run(s, engine));
        }
      }
      List<PholdRun.Measured> kept = engines.stream().map(e -> PholdRun.fastest(runs, e)).toList();
      String digest = runs.get(0).result().digest();
      boolean same = runs.stream().allMatch(m -> m.result().digest().equals(digest));
      BenchReports.phold(report, runs, kept);
      if (!compare) {
        return output.publish(folder, report, kept.get(0).toJson(runs).put("rounds", rounds)
            .put("sameDigest", same), same ? 0 : Mcksim.RUN_FAILED);
      }
      PholdRun.Measured sequential = kept.get(0);
      PholdRun.Measured actors = kept.get(1);
      double ratio = actors.result().eventsPerSecond() / sequential.result().eventsPerSecond();
      return output.publish(folder, report, new Json()
          .put("sequential", sequential.toJson(runs))
          .put("actors", actors.toJson(runs))
          .put("ratio", ratio)
          .put("rounds", rounds)
          .put("sameDigest", same), same ? 0 : Mcksim.RUN_FAILED);
    }

    private Options.Keys overrides() {
      return Options.keys()
          .put("--entities", "phold.entities", entities)
          .put("--domains", "phold.domains", domains)
          .put("--population", "phold.population", population)
          .put("--remote", "phold.remote-fraction", remote)
          .put("--lookahead", "phold.lookahead", lookahead)
          .put("--mean-delay", "phold.mean-delay", meanDelay)
          .put("--end-time", "run.end-time", endTime)
          .put("--threads", "run.threads", threads)
          .put("--engine", "run.engine", engine)
          .put("--seed", "run.seed", seed);
    }
  }

  /**
   * {@code --out}, {@code --json} and {@code --quiet} of a benchmark: its report folder (the one report
   * contract: report.json, a CSV per table, report.html), and its figures on the console as one JSON
   * object, or report.json with {@code --json}, or nothing with {@code --quiet}.
   */
  static final class Output extends ResultOutput {

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default mcksim-bench-NAME, NAME "
        + "the benchmark's; a new or empty folder, or an earlier report of the same benchmark).")
    String out;

    /** The folder, claimed before the benchmark runs. */
    OutputFolder claim(String kind) {
      return OutputFolder.claim(out != null ? out : "mcksim-" + kind.replace(' ', '-'), "--out", kind);
    }

    /**
     * Writes the report, prints the benchmark's figures (or report.json with {@code --json}), says where the
     * report is on standard error (standard output stays one JSON object), and returns {@code code}.
     */
    int publish(OutputFolder folder, Report report, Json figures, int code) throws IOException {
      return publish(this, folder, report, figures, code);
    }

    /**
     * The same for any command's {@code output}: its {@code figures} are the benchmark's JSON object or its text
     * summary.
     */
    static int publish(ResultOutput output, OutputFolder folder, Report report, Object figures, int code)
        throws IOException {
      java.nio.file.Path where = report.write(folder);
      output.console().println(figures);
      output.printJson(report.json());
      if (output.text()) {
        System.err.println("mcksim: report: " + where.resolve("report.html") + " (report.json, "
            + String.join(", ", report.files().subList(2, report.files().size()))
            + (folder.streamedFiles().isEmpty() ? "" : ", and " + folder.streamedFiles().size() + " file"
                + (folder.streamedFiles().size() == 1 ? "" : "s") + " written as it ran") + ")");
      }
      return code;
    }
  }
}
