package io.mcksim.actors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The end of an actor-engine run: the closing round (every domain gives back its spare room) counts
 * no window, and the set-up and end hooks run once each, also in a run that closes without a window.
 */
class EngineEndTest {

  /** Each entity pings the other domain's entity of its index every 2 us until 20 us: windows with gaps. */
  private static final class PingPong extends TwoByTwoModel {
    PingPong() {
      super("ping-pong", 3);
    }

    @Override
    void react(SimContext ctx, int id, long data) {
      if (ctx.now() < 20_000) {
        ctx.send((id + 2) % 4, 2_000, data + 1);
      }
    }
  }

  /** How often a run's set-up and end hooks ran. */
  private static final class Hooks {
    final AtomicInteger setUps = new AtomicInteger();
    final AtomicInteger ends = new AtomicInteger();

    RunSpec on(RunSpec spec) {
      return spec.withAfterSetup(setUps::incrementAndGet).withAtEnd(ends::incrementAndGet);
    }

    void ranOnceEach() {
      assertThat(setUps.get()).as("set-up hook runs").isEqualTo(1);
      assertThat(ends.get()).as("end hook runs").isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void theClosingRoundCountsNoWindowAndTheHooksRunOnce(int threads) {
    Hooks hooks = new Hooks();
    RunResult act = new ActorEngine().run(new PingPong(), hooks.on(RunSpec.until(1_000_000, threads)));
    RunResult seq = new SequentialEngine().run(new PingPong(), RunSpec.until(1_000_000, 1));
    assertThat(act.digest()).isEqualTo(seq.digest());
    assertThat(act.events()).isEqualTo(seq.events()).isEqualTo(4 * 9);
    // events at 5, 7, ..., 21 us: one window each, every domain having nothing between two of them
    assertThat(act.windows()).as("windows, the closing round not among them").isEqualTo(9);
    hooks.ranOnceEach();
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void aRunWhoseFirstEventLiesAtItsEndClosesWithoutAWindowAndRunsEachHookOnce(int threads) {
    Hooks hooks = new Hooks();
    // every entity's first event is at 5 us, the run's end
    RunResult r = new ActorEngine().run(new PingPong(), hooks.on(RunSpec.until(5_000, threads)));
    assertThat(r.windows()).isZero();
    assertThat(r.events()).isZero();
    hooks.ranOnceEach();
  }
}
