package io.mcksim.actors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Virtual time never wraps: sums past the largest time saturate in models, and such events never happen. */
class VirtualTimeTest {

  @Test
  void aSumThatFitsIsTheSumAndOneThatDoesNotIsNever() {
    assertThat(VirtualTime.after(5, 7)).isEqualTo(12);
    assertThat(VirtualTime.after(0, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(VirtualTime.after(1, Long.MAX_VALUE)).isEqualTo(VirtualTime.NEVER);
    assertThat(VirtualTime.after(Long.MAX_VALUE - 3, 4)).isEqualTo(VirtualTime.NEVER);
    assertThat(VirtualTime.after(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(VirtualTime.NEVER);
  }

  /** Two domains of two entities; at t=5000 each sends events whose times would pass the largest time. */
  private static final class FarFuture extends TwoByTwoModel {
    FarFuture() {
      super("far-future", 3);
    }

    @Override
    void react(SimContext ctx, int id, long data) {
      assertThat(ctx.now()).as("virtual time at entity %d", id).isNotNegative();
      if (data == 0) {
        ctx.send(id, Long.MAX_VALUE, 1);
        ctx.send((id + 2) % 4, Long.MAX_VALUE - 4_999, 1);
        ctx.send(id, 10, 2);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sequential", "actors"})
  void anEventPastTheLargestTimeNeverHappensAndTheRunEnds(String engine) {
    RunResult r = Engine.named(engine).run(new FarFuture(), RunSpec.until(Long.MAX_VALUE, 2));
    assertThat(r.events()).as("four start events and four follow-ups 10 ns later").isEqualTo(8);
    assertThat(r.virtualEndNs()).isNotNegative();
    RunResult sequential = new SequentialEngine().run(new FarFuture(), RunSpec.until(Long.MAX_VALUE, 1));
    assertThat(r.digest()).isEqualTo(sequential.digest());
  }
}
