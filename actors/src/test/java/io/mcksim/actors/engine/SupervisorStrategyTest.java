package io.mcksim.actors.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in strategies: exponential backoff capped at its maximum, then stop; stop; escalate. */
class SupervisorStrategyTest {

  @Test
  void restartDoublesTheBackoffUpToItsCapAndStopsAfterTheMaximum() {
    SupervisorStrategy s = SupervisorStrategy.restart(5, 300, 1_000);
    List<Directive> seen = new ArrayList<>();
    for (int n = 0; n <= 5; n++) {
      seen.add(s.decide(7, "boom", n));
    }
    assertThat(seen).containsExactly(new Directive.Restart(300), new Directive.Restart(600),
        new Directive.Restart(1_000), new Directive.Restart(1_000), new Directive.Restart(1_000), Directive.STOP);
  }

  @Test
  void aLongRunOfRestartsNeverOverflowsTheBackoff() {
    SupervisorStrategy s = SupervisorStrategy.restart(Integer.MAX_VALUE, 3, Long.MAX_VALUE / 2);
    for (int n : new int[] {61, 62, 63, 64, 1_000}) {
      assertThat(s.decide(0, "x", n)).isEqualTo(new Directive.Restart(Long.MAX_VALUE / 2));
    }
    assertThat(s.decide(0, "x", 60)).isEqualTo(new Directive.Restart(3L << 60));
  }

  @Test
  void stopAndEscalateAlwaysDecideTheSameAndBadBoundsAreRefused() {
    assertThat(SupervisorStrategy.stop().decide(1, "a", 0)).isEqualTo(Directive.STOP);
    assertThat(SupervisorStrategy.escalate().decide(1, "a", 9)).isEqualTo(Directive.ESCALATE);
    assertThatThrownBy(() -> SupervisorStrategy.restart(1, 500, 100)).hasMessageContaining("minBackoff <= maxBackoff");
    assertThatThrownBy(() -> new Directive.Restart(-1)).hasMessageContaining("negative");
  }
}
