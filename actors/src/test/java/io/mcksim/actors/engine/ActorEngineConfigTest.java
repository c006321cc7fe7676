package io.mcksim.actors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the engine's actor systems are told, beyond Pekko's defaults, that a user would notice. */
class ActorEngineConfigTest {

  @Test
  void pekkoWritesNothingToStdoutWhereTheJsonResultGoes() {
    // Pekko's start-up and shut-down logger prints to stdout: a slow shutdown's warning once came out
    // in front of `run --json`'s object
    Config c = ActorEngine.config(2);
    assertThat(c.getString("pekko.stdout-loglevel")).isEqualTo("OFF");
    assertThat(ClusterEngine.config("coordinator", "127.0.0.1", 0, 2, null).getString("pekko.stdout-loglevel"))
        .isEqualTo("OFF");
  }

  @Test
  void stoppingTheEntityActorsMayTakeAsLongAsTheEngineWaitsForIt() {
    assertThat(ActorEngine.config(1).getDuration("pekko.coordinated-shutdown.phases.actor-system-terminate.timeout"))
        .isEqualTo(Duration.ofSeconds(60));
  }
}
