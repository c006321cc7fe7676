package io.mcksim.actors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A storm of crashes, restarts, watches and asks spread over two workers gives the digest and the fault
 * counts of one JVM: every signal that crosses between the workers' domains goes through Artery on the
 * loopback and the Kryo serializer. The two workers are separate actor systems of this test's JVM (as
 * {@code mcksim worker} runs them, with the test's model factory), so no child JVM is needed.
 */
class LifeClusterTest {

  @Test
  void aStormOnTwoWorkersGivesTheDigestOfOneJvm() throws Exception {
    long seed = 3;
    RunSpec spec = RunSpec.until(200_000, 1).withLivenessTimeout(Duration.ofMinutes(4));
    RunResult one = new SequentialEngine().run(new LifeStorm(seed), spec);
    List<CompletableFuture<Integer>> workers = new ArrayList<>();
    ClusterEngine engine = new ClusterEngine(new ClusterEngine.Settings(2, "127.0.0.1", 0, Long.toString(seed)),
        (hostPort, tls) -> {
          for (int i = 0; i < 2; i++) {
            workers.add(CompletableFuture.supplyAsync(() -> ClusterEngine.worker(hostPort, "127.0.0.1", 0, 1, null,
                scenario -> new LifeStorm(Long.parseLong(scenario)))));
          }
          return List.of();
        });
    RunResult spread = engine.run(new LifeStorm(seed), spec);
    assertThat(spread.digest()).as("life storm, seed " + seed + ", on 2 workers").isEqualTo(one.digest());
    assertThat(spread.events()).isEqualTo(one.events());
    assertThat(spread.faults()).isEqualTo(one.faults());
    assertThat(spread.jvmMessages()).isPositive();
    for (CompletableFuture<Integer> w : workers) {
      assertThat(w.get(2, TimeUnit.MINUTES)).as("worker exit status").isZero();
    }
  }
}
