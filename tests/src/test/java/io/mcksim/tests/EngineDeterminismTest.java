package io.mcksim.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.actors.engine.SimModel;
import io.mcksim.actors.phold.Phold;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engines' central promise: the same model, seed and build give the same event-log digest on the
 * sequential baseline and on the actor engine with any number of threads.
 */
class EngineDeterminismTest {

  private static final long PHOLD_END = 55_000;

  private static Phold phold(long seed) {
    return new Phold(new Phold.Params(10_000, 16, 4, 1_000, 1_000, 0.25, seed));
  }

  /** Runs the model on the sequential engine and on the actor engine with 1, 2 and 4 threads. */
  private static RunResult[] runAll(LongFunction<SimModel> model, long seed, long end) {
    RunResult[] results = new RunResult[4];
    results[0] = new SequentialEngine().run(model.apply(seed), RunSpec.until(end, 1));
    int[] threads = {1, 2, 4};
    for (int i = 0; i < threads.length; i++) {
      Engine engine = new ActorEngine();
      results[i + 1] = engine.run(model.apply(seed), RunSpec.until(end, threads[i]));
    }
    return results;
  }

  private static void assertAllAgree(RunResult[] results, long seed) {
    RunResult oracle = results[0];
    for (RunResult r : results) {
      assertThat(r.digest())
          .as("seed %d: %s engine with %d threads against the sequential baseline", seed, r.engine(),
              r.threads())
          .isEqualTo(oracle.digest());
      assertThat(r.events()).as("seed %d: events on %s/%d", seed, r.engine(), r.threads())
          .isEqualTo(oracle.events());
      assertThat(r.virtualEndNs()).as("seed %d: virtual end", seed).isEqualTo(oracle.virtualEndNs());
    }
  }

  @Test
  void pholdWithTenThousandEntitiesAndAMillionEventsGivesOneDigestEverywhere() {
    long seed = 20261127L;
    RunResult[] results = runAll(EngineDeterminismTest::phold, seed, PHOLD_END);
    assertThat(results[0].events()).as("seed %d: events", seed).isGreaterThanOrEqualTo(1_000_000);
    assertThat(results[0].entities()).isEqualTo(10_000);
    assertAllAgree(results, seed);
    assertThat(results[1].windows()).as("the actor engine advanced in lookahead windows").isPositive();
  }

  @Test
  void anotherSeedGivesAnotherDigest() {
    RunResult a = new SequentialEngine().run(phold(1), RunSpec.until(PHOLD_END, 1));
    RunResult b = new SequentialEngine().run(phold(2), RunSpec.until(PHOLD_END, 1));
    RunResult c = new ActorEngine().run(phold(2), RunSpec.until(PHOLD_END, 2));
    assertThat(a.digest()).isNotEqualTo(b.digest());
    assertThat(c.digest()).isEqualTo(b.digest());
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 7, 42, 1_000_003, -5})
  void tiesEverywhereGiveIdenticalDigestsAcrossThreadCountsAndEngines(long seed) {
    RunResult[] results = runAll(s -> new TieStorm(2_000, 8, 3, s), seed, 40_000);
    assertThat(results[0].events()).as("seed %d: events", seed).isGreaterThan(100_000);
    assertAllAgree(results, seed);
    assertThat(results[1].subWindows())
        .as("seed %d: local lookahead below the window width splits windows into batches", seed)
        .isGreaterThan(results[1].windows());
  }

  @Test
  void aModelThatRunsOutOfEventsStopsAtItsLastEvent() {
    // one hop per entity, no continuation: PHOLD with a model that consumes its population
    SimModel model = new OneShot(50, 5);
    RunResult seq = new SequentialEngine().run(model, RunSpec.until(1_000_000, 1));
    RunResult act = new ActorEngine().run(new OneShot(50, 5), RunSpec.until(1_000_000, 2));
    assertThat(seq.events()).isEqualTo(50);
    assertThat(seq.virtualEndNs()).isEqualTo(OneShot.DELAY * 50);
    assertThat(act.digest()).isEqualTo(seq.digest());
    assertThat(act.virtualEndNs()).isEqualTo(seq.virtualEndNs());
    assertThat(act.windows())
        .as("empty stretches are skipped: one window per event time, not end time / lookahead")
        .isEqualTo(50);
  }

  /**
   * However many consecutive model domains one sequencer runs (each its own, three of the tie storm's
   * eight with the last running two, all of them), on one thread or two, every digest stays as the
   * sequential engine's: events between two model domains of one sequencer go through its own queue.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {5, 20261205})
  void joiningModelDomainsInSequencersKeepsEveryDigest(long seed) {
    RunResult oracle = new SequentialEngine().run(new TieStorm(2_000, 8, 3, seed), RunSpec.until(40_000, 1));
    RunResult pholdOracle = new SequentialEngine().run(phold(seed), RunSpec.until(PHOLD_END, 1));
    for (int join : new int[] {1, 3, 16}) {
      for (int threads : new int[] {1, 2}) {
        RunSpec spec = RunSpec.until(40_000, threads).withJoinDomains(join);
        RunResult r = new ActorEngine().run(new TieStorm(2_000, 8, 3, seed), spec);
        assertThat(r.sequencers()).as("tie storm's 8 domains, %d a sequencer", join).isEqualTo((8 + join - 1) / join);
        assertThat(r.domains()).isEqualTo(8);
        assertThat(r.digest()).as("seed %d: tie storm, %d domains a sequencer, %d threads", seed, join, threads)
            .isEqualTo(oracle.digest());
        RunResult p = new ActorEngine().run(phold(seed), RunSpec.until(PHOLD_END, threads).withJoinDomains(join));
        assertThat(p.sequencers()).isEqualTo((16 + join - 1) / join);
        assertThat(p.digest()).as("seed %d: PHOLD, %d domains a sequencer, %d threads", seed, join, threads)
            .isEqualTo(pholdOracle.digest());
      }
    }
  }

  /**
   * However a domain runs a batch's entities (every one in its own actor, none, or those whose last
   * batch had at least two events) and however harshly idle entity actors are passivated (after one
   * batch without work: most batches stop and respawn actors), every digest stays as it was.
   */
  @ParameterizedTest(name = "seed {0}, hand-off-events {1}, passivate-after {2}")
  @CsvSource({"3, 1, 1024", "3, 2, 1024", "3, 0, 1024", "3, 1, 1", "20261205, 2, 1", "20261205, 1, 1"})
  void everyWayOfRunningABatchGivesTheSameDigest(long seed, int handOffEvents, int passivateAfter) {
    RunResult oracle = new SequentialEngine().run(new TieStorm(2_000, 8, 3, seed), RunSpec.until(40_000, 1));
    RunResult pholdOracle = new SequentialEngine().run(phold(seed), RunSpec.until(PHOLD_END, 1));
    Map<String, Integer> settings = Map.of("mcksim.actors.engine.hand-off-events", handOffEvents,
        "mcksim.actors.engine.passivate-after", passivateAfter);
    settings.forEach((key, value) -> System.setProperty(key, String.valueOf(value)));
    ConfigFactory.invalidateCaches();
    try {
      settings.forEach((key, value) -> assertThat(ActorEngine.config(1).getInt(key)).isEqualTo(value));
      for (int threads : new int[] {1, 2}) {
        RunResult r = new ActorEngine().run(new TieStorm(2_000, 8, 3, seed), RunSpec.until(40_000, threads));
        assertThat(r.digest()).as("seed %d: tie storm, %d threads", seed, threads).isEqualTo(oracle.digest());
        assertThat(r.events()).isEqualTo(oracle.events());
        RunResult p = new ActorEngine().run(phold(seed), RunSpec.until(PHOLD_END, threads));
        assertThat(p.digest()).as("seed %d: PHOLD, %d threads", seed, threads).isEqualTo(pholdOracle.digest());
      }
    } finally {
      settings.keySet().forEach(System::clearProperty);
      ConfigFactory.invalidateCaches();
    }
  }
}
