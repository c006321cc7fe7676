package io.mcksim.machine.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.config.Scenario;

/** What every chaos job's tests check alike: a seed's row is the same on every engine. */
final class ChaosEngines {

  private ChaosEngines() {}

  /**
   * Runs {@code seed} on the sequential engine, then on the actor engine with each of {@code threads}
   * threads, and checks that every run gives the same row (its digest and findings included).
   *
   * @param bug a planted bug, or null
   * @return the sequential engine's row
   */
  static ChaosRun.Row sameRowOnEveryEngine(Scenario s, long seed, ChaosMachine.PlantedBug bug, int... threads) {
    ChaosRun.Row sequential = ChaosRun.run(s, seed, bug, null, 0);
    for (int t : threads) {
      assertThat(ChaosRun.run(s, seed, bug, null, t)).as("seed %d on the actor engine with %d threads", seed, t)
          .usingRecursiveComparison().isEqualTo(sequential);
    }
    return sequential;
  }
}
