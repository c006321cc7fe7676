package io.mcksim.actors.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A model bug stops the run on either engine with a message that names the entity, the virtual time
 * and the seed; a lookahead violation is caught at the send that commits it.
 */
class EngineFailureTest {

  /** Two domains of two entities; entity 0 misbehaves at t=5000 in the chosen way. */
  private static final class Faulty extends TwoByTwoModel {
    private final String fault;

    Faulty(String fault) {
      super("faulty", 77);
      this.fault = fault;
    }

    @Override
    void react(SimContext ctx, int id, long data) {
      if (id != 0) {
        return;
      }
      switch (fault) {
        case "throw" -> throw new IllegalStateException("model bug");
        case "remote-too-soon" -> ctx.send(3, 999, 0);
        case "local-too-soon" -> ctx.send(1, 99, 0);
        case "past" -> ctx.send(0, -1, 0);
        case "no-such-entity" -> ctx.send(4, 5_000, 0);
        default -> throw new AssertionError(fault);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sequential", "actors"})
  void aThrowingModelStopsTheRunWithEntityTimeAndSeed(String engine) {
    assertThatThrownBy(() -> Engine.named(engine).run(new Faulty("throw"), RunSpec.until(10_000, 2)))
        .isInstanceOf(SimulationFailure.class)
        .hasMessageContaining("entity 0 failed at t=5000ns")
        .hasMessageContaining("model bug")
        .hasMessageContaining("seed 77");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sequential", "actors"})
  void sendingAcrossDomainsBelowTheLookaheadIsRejected(String engine) {
    assertThatThrownBy(() -> Engine.named(engine).run(new Faulty("remote-too-soon"),
        RunSpec.until(10_000, 2)))
        .isInstanceOf(SimulationFailure.class)
        .hasCauseInstanceOf(CausalityViolation.class)
        .hasMessageContaining("below the model's lookahead of 1000ns");
  }

  /**
   * The lookahead is kept by the model's domains, not by the engine's: with both model domains run by
   * one sequencer, the send that is too soon for the model is still rejected, with the same message.
   */
  @Test
  void aSequencerThatRunsBothDomainsStillRejectsASendBelowTheLookaheadBetweenThem() {
    RunSpec joined = RunSpec.until(10_000, 2).withJoinDomains(2);
    assertThatThrownBy(() -> new ActorEngine().run(new Faulty("remote-too-soon"), joined))
        .isInstanceOf(SimulationFailure.class)
        .hasCauseInstanceOf(CausalityViolation.class)
        .hasMessageContaining("entity 0 (domain 0) at t=5000ns sent to entity 3 (domain 1) with delay 999ns")
        .hasMessageContaining("below the model's lookahead of 1000ns");
    assertThatThrownBy(() -> new ActorEngine().run(new Faulty("local-too-soon"), joined))
        .hasCauseInstanceOf(CausalityViolation.class)
        .hasMessageContaining("below the model's local lookahead of 100ns");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sequential", "actors"})
  void sendingWithinADomainBelowTheLocalLookaheadIsRejected(String engine) {
    assertThatThrownBy(() -> Engine.named(engine).run(new Faulty("local-too-soon"),
        RunSpec.until(10_000, 2)))
        .hasCauseInstanceOf(CausalityViolation.class)
        .hasMessageContaining("below the model's local lookahead of 100ns");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sequential", "actors"})
  void sendingIntoThePastOrToNobodyIsRejected(String engine) {
    assertThatThrownBy(() -> Engine.named(engine).run(new Faulty("past"), RunSpec.until(10_000, 1)))
        .hasMessageContaining("into the past");
    assertThatThrownBy(() -> Engine.named(engine).run(new Faulty("no-such-entity"),
        RunSpec.until(10_000, 1)))
        .hasMessageContaining("entity 4, which does not exist");
  }
}
