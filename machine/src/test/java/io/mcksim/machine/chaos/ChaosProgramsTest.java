package io.mcksim.machine.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioException;
import io.mcksim.config.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A chaos job that is the scenario's own programs ({@code workload.type = programs}) on the real node:
 * each launched by the job manager through mcexec, relaunched whole by the job's policy after a fault,
 * every checker holding; the same rows on every engine.
 */
class ChaosProgramsTest {

  private static final Path EXAMPLE = Path.of("../examples/chaos-programs.conf");

  /** The example's programs on two nodes, without its faults and sites, plus {@code more}. */
  private static Scenario scenario(String... more) {
    List<String> all = new ArrayList<>(List.of("machine.nodes=2", "chaos.faults=[]"));
    io.mcksim.config.ChaosSettings.KINDS.forEach(kind -> all.add("chaos.sites." + kind + ".enable=0"));
    all.addAll(List.of(more));
    Scenario s = new ScenarioLoader().load(EXAMPLE, all);
    assertThat(s.chaos().sites().values()).allSatisfy(site -> assertThat(site.enable()).isZero());
    return s;
  }

  private static String fault(String kind, String at, String target) {
    return "chaos.faults=[{at=" + at + ", kind=" + kind + ", target=\"" + target + "\", duration=0}]";
  }

  /** Runs seed 1, asserts every invariant held, and gives every node's report. */
  private static List<ChaosMachine.NodeReport> nodes(Scenario s) {
    ChaosRun.Row row = ChaosRun.run(s, 1);
    assertThat(row.violation()).as("seed 1: %s", row.violation()).isNull();
    ChaosMachine m = new ChaosMachine(s, 1);
    SequentialEngine.open(m).advanceTo(ChaosRun.CAP_NS);
    m.checkEnd(ChaosRun.CAP_NS);
    return m.nodeReports();
  }

  @Test
  void withoutFaultsEveryProgramRunsOnceUnderMcexecAndExitsWithZero() {
    for (ChaosMachine.NodeReport n : nodes(scenario())) {
      assertThat(n.job()).isEqualTo("done");
      assertThat(n.exits()).isEqualTo(List.of(0, 0));
      assertThat(n.relaunches()).isZero();
    }
  }

  @Test
  void aNodeWhosePanicKillsItsProgramsRebootsAndRelaunchesThemAllAndTheyComplete() {
    List<ChaosMachine.NodeReport> nodes = nodes(scenario(fault("lwk-panic", "40ms", "node=0, cpu=1")));
    ChaosMachine.NodeReport n = nodes.get(0);
    // the panic ends the instance and both processes on it (mcexec's watch: SIGKILL, 137); IHK restarts
    // the instance in place, and the job manager runs both programs again, which complete
    assertThat(n.exits()).isEqualTo(List.of(137, 137, 0, 0));
    assertThat(n.lastFailure()).startsWith("PANIC");
    assertThat(n.reboots()).isEqualTo(1);
    assertThat(n.relaunches()).isEqualTo(1);
    assertThat(n.job()).isEqualTo("done");
    assertThat(n.instance()).isEqualTo("RUNNING");
    assertThat(nodes.get(1).exits()).as("node 1 is untouched").isEqualTo(List.of(0, 0));
  }

  @Test
  void aDeadProxyEndsOneProgramTheOtherRunsOnAndTheLaunchIsRunAgainWhole() {
    ChaosMachine.NodeReport n = nodes(scenario(fault("proxy-death", "40ms", "node=0"))).get(0);
    assertThat(n.exits()).isEqualTo(List.of(137, 0, 0, 0));
    assertThat(n.reboots()).isZero();
    assertThat(n.job()).isEqualTo("done");
  }

  @Test
  void underPolicyFailAKilledProgramFailsTheJob() {
    ChaosMachine.NodeReport n = nodes(scenario(fault("proxy-death", "40ms", "node=0"), "chaos.job.policy=fail"))
        .get(0);
    assertThat(n.exits()).isEqualTo(List.of(137, 0));
    assertThat(n.job()).isEqualTo("failed");
  }

  /** The example's campaign: its rows on the sequential engine and on the actor engine, 1 and 2 threads. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2})
  void aRunGivesTheSameRowOnTheSequentialEngineAndOnTheActorEngineWithOneAndTwoThreads(long seed) {
    Scenario s = new ScenarioLoader().load(EXAMPLE, List.of());
    ChaosRun.Row sequential = ChaosEngines.sameRowOnEveryEngine(s, seed, null, 1, 2);
    assertThat(sequential.violation()).isNull();
    assertThat(sequential.outcome().faultsFired()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void programsOnAnotherInstanceOrUnderLinuxAreRefusedWithTheKeyAndTheFix() {
    assertThatThrownBy(() -> new ChaosMachine(scenario("os.model=linux")))
        .isInstanceOf(ScenarioException.class).hasMessageContaining("os.model").hasMessageContaining("mckernel");
    assertThatThrownBy(() -> new ChaosMachine(scenario("workload.type=fwq")))
        .isInstanceOf(ScenarioException.class).hasMessageContaining("workload.type = fwq")
        .hasMessageContaining("workload.type = programs");
  }
}
