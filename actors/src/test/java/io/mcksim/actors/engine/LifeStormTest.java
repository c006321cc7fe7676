package io.mcksim.actors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Random storms of crashes, restarts, escalations, watches and asks give the same digest and the same
 * fault counts on the sequential engine and on the actor engine with 1, 2 and 4 threads; together the
 * seeds reach every kind of fault.
 */
class LifeStormTest {

  @Test
  void everyEngineAndThreadCountAgreesOnRandomStorms() {
    long failures = 0;
    long restarts = 0;
    long dead = 0;
    long late = 0;
    for (long seed = 1; seed <= 6; seed++) {
      RunResult expected = new SequentialEngine().run(new LifeStorm(seed), RunSpec.until(200_000, 1));
      for (int threads : new int[] {1, 2, 4}) {
        RunResult actual = new ActorEngine().run(new LifeStorm(seed), RunSpec.until(200_000, threads));
        String as = "life storm, seed " + seed + " (replay with new LifeStorm(" + seed + ")), " + threads + " threads";
        assertThat(actual.digest()).as(as).isEqualTo(expected.digest());
        assertThat(actual.events()).as(as).isEqualTo(expected.events());
        assertThat(actual.faults()).as(as).isEqualTo(expected.faults());
      }
      failures += expected.faults().failures();
      restarts += expected.faults().restarts();
      dead += expected.faults().deadEvents();
      late += expected.faults().lateReplies();
    }
    assertThat(java.util.List.of(failures, restarts, dead, late)).as("failures, restarts, dead events, late replies")
        .allSatisfy(n -> assertThat(n).isPositive());
  }
}
