package io.mcksim.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcksim.actors.engine.ClusterEngine;
import io.mcksim.actors.engine.ClusterFailure;
import io.mcksim.actors.engine.ClusterTls;
import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SimModel;
import io.mcksim.cli.Mcksim;
import io.mcksim.cli.WorkerJvms;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.machine.bsp.BspApplication;
import io.mcksim.machine.bsp.BspSetup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs spread over worker JVMs on this machine's loopback: the same 1,000-node BSP scenario gives the
 * same digest and the same figures on 1 + 3 JVMs as on one; a worker killed mid-run ends the run with
 * a failure that names it and the virtual time reached, and leaves no JVM behind.
 */
class ClusterRunTest {

  /** 1,000 McKernel nodes, 4 application threads each, offloaded writes served by noisy Linux CPUs. */
  private static final String SCENARIO = """
      workload {
        type = bsp
        bsp {
          iterations = 5
          threads-per-rank = 4
          quantum = "uniform(90us, 110us)"
          collective = allreduce-recursive-doubling
          message-size = 8B
          syscalls = [write, getpid]
          memory = 64KiB
        }
      }
      machine.nodes = 1000
      os.model = mckernel
      os.linux-noise = linux-default
      run.seed = 11
      """;

  private record CliOutcome(int code, String out, String err) {}

  private static CliOutcome cli(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Mcksim.execute(args);
      return new CliOutcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** What a report says of the run itself: report.json from its summary on (not how it was run, its meta). */
  private static String results(Path report) throws IOException {
    String json = Files.readString(report.resolve("report.json"));
    return json.substring(json.indexOf("\"summary\": "));
  }

  /** The top-level fields of a flat JSON object, as text. */
  private static Map<String, String> fields(String json) {
    Matcher m = Pattern.compile("\"([a-z_]+)\": (\\[[^\\]]*\\]|\"[^\"]*\"|[^,}]+)").matcher(json);
    Map<String, String> out = new java.util.TreeMap<>();
    while (m.find()) {
      out.put(m.group(1), m.group(2).trim());
    }
    return out;
  }

  @Test
  void aThousandNodeBspOnThreeWorkerJvmsGivesTheDigestAndFiguresOfOneJvm(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bsp.conf");
    Files.writeString(file, SCENARIO);
    CliOutcome one = cli("run", file.toString(), "--json", "--threads", "2", "--out", dir.resolve("one").toString());
    assertThat(one.code()).as(one.err()).isZero();
    CliOutcome spread = cli("run", file.toString(), "--json", "--threads", "2", "--workers", "3",
        "--worker-heap", "768m", "--out", dir.resolve("spread").toString());
    assertThat(spread.code()).as(spread.err()).isZero();

    Map<String, String> a = fields(one.out());
    Map<String, String> b = fields(spread.out());
    assertThat(a.get("event_log_digest")).hasSize(66); // quoted hex
    assertThat(b.get("event_log_digest")).as("event-log digest, seed 11").isEqualTo(a.get("event_log_digest"));
    assertThat(Long.parseLong(b.get("jvm_messages"))).isPositive();
    assertThat(a.get("jvm_messages")).isEqualTo("0");
    // every figure of the run itself is the same; only how it was run differs
    List<String> howRun = List.of("wall_s", "events_per_s", "jvm_messages", "heap_bytes", "engine", "threads",
        "config_digest");
    Map<String, String> same = a.entrySet().stream().filter(e -> !howRun.contains(e.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(b).containsAllEntriesOf(same);
    assertThat(Long.parseLong(a.get("offloads"))).isPositive();
    assertThat(Files.readString(dir.resolve("spread").resolve("bsp-iterations.csv")))
        .isEqualTo(Files.readString(dir.resolve("one").resolve("bsp-iterations.csv")));

    // and the same digest and figures on the sequential engine, the actor engine with 1 and 4 threads,
    // and two worker JVMs
    List<List<String>> ways = List.of(List.of("--set", "run.engine=sequential"), List.of("--threads", "1"),
        List.of("--threads", "4"), List.of("--threads", "2", "--workers", "2", "--worker-heap", "768m"));
    for (List<String> way : ways) {
      List<String> args = new java.util.ArrayList<>(List.of("run", file.toString(), "--json", "--out",
          dir.resolve("way" + ways.indexOf(way)).toString()));
      args.addAll(way);
      CliOutcome other = cli(args.toArray(String[]::new));
      assertThat(other.code()).as(way + ": " + other.err()).isZero();
      assertThat(fields(other.out())).as("seed 11, run " + way).containsAllEntriesOf(same);
    }
  }

  @Test
  void twoInstanceNodesRunningProgramsGiveOneDigestOnEveryEngineAndOnTwoWorkerJvms(@TempDir Path dir)
      throws IOException {
    // examples/two-instances.conf on two nodes: each node runs the programs on both its instances
    String example = Path.of("..", "examples", "two-instances.conf").toString();
    CliOutcome sequential = cli("run", example, "--json", "--set", "machine.nodes=2", "--out",
        dir.resolve("sequential").toString());
    assertThat(sequential.code()).as(sequential.err()).isZero();
    String digest = fields(sequential.out()).get("event_log_digest");
    assertThat(digest).hasSize(66); // quoted hex
    for (String threads : List.of("1", "2", "4")) {
      CliOutcome actors = cli("run", example, "--json", "--set", "machine.nodes=2", "--set", "run.engine=actors",
          "--threads", threads, "--out", dir.resolve("actors" + threads).toString());
      assertThat(actors.code()).as(actors.err()).isZero();
      assertThat(fields(actors.out()).get("event_log_digest")).as("actor engine, %s threads, seed 1", threads)
          .isEqualTo(digest);
    }
    CliOutcome spread = cli("run", example, "--json", "--set", "machine.nodes=2", "--set", "run.engine=actors",
        "--threads", "2", "--workers", "2", "--worker-heap", "512m", "--out", dir.resolve("spread").toString());
    assertThat(spread.code()).as(spread.err()).isZero();
    assertThat(fields(spread.out()).get("event_log_digest")).as("two worker JVMs, seed 1").isEqualTo(digest);
    // node 0's programs, their instances and every figure came back from the worker JVM that ran it
    assertThat(results(dir.resolve("spread")))
        .isEqualTo(results(dir.resolve("sequential")))
        .contains("\"name\": \"writer-on-mcos1\", \"pid\": 1006, \"instance\": 1");
  }

  @Test
  void aWorkerKilledMidRunEndsTheRunNamingItAndTheVirtualTimeReached(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bsp.conf");
    Files.writeString(file, SCENARIO);
    Scenario s = new ScenarioLoader().load(file, List.of());
    BspApplication machine = BspSetup.application(s);
    ClusterEngine engine = new ClusterEngine(new ClusterEngine.Settings(3, "127.0.0.1", 0, s.text()),
        WorkerJvms.onThisMachine(3, "127.0.0.1", "768m"));
    AtomicLong killed = new AtomicLong();
    long killAt = machine.idealNs() / 2; // halfway through the run, in virtual time
    RunSpec spec = RunSpec.until(Long.MAX_VALUE / 2, 2)
        .withLivenessTimeout(Duration.ofMinutes(5))
        .withProgress((time, events) -> {
          // this JVM's only children are the run's workers
          if (time >= killAt && killed.get() == 0) {
            ProcessHandle.current().children().findFirst().ifPresentOrElse(victim -> {
              killed.set(victim.pid());
              victim.destroyForcibly();
            }, () -> killed.set(-1));
          }
        });
    assertThatThrownBy(() -> engine.run(machine, spec))
        .isInstanceOf(ClusterFailure.class)
        .satisfies(e -> {
          String m = e.getMessage();
          assertThat(m).as("seed 11").contains("pid " + killed.get())
              .containsPattern("worker [0-2] of 3 \\(pekko://mcksim@127\\.0\\.0\\.1:\\d+, pid \\d+, domains \\d+-\\d+\\)")
              .containsAnyOf("died: its process exited", "became unreachable")
              .contains("nothing of it was written")
              .contains("seed 11");
          Matcher at = Pattern.compile("stopped at virtual time (\\d+) ns").matcher(m);
          assertThat(at.find()).as(m).isTrue();
          assertThat(Long.parseLong(at.group(1))).isGreaterThanOrEqualTo(killAt);
        });
    assertThat(killed.get()).isPositive();
    // the surviving workers were told to exit: none outlives the run
    for (ProcessHandle p : ProcessHandle.current().children().toList()) {
      try {
        p.onExit().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("worker JVM " + p.pid() + " did not exit after the run was abandoned", e);
      }
    }
  }

  /**
   * The path of workers on other machines: the coordinating JVM fixes its port and starts no worker;
   * two workers are started by hand with {@code mcksim worker --join HOST:PORT}. PHOLD gives the digest
   * of one JVM, and both workers exit 0 once the run is over.
   */
  @Test
  void workersStartedByHandJoinAFixedPortAndAPholdRunGivesTheOneJvmDigest(@TempDir Path dir) throws Exception {
    String[] phold = {"--set", "workload.type=phold", "--set", "phold.entities=2000", "--set", "phold.domains=8",
        "--set", "run.end-time=20us", "--set", "run.seed=5", "--json", "--threads", "2"};
    CliOutcome one = cli(concat(new String[] {"run", "--out", dir.resolve("one").toString()}, phold));
    assertThat(one.code()).as(one.err()).isZero();
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort(); // free now; the coordinating JVM binds it next
    }
    java.util.concurrent.CompletableFuture<CliOutcome> spread = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> cli(concat(new String[] {"run", "--out", dir.resolve("spread").toString(), "--workers", "2",
            "--no-spawn", "--cluster-port", Integer.toString(port)}, phold)));
    List<Process> workers = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      workers.add(new ProcessBuilder(javaCommand("worker", "--join", "127.0.0.1:" + port, "--threads", "1"))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }
    try {
      CliOutcome b = spread.get(5, TimeUnit.MINUTES);
      assertThat(b.code()).as(b.err()).isZero();
      assertThat(fields(b.out()).get("event_log_digest")).isEqualTo(fields(one.out()).get("event_log_digest"));
      assertThat(fields(b.out()).get("engine")).isEqualTo("\"cluster\"");
      for (Process w : workers) {
        assertThat(w.waitFor(60, TimeUnit.SECONDS)).as("worker %d exits", w.pid()).isTrue();
        assertThat(w.exitValue()).isZero();
      }
    } finally {
      workers.forEach(Process::destroyForcibly);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** This JVM's java, flags and class path, running the mcksim command line with {@code args}. */
  private static List<String> javaCommand(String... args) {
    return ChildJvm.mcksim(List.of(), args);
  }

  /**
   * A coordinating JVM that runs over TLS lets in only a worker with its run's keys: a worker with no keys
   * (plain TCP) and one with another run's keys both get no answer and give up (exit 1, after their join
   * timeout, a guard set short here), while the run still waits for its one worker; then a worker with
   * the run's keys joins, and the run gives the digest of one JVM.
   */
  @Test
  void aWorkerWithoutTheRunsKeysCannotJoinATlsRunAndOneWithThemCan(@TempDir Path dir) throws Exception {
    String scenario = "workload.type = phold\nphold { entities = 200, domains = 2 }\nrun { end-time = 5us, seed = 3 }\n";
    SimModel model = WorkerJvms.model(scenario);
    RunSpec spec = RunSpec.until(new ScenarioLoader().loadText(scenario, "test").run().endTimeNs(), 1)
        .withLivenessTimeout(Duration.ofMinutes(5));
    String oneJvm = Engine.named("sequential").run(model, spec).digest();
    try (ClusterTls runKeys = WorkerJvms.freshKeys(); ClusterTls otherKeys = WorkerJvms.freshKeys()) {
      int port;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        port = s.getLocalPort();
      }
      ClusterTls coordinatorKeys = ClusterTls.of(runKeys.keyStore(), runKeys.keyStorePassword(), runKeys.trustStore(),
          runKeys.trustStorePassword()); // the run closes its keys; these stay for the worker that has them
      ClusterEngine engine = new ClusterEngine(new ClusterEngine.Settings(1, "127.0.0.1", port, scenario,
          () -> coordinatorKeys), (hostPort, tls) -> List.of());
      java.util.concurrent.CompletableFuture<RunResult> run =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> engine.run(model, spec));
      List<String> shortJoin = List.of("-Dmcksim.actors.cluster.join-timeout=10s");
      String[] join = {"worker", "--join", "127.0.0.1:" + port, "--threads", "1"};
      Map<String, Process> strangers = new java.util.LinkedHashMap<>();
      for (ClusterTls keys : java.util.Arrays.asList(null, otherKeys)) {
        String name = keys == null ? "no-keys" : "other-keys";
        ProcessBuilder worker = new ProcessBuilder(ChildJvm.mcksim(shortJoin, join))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(dir.resolve(name + ".err").toFile());
        worker.environment().putAll(keysEnvironment(keys));
        strangers.put(name, worker.start());
      }
      List<Process> all = new java.util.ArrayList<>(strangers.values());
      try {
        for (Map.Entry<String, Process> stranger : strangers.entrySet()) {
          Process p = stranger.getValue();
          assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the %s worker gives up", stranger.getKey()).isTrue();
          String err = Files.readString(dir.resolve(stranger.getKey() + ".err"));
          assertThat(p.exitValue()).as(err).isEqualTo(1);
          assertThat(err).contains("no coordinating JVM at pekko://mcksim@127.0.0.1:" + port + " answered");
        }
        assertThat(run).as("the run waits for a worker it lets in").isNotDone();
        ProcessBuilder member = new ProcessBuilder(ChildJvm.mcksim(List.of(), join))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT);
        member.environment().putAll(keysEnvironment(runKeys));
        Process worker = member.start();
        all.add(worker);
        assertThat(run.get(5, TimeUnit.MINUTES).digest()).isEqualTo(oneJvm);
        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.exitValue()).isZero();
      } finally {
        all.forEach(Process::destroyForcibly);
      }
      assertThat(runKeys.keyStore()).exists();
    }
  }

  /** The environment that gives a worker {@code keys} (none for null). */
  private static Map<String, String> keysEnvironment(ClusterTls keys) {
    return keys == null ? Map.of() : Map.of("MCKSIM_KEY_STORE", keys.keyStore().toString(),
        "MCKSIM_KEY_STORE_PASSWORD", keys.keyStorePassword(), "MCKSIM_TRUST_STORE", keys.trustStore().toString(),
        "MCKSIM_TRUST_STORE_PASSWORD", keys.trustStorePassword());
  }

  @Test
  void moreWorkersThanNodesOrAWorkloadThatCannotSpreadIsRefusedBeforeAnyJvmStarts(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("bsp.conf");
    Files.writeString(file, SCENARIO.replace("machine.nodes = 1000", "machine.nodes = 2"));
    CliOutcome tooMany = cli("run", file.toString(), "--workers", "3", "--out", dir.resolve("r").toString());
    assertThat(tooMany.code()).isEqualTo(2);
    assertThat(tooMany.err()).contains("--workers 3: the scenario has 2 nodes", "use at most 2");
    CliOutcome showcase = cli("run", "--workers", "2", "--out", dir.resolve("r").toString());
    assertThat(showcase.code()).isEqualTo(2);
    assertThat(showcase.err()).contains("workload.type = showcase runs in one JVM", "Drop --workers");
    assertThat(dir.resolve("r")).doesNotExist();
    assertThat(ProcessHandle.current().children().count()).isZero();
  }
}
