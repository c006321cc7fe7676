package io.mcksim.machine.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.ChaosSettings;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioException;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.mckernel.McKernelCpu;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A chaos job that is a BSP application spanning the machine ({@code workload.type = bsp}), on the real
 * node: a node that loses its ranks ends the launch on every node; under {@code fail} the job fails
 * machine-wide, under {@code requeue} every rank runs again from the start once the node is back, in
 * exactly the time an undisturbed launch takes; a lost node fails it; every checker holds; the same rows
 * on every engine.
 */
class ChaosBspTest {

  private static final Path EXAMPLE = Path.of("../examples/chaos-bsp.conf");

  /** The example's job on two nodes, without its faults and sites, plus {@code more}. */
  private static Scenario scenario(String... more) {
    List<String> all = new ArrayList<>(List.of("machine.nodes=2", "chaos.faults=[]"));
    ChaosSettings.KINDS.forEach(kind -> all.add("chaos.sites." + kind + ".enable=0"));
    all.addAll(List.of(more));
    return new ScenarioLoader().load(EXAMPLE, all);
  }

  private static String fault(String kind, String at, String target) {
    return "chaos.faults=[{at=" + at + ", kind=" + kind + ", target=\"" + target + "\", duration=0}]";
  }

  /** Seed 1 run to its end, every invariant checked (and holding). */
  private static ChaosMachine run(Scenario s) {
    ChaosRun.Row row = ChaosRun.run(s, 1);
    assertThat(row.violation()).as("seed 1: %s", row.violation()).isNull();
    ChaosMachine m = new ChaosMachine(s, 1);
    SequentialEngine.open(m).advanceTo(ChaosRun.CAP_NS);
    m.checkEnd(ChaosRun.CAP_NS);
    return m;
  }

  /** From the first start to the last exit of launch {@code launch}'s threads on node {@code node}. */
  private static long launchNs(ChaosMachine m, int node, int launch) {
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (int c = 0; c < m.threads; c++) {
      McKernelCpu.McThread t = ((McKernelCpu) m.hybrid().entity(m.hybrid().cpuEntity(node, c))).threads()
          .get(launch);
      assertThat(t.exitTime()).as("node %d cpu %d launch %d", node, c, launch).isPositive();
      start = Math.min(start, t.startTime());
      end = Math.max(end, t.exitTime());
    }
    return end - start;
  }

  @Test
  void withoutFaultsTheJobRunsOnceOnEveryNode() {
    ChaosMachine m = run(scenario());
    assertThat(m.nodeReports()).allSatisfy(n -> {
      assertThat(n.job()).isEqualTo("done");
      assertThat(n.exits()).isEqualTo(List.of(0, 0));
    });
    assertThat(m.outcome().relaunches()).isZero();
    // 20 supersteps of 200 us of compute each, a write offloaded to Linux and an allreduce between them
    assertThat(launchNs(m, 0, 0)).isBetween(20 * 200_000L, 20 * 300_000L);
  }

  @Test
  void underRequeueAPanickedNodeEndsTheLaunchEverywhereAndEveryRankRunsAgainInTheUndisturbedTime() {
    long undisturbed = launchNs(run(scenario()), 0, 0);
    ChaosMachine m = run(scenario(fault("lwk-panic", "40ms", "node=1, cpu=0")));
    List<ChaosMachine.NodeReport> nodes = m.nodeReports();
    // node 1's ranks die with its kernel (137); the batch system has node 0's killed (137); IHK reboots
    // node 1, and the job runs again on both, every rank from the start, to the end
    assertThat(nodes.get(1).exits()).isEqualTo(List.of(137, 137, 0, 0));
    assertThat(nodes.get(1).lastFailure()).startsWith("PANIC");
    assertThat(nodes.get(1).reboots()).isEqualTo(1);
    assertThat(nodes.get(0).exits()).isEqualTo(List.of(137, 137, 0, 0));
    assertThat(nodes.get(0).reboots()).isZero();
    assertThat(nodes).allSatisfy(n -> assertThat(n.job()).isEqualTo("done"));
    assertThat(m.outcome().relaunches()).isEqualTo(1);
    // the requeued launch starts over, every rank in step: it takes exactly what the first launch of the
    // undisturbed run took
    assertThat(launchNs(m, 0, 1)).isEqualTo(undisturbed);
  }

  @Test
  void underFailAPanickedNodeFailsTheJobOnEveryNode() {
    ChaosMachine m = run(scenario(fault("lwk-panic", "40ms", "node=1, cpu=0"), "chaos.job.policy=fail"));
    assertThat(m.nodeReports()).allSatisfy(n -> {
      assertThat(n.exits()).isEqualTo(List.of(137, 137));
      assertThat(n.job()).isEqualTo("failed");
    });
    assertThat(m.outcome().relaunches()).isZero();
    assertThat(m.nodeReports().get(1).instance()).as("IHK rebooted it all the same").isEqualTo("RUNNING");
  }

  @Test
  void aLostNodeFailsTheJobOnTheOthersEvenUnderRequeue() {
    ChaosMachine m = run(scenario(fault("node-loss", "40ms", "node=1")));
    assertThat(m.nodeReports().get(1).job()).isEqualTo("lost");
    assertThat(m.nodeReports().get(0).job()).isEqualTo("failed");
    assertThat(m.nodeReports().get(0).exits()).isEqualTo(List.of(137, 137));
  }

  /**
   * Seed 102 of examples/chaos-bsp.conf and 41 others (a campaign of 2,000 seeds): a node whose instance
   * IHK's reboot policy gives up on while its ranks run had its job left pending once they were reaped,
   * and the run broke run-ends. The node is gone for good: its job fails, as every other node's does.
   */
  @Test
  void aNodeGivenUpWhileItsRanksRunFailsTheJobOnEveryNode() {
    ChaosMachine m = run(scenario(fault("lwk-panic", "41ms", "node=1, cpu=0"), "chaos.reboot.policy=never"));
    assertThat(m.nodeReports()).allSatisfy(n -> {
      assertThat(n.job()).isEqualTo("failed");
      assertThat(n.exits()).isEqualTo(List.of(137, 137));
    });
    assertThat(m.nodeReports().get(1).instance()).as("mcstop+release.sh destroyed it").isEqualTo("none");
  }

  @Test
  void theRequeuesStopAtTheMaximum() {
    // a panic in each launch (the second starts at 78.5 ms): max-requeues 1 allows one launch again only
    ChaosMachine m = run(scenario("chaos.job.max-requeues=1", "chaos.faults=[{at=40ms, kind=lwk-panic, "
        + "target=\"node=1, cpu=0\", duration=0}, {at=82ms, kind=lwk-panic, target=\"node=1, cpu=0\", duration=0}]"));
    assertThat(m.outcome().relaunches()).isEqualTo(1);
    assertThat(m.nodeReports()).allSatisfy(n -> {
      assertThat(n.job()).isEqualTo("failed");
      assertThat(n.exits()).isEqualTo(List.of(137, 137, 137, 137));
    });
  }

  /** The example's campaign rows on the sequential engine and on the actor engine, 1 and 2 threads. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2})
  void aRunGivesTheSameRowOnTheSequentialEngineAndOnTheActorEngineWithOneAndTwoThreads(long seed) {
    Scenario s = new ScenarioLoader().load(EXAMPLE, List.of());
    ChaosRun.Row sequential = ChaosEngines.sameRowOnEveryEngine(s, seed, null, 1, 2);
    assertThat(sequential.violation()).isNull();
    assertThat(sequential.outcome().faultsFired()).isGreaterThanOrEqualTo(2);
  }

  /**
   * The example's four nodes run by one sequencer of the actor engine: the crashes, their notices
   * through supervision and the job's relaunch cross nodes inside one engine domain, and the run's
   * digest and faults are the sequential engine's.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2})
  void nodesThatShareOneSequencerGiveTheSequentialEnginesDigestAndFaults(long seed) {
    Scenario s = new ScenarioLoader().load(EXAMPLE, List.of());
    ChaosRun.Row sequential = ChaosRun.run(s, seed);
    RunResult seq = new SequentialEngine().run(new ChaosMachine(s, seed), RunSpec.until(ChaosRun.CAP_NS, 1));
    RunResult joined = new ActorEngine().run(new ChaosMachine(s, seed),
        RunSpec.until(ChaosRun.CAP_NS, 2).withJoinDomains(4));
    assertThat(joined.sequencers()).isEqualTo(1);
    assertThat(joined.domains()).isEqualTo(4);
    assertThat(seq.digest()).isEqualTo(sequential.digest());
    assertThat(joined.digest()).as("seed %d", seed).isEqualTo(seq.digest());
    assertThat(joined.faults()).isEqualTo(seq.faults());
    assertThat(joined.faults().failures()).as("seed %d: kernels failed", seed).isPositive();
  }

  @Test
  void aBspJobUnderLinuxIsRefusedWithTheKeyAndTheFix() {
    assertThatThrownBy(() -> new ChaosMachine(scenario("os.model=linux")))
        .isInstanceOf(ScenarioException.class).hasMessageContaining("os.model")
        .hasMessageContaining("set os.model = mckernel");
  }
}
