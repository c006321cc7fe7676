package io.mcksim.machine.bsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.linux.noise.NoiseTimeline;
import io.mcksim.linux.noise.PeriodicTick;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.net.Collective;
import io.mcksim.workloads.net.LogGP;
import io.mcksim.workloads.net.NoiselessBsp;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The BSP machine against closed forms, the direct noiseless computation, and itself on 1-4 threads. */
class BspMachineTest {

  /** L = 1us, o = 200ns, g = 100ns, G = 0.08 ns/B: an 8-byte message's point-to-point time is 1401ns. */
  static final LogGP NET = new LogGP(1_000, 200, 100, 0.08);
  static final LogGP SHM = new LogGP(300, 200, 100, 0.08);
  static final long Q = 1_000_000;
  static final long B = 200;

  static BspPlan plan(int nodes, int ranks, int threads, int iterations, Collective c, List<BspPlan.Call> calls,
      int linuxCpus) {
    int[] app = IntStream.range(linuxCpus, linuxCpus + ranks * threads).toArray();
    int[] linux = IntStream.range(0, linuxCpus).toArray();
    return new BspPlan("mckernel", nodes, ranks, threads, app, linux, iterations,
        new BspPlan.Quantum("fixed", Q, Q), calls, c, 8, NET, SHM, B, 42);
  }

  static final BspMachine.CpuNoise QUIET = (node, cpu) -> null;

  /** Runs on the actor engine with {@code threads} threads, or on the sequential engine for 0. */
  static RunResult run(BspMachine m, int threads) {
    RunSpec spec = RunSpec.until(Long.MAX_VALUE / 2, Math.max(1, threads));
    return Engine.named(threads == 0 ? "sequential" : "actors").run(m, spec);
  }

  @ParameterizedTest
  @EnumSource(Collective.class)
  void aNoiselessRunTakesIterationsTimesQuantumPlusTheClosedFormCollective(Collective c) {
    // a broadcast does not synchronise: the root goes on before the leaves have heard; one iteration
    int iterations = c == Collective.BROADCAST ? 1 : 5;
    for (int p : new int[] {1, 2, 8, 32}) {
      BspMachine m = new BspMachine(plan(p, 1, 1, iterations, c, List.of(), 0), QUIET, QUIET);
      run(m, 0);
      long collective = c.closedFormNs(p, NET, 8);
      assertThat(m.outcome().runtimeNs()).as("%s over %d ranks", c, p)
          .isEqualTo(iterations * (Q + collective));
      assertThat(m.outcome().iterationNs()).as("%s over %d ranks", c, p).containsOnly(Q + collective);
      assertThat(m.idealNs()).isEqualTo(m.outcome().runtimeNs());
    }
  }

  @Test
  void threadsOfARankAddTheBarrierArrivalAndRelease() {
    BspMachine m = new BspMachine(plan(16, 1, 8, 4, Collective.ALLREDUCE_RECURSIVE_DOUBLING, List.of(), 0),
        QUIET, QUIET);
    run(m, 2);
    assertThat(m.outcome().runtimeNs()).isEqualTo(4 * (Q + 2 * B + 4 * 1_401L));
  }

  @Test
  void recursiveDoublingAllreduceIsLog2PRoundsOfThePointToPointCost() {
    long p2p = 2 * 200 + 1_000 + Math.round(7 * 0.08); // 2o + L + (m-1)G for 8 bytes
    for (int k = 1; k <= 9; k++) {
      BspMachine m = new BspMachine(plan(1 << k, 1, 1, 1, Collective.ALLREDUCE_RECURSIVE_DOUBLING,
          List.of(), 0), QUIET, QUIET);
      run(m, 2);
      assertThat(m.outcome().runtimeNs() - Q).as("P=%d", 1 << k).isEqualTo(k * p2p);
    }
  }

  /**
   * With a tree allreduce, the last rank (P-1) heads the longest chain of the reduce and ends the
   * broadcast's longest chain, so whatever noise takes from it, every iteration loses exactly that.
   */
  @Test
  void aSingleNoisyRankDelaysEveryIterationByItsOwnStolenTime() {
    int p = 16;
    BspPlan plan = plan(p, 1, 1, 8, Collective.ALLREDUCE_TREE, List.of(), 0);
    // a 7us interruption every 300us on the last node's CPU only: 3 or 4 per iteration, some during
    // sends and receives
    BspMachine.CpuNoise noisy = (node, cpu) -> node == p - 1
        ? new NoiseTimeline(List.of(new PeriodicTick(300_000, 7_000, 1_234))) : null;
    BspMachine m = new BspMachine(plan, noisy, QUIET);
    run(m, 2);
    long ideal = Q + Collective.ALLREDUCE_TREE.closedFormNs(p, NET, 8);
    long[][] record = m.rankRecord(p - 1);
    long[] it = m.outcome().iterationNs();
    long before = 0;
    for (int i = 0; i < it.length; i++) {
      long stolen = record[1][i] - before;
      before = record[1][i];
      assertThat(stolen).as("iteration %d", i).isPositive();
      assertThat(it[i]).as("iteration %d", i).isEqualTo(ideal + stolen);
    }
    assertThat(m.outcome().runtimeNs()).isEqualTo(m.idealNs() + m.outcome().stolenNs());
  }

  @Test
  void noiselessRunsMatchTheDirectComputationForEveryShape() {
    for (Collective c : Collective.values()) {
      for (int[] shape : new int[][] {{3, 1, 1}, {5, 2, 3}, {6, 3, 1}, {7, 1, 2}, {12, 2, 2}}) {
        BspPlan plan = plan(shape[0], shape[1], shape[2], 3, c, List.of(), 0);
        BspMachine m = new BspMachine(plan, QUIET, QUIET);
        run(m, 2);
        long barrier = shape[2] > 1 ? B : 0;
        long direct = new NoiselessBsp(c, plan.ranks(), shape[1], NET, SHM, 8).runtime(3, Q + barrier, barrier);
        assertThat(m.outcome().runtimeNs()).as("%s %d nodes x %d ranks x %d threads", c, shape[0], shape[1],
            shape[2]).isEqualTo(direct).isEqualTo(m.idealNs());
      }
    }
  }

  @Test
  void offloadedCallsQueueOnTheNodesLinuxCpu() {
    Scenario s = new ScenarioLoader().defaults();
    BspPlan.Call write = BspSetup.call(s, "mckernel", io.mcksim.mckernel.SyscallTable.defaultTable(), "write");
    assertThat(write.where()).isEqualTo("offloaded");
    // the stages the syscalls microbenchmark reports for an offloaded write: 3450ns on idle CPUs
    assertThat(write.uncontendedNs()).isEqualTo(3_450);
    BspPlan plan = new BspPlan("mckernel", 1, 1, 4, new int[] {1, 2, 3, 4}, new int[] {0}, 3,
        new BspPlan.Quantum("fixed", Q, Q), List.of(write), Collective.NONE, 8, NET, SHM, B, 1);
    BspMachine m = new BspMachine(plan, QUIET, QUIET);
    run(m, 1);
    // four requests reach the one Linux CPU together and are served one after another
    long last = write.cpuNs() + write.tripNs() + 4 * write.linuxNs() + write.resumeNs();
    assertThat(m.outcome().iterationNs()).containsOnly(Q + last + 2 * B);
    assertThat(m.outcome().offloads()).isEqualTo(12);
    assertThat(m.outcome().linuxBusyNs()).isEqualTo(12 * write.linuxNs());
    assertThat(m.idealNs()).isEqualTo(3 * (Q + 3_450 + 2 * B)).isLessThan(m.outcome().runtimeNs());
  }

  @Test
  void callsRunWhereEachModelRunsThem() {
    Scenario s = new ScenarioLoader().defaults();
    var table = io.mcksim.mckernel.SyscallTable.defaultTable();
    assertThat(BspSetup.call(s, "mckernel", table, "getpid"))
        .isEqualTo(BspPlan.Call.inPlace("getpid", "local", 40));
    assertThat(BspSetup.call(s, "linux", table, "write"))
        .isEqualTo(BspPlan.Call.inPlace("write", "native", 1_100));
  }

  @Test
  void aThousandNodeRunGivesOneDigestOnOneTwoAndFourThreadsAndSequentially() {
    Scenario s = new ScenarioLoader().load(null, List.of("workload.type=bsp", "machine.nodes=1000",
        "os.model=linux", "workload.bsp.iterations=3", "workload.bsp.quantum=\"uniform(90us, 110us)\"",
        "workload.bsp.ranks-per-node=2", "workload.bsp.threads-per-rank=4",
        "workload.bsp.syscalls=[write, getpid]", "run.seed=7"));
    String digest = null;
    long runtime = -1;
    for (int threads : new int[] {0, 1, 2, 4}) {
      BspMachine m = BspSetup.machine(s);
      RunResult r = run(m, threads);
      if (digest == null) {
        digest = r.digest();
        runtime = m.outcome().runtimeNs();
        assertThat(m.outcome().stolenNs()).isPositive();
        assertThat(runtime).isGreaterThan(m.idealNs());
      }
      assertThat(r.digest()).as("seed 7, %d threads", threads).isEqualTo(digest);
      assertThat(m.outcome().runtimeNs()).isEqualTo(runtime);
    }
  }

  @Test
  void mckernelWithOffloadsGivesOneDigestWhateverTheThreads() {
    Scenario s = new ScenarioLoader().load(null, List.of("workload.type=bsp", "machine.nodes=32",
        "workload.bsp.iterations=3", "workload.bsp.quantum=\"exponential(50us)\"",
        "workload.bsp.collective=allreduce-tree", "workload.bsp.syscalls=[write, getpid, read]",
        "run.seed=11"));
    BspMachine a = BspSetup.machine(s);
    BspMachine b = BspSetup.machine(s);
    assertThat(run(a, 0).digest()).as("seed 11").isEqualTo(run(b, 2).digest());
    assertThat(a.outcome().offloads()).isEqualTo(32L * 64 * 3 * 2);
    assertThat(a.outcome().runtimeNs()).isEqualTo(b.outcome().runtimeNs());
  }
}
