package io.mcksim.machine.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An exception thrown by an entity outside IHK (a bug in the model, not a modelled crash) does not stop a
 * campaign: the seed's row says model-error, with the exception, where it was thrown, the entity and the
 * virtual time, on every engine alike, and the next seeds run.
 */
class ChaosModelErrorTest {

  private static final Scenario EXAMPLE = new ScenarioLoader().load(Path.of("../examples/chaos.conf"), List.of());

  @Test
  void aPlantedExceptionIsARowAndTheCampaignGoesOn() {
    ChaosMachine.PlantedBug bug = ChaosMachine.PlantedBug.MODEL_EXCEPTION;
    List<ChaosRun.Row> rows = ChaosCampaign.run(EXAMPLE, 1, 6, 2, bug);
    assertThat(rows).extracting(ChaosRun.Row::seed).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    // the example's panic at 40 ms or its proxy's death at 44 ms ends an mcexec with 137 on a node of most
    // seeds, and the job manager throws there; on seed 2 both strike while no job runs (failed boots)
    List<ChaosRun.Row> errors = rows.stream().filter(ChaosRun.Row::modelError).toList();
    assertThat(errors).extracting(ChaosRun.Row::seed).containsExactly(1L, 3L, 4L, 5L, 6L);
    assertThat(rows.get(1).violation()).isNull();
    assertThat(errors).allSatisfy(r -> {
      assertThat(r.verdict()).isEqualTo(ChaosRun.MODEL_ERROR);
      assertThat(r.violation().detail()).contains("job manager threw java.lang.IllegalStateException: node ",
          "planted bug: reaped mcexec of slot", " at " + r.violation().timeNs() + " ns",
          "\n  at io.mcksim.machine.chaos.NodeAgent.onExited(", "seed " + r.seed());
      assertThat(r.violation().timeNs()).isGreaterThan(40_000_000L);
      assertThat(r.events()).isZero();
      assertThat(r.digest()).isEmpty();
    });
    // without the bug the same seeds hold every invariant
    assertThat(ChaosCampaign.run(EXAMPLE, 1, 6, 2, null)).allSatisfy(r -> assertThat(r.violation()).isNull());
  }

  @Test
  void aModelErrorGivesTheSameRowOnEveryEngineAndInItsReplay() {
    ChaosMachine.PlantedBug bug = ChaosMachine.PlantedBug.MODEL_EXCEPTION;
    ChaosRun.Row sequential = ChaosEngines.sameRowOnEveryEngine(EXAMPLE, 3, bug, 1, 2);
    assertThat(sequential.modelError()).isTrue();
    List<String> log = new ArrayList<>();
    ChaosRun.Row replay = ChaosRun.run(EXAMPLE, 3, bug, log::add);
    assertThat(replay).usingRecursiveComparison().isEqualTo(sequential);
    // the replay's event log runs up to the event the job manager threw on
    assertThat(log).isNotEmpty();
    assertThat(log.get(log.size() - 1)).contains("job manager <- ", "Exited");
  }
}
