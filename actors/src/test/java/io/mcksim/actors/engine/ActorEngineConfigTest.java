package io.mcksim.actors.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  /** A model of {@code domains} domains of {@code perDomain} entities, for the joining rule. */
  private static SimModel shape(int domains, int perDomain) {
    return new LifeModel("shape", domains, perDomain);
  }

  @Test
  void manySmallDomainsAreJoinedInSequencersAndFewLargeOnesAreNot() {
    // 10,000 domains of 50 entities on two threads: at most 4,096 entities a sequencer
    assertThat(RunPlan.joinedDomains(shape(10_000, 50), 2, 0)).isEqualTo(81);
    // 1,000 such nodes: at least 16 sequencers a thread
    assertThat(RunPlan.joinedDomains(shape(1_000, 50), 2, 0)).isEqualTo(31);
    assertThat(RunPlan.joinedDomains(shape(1_000, 50), 4, 0)).isEqualTo(15);
    // PHOLD's 16 domains of 6,250 entities, and a node of more than 4,096 entities: never joined
    assertThat(RunPlan.joinedDomains(shape(16, 6_250), 2, 0)).isEqualTo(1);
    assertThat(RunPlan.joinedDomains(shape(100_000, 5_000), 1, 0)).isEqualTo(1);
    // a configured number wins
    assertThat(RunPlan.joinedDomains(shape(16, 6_250), 2, 5)).isEqualTo(5);
    assertThatThrownBy(() -> RunPlan.joinedDomains(shape(16, 6_250), 2, -1))
        .hasMessageContaining("mcksim.actors.engine.join-domains must be 0");
    assertThat(ActorEngine.config(2).getInt("mcksim.actors.engine.join-domains")).isZero();
  }

  @Test
  void anEngineDomainRunsConsecutiveModelDomainsAndTheLastMayRunFewer() {
    RunPlan plan = new RunPlan(shape(7, 3), 1_000, 3);
    assertThat(plan.domainCount()).isEqualTo(3);
    assertThat(plan.members[0]).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(plan.members[2]).containsExactly(18, 19, 20);
    assertThat(plan.domainOf[20]).isEqualTo(2);
    assertThat(plan.modelDomainOf[20]).isEqualTo(6);
    // the lookahead between two model domains of one sequencer is still the model's lookahead
    assertThat(plan.minimumDelay(0, 3)).isEqualTo(plan.lookahead);
    assertThat(plan.minimumDelay(0, 1)).isEqualTo(plan.localLookahead);
  }

  @Test
  void stoppingTheEntityActorsMayTakeAsLongAsTheEngineWaitsForIt() {
    assertThat(ActorEngine.config(1).getDuration("pekko.coordinated-shutdown.phases.actor-system-terminate.timeout"))
        .isEqualTo(Duration.ofSeconds(60));
  }
}
