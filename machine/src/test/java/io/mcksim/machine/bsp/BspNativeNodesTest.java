package io.mcksim.machine.bsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.linux.LinuxCpu;
import io.mcksim.linux.LinuxService;
import io.mcksim.machine.HybridModel;
import io.mcksim.workloads.LatencyLog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BSP under Linux, Argo and L4Linux on the full node model: ranks are Linux processes whose threads run
 * natively on real Linux CPUs; under L4Linux their calls go by IPC to the Linux server's CPUs, where
 * they queue. Without noise a run takes exactly its ideal; every engine gives one
 * digest.
 */
class BspNativeNodesTest {

  static Scenario scenario(String os, String... overrides) {
    List<String> all = new ArrayList<>(List.of("workload.type=bsp", "os.model=" + os, "run.seed=7"));
    all.addAll(List.of(overrides));
    return new ScenarioLoader().load(null, all);
  }

  /** No noise anywhere: on the application's CPUs, Argo's, L4's, and the Linux server's. */
  static final String[] QUIET = {"os.linux-noise=none", "os.models.argo.noise=none", "os.models.l4linux.noise=none"};

  /** Four nodes of two ranks of four threads, quanta drawn at random, two calls an iteration. */
  static final String[] SHAPE = {"machine.nodes=4", "workload.bsp.ranks-per-node=2",
      "workload.bsp.threads-per-rank=4", "workload.bsp.iterations=5",
      "workload.bsp.quantum=\"uniform(90us, 110us)\"", "workload.bsp.syscalls=[write, getpid]"};

  static RunResult run(BspApplication m, String engine, int threads) {
    return Engine.named(engine).run(m, RunSpec.until(Long.MAX_VALUE / 2, threads));
  }

  static String[] join(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }

  /**
   * Noiseless, with every thread's quantum fixed and one server CPU per thread under L4Linux: a run takes
   * exactly its ideal (each quantum, each call at its uncontended cost, the barriers, the collective).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"linux", "argo", "l4linux"})
  void aNoiselessRunTakesExactlyItsIdeal(String os) {
    Scenario s = scenario(os, join(join(SHAPE, QUIET), "workload.bsp.ranks-per-node=1",
        "workload.bsp.quantum=\"fixed(100us)\""));
    BspApplication nodes = BspSetup.application(s);
    assertThat(nodes).isInstanceOf(BspNodes.class);
    run(nodes, "sequential", 1);
    assertThat(nodes.outcome().runtimeNs()).as(os).isEqualTo(nodes.idealNs());
    assertThat(nodes.outcome().calls()).isEqualTo(4L * 4 * 5 * 2);
    assertThat(nodes.outcome().offloads()).as(os + ": calls served by the Linux server")
        .isEqualTo(os.equals("l4linux") ? nodes.outcome().calls() : 0);
    assertThat(nodes.outcome().unfinished()).isZero();
  }

  @Test
  void underL4LinuxEveryCallIsAnIpcToTheServerAndBack() {
    Scenario s = scenario("l4linux", join(QUIET, "workload.bsp.threads-per-rank=1", "workload.bsp.iterations=1",
        "workload.bsp.syscalls=[write]"));
    BspNodes m = BspNodes.of(s);
    run(m, "sequential", 1);
    long ipc = s.os().models().l4linux().ipcNs();
    assertThat(slowest(m, "write")).isEqualTo(ipc + s.syscalls().linuxEntry() + s.syscalls().linux("write") + ipc);
    assertThat(m.outcome().offloads()).isEqualTo(1);
  }

  /**
   * The Linux server crashes while it serves a call (L4Linux): that call fails, its thread goes on, and the
   * server's late answer is taken for no later call.
   */
  @Test
  void aCallTheCrashedLinuxServerHeldFailsAndTheThreadGoesOn() {
    Scenario s = scenario("l4linux", join(QUIET, "workload.bsp.threads-per-rank=1", "workload.bsp.iterations=3",
        "workload.bsp.syscalls=[write]"));
    BspNodes m = BspNodes.of(s);
    HybridModel node = m.model();
    SequentialEngine.Session run = SequentialEngine.open(m);
    while (holding(node, run.now() + 10 * LinuxService.HOP) < 0) {
      run.advanceTo(run.now() + 100);
    }
    int server = holding(node, run.now() + 10 * LinuxService.HOP);
    run.inject(node.linuxServiceEntity(server), 0, new LinuxService.Crash(1));
    run.advanceTo(Long.MAX_VALUE / 2);
    assertThat(node.linuxService(server).failedHeld()).isEqualTo(1);
    long failed = 0;
    for (int k = 0; k < node.nativeThreads(); k++) {
      failed += node.nativeCpu(k).failedServerCalls();
      assertThat(node.nativeCpu(k).exitTime()).as("thread %d ends", k).isNotNegative();
    }
    assertThat(failed).isEqualTo(1);
  }

  /** The first of node 0's Linux CPUs that holds a job ending after {@code time}, or -1. */
  private static int holding(HybridModel node, long time) {
    for (int k = 0; k < node.linuxServiceCount(); k++) {
      if (node.linuxService(k).holding(time) > 0) {
        return k;
      }
    }
    return -1;
  }

  /**
   * N threads that call at once on a node whose Linux server has one CPU: it serves the calls first
   * come first served, so the last returns (N - 1) service times after a lone call would.
   */
  @Test
  void callsOfManyThreadsQueueOnTheServersCpuAsAFifoQueue() {
    String oneServerCpu = "partition.instances=[{cpus = \"1-67\", memory = \"32G@0\", ikc-map = \"\"}]";
    Scenario one = scenario("l4linux", join(QUIET, oneServerCpu, "workload.bsp.threads-per-rank=1",
        "workload.bsp.iterations=1", "workload.bsp.syscalls=[write]", "workload.bsp.quantum=\"fixed(1ms)\""));
    BspNodes lone = BspNodes.of(one);
    run(lone, "sequential", 1);
    long alone = slowest(lone, "write");
    long service = one.syscalls().linuxEntry() + one.syscalls().linux("write");
    for (int n : new int[] {2, 8, 32}) {
      Scenario s = scenario("l4linux", join(QUIET, oneServerCpu, "workload.bsp.threads-per-rank=" + n,
          "workload.bsp.iterations=1", "workload.bsp.syscalls=[write]", "workload.bsp.quantum=\"fixed(1ms)\""));
      BspNodes m = BspNodes.of(s);
      run(m, "sequential", 1);
      assertThat(slowest(m, "write")).as("%d threads", n).isEqualTo(alone + (n - 1) * service);
    }
  }

  /** The largest latency of {@code call} over the machine's Linux CPUs. */
  static long slowest(BspNodes m, String call) {
    long max = 0;
    for (var e : m.model().createdEntities()) {
      if (e instanceof LinuxCpu cpu && cpu.latencies().containsKey(call)) {
        LatencyLog log = cpu.latencies().get(call);
        max = Math.max(max, log.max());
      }
    }
    return max;
  }

  @Test
  void aNoisyLinuxRunOfSixteenNodesGivesOneDigestOnEveryEngineAndThreadCount() {
    Scenario s = scenario("linux", "machine.nodes=16", "workload.bsp.threads-per-rank=4",
        "workload.bsp.ranks-per-node=2", "workload.bsp.iterations=3",
        "workload.bsp.quantum=\"uniform(100us, 200us)\"", "workload.bsp.syscalls=[getpid, write]");
    BspApplication first = BspSetup.application(s);
    RunResult r = run(first, "sequential", 1);
    assertThat(first.outcome().stolenNs()).as("os.linux-noise = linux-default").isPositive();
    for (int threads : new int[] {1, 2, 4}) {
      BspApplication m = BspSetup.application(s);
      assertThat(run(m, "actors", threads).digest()).as("seed 7, %d threads", threads).isEqualTo(r.digest());
      assertThat(m.outcome().iterationEndNs()).containsExactly(first.outcome().iterationEndNs());
    }
  }
}
