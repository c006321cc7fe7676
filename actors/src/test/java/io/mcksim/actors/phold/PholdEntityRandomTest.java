package io.mcksim.actors.phold;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.RandomStreams;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A PHOLD entity keeps its random stream as one {@code long}: its draws are exactly those of the
 * {@code SplittableRandom} it replaced (so every PHOLD digest stays as it was), bounds of every kind
 * included (powers of two, and bounds whose draws are rejected and redrawn).
 */
class PholdEntityRandomTest {

  @Test
  void drawsAreThoseOfTheSplittableRandomOfTheSameStream() {
    long runSeed = 20261205L;
    Phold phold = new Phold(new Phold.Params(1_000, 4, 1, 1_000, 1_000, 0.25, runSeed));
    int[] bounds = {1, 2, 3, 7, 16, 250, 999, 1 << 20, (1 << 30) + 1, Integer.MAX_VALUE};
    for (int id : new int[] {0, 1, 499, 999}) {
      Phold.Entity entity = (Phold.Entity) phold.createEntity(id);
      SplittableRandom oracle = new RandomStreams(runSeed).stream(id, Phold.PURPOSE);
      for (int i = 0; i < 200_000; i++) {
        if (i % 3 == 0) {
          assertThat(entity.nextDouble()).as("entity %d, draw %d", id, i).isEqualTo(oracle.nextDouble());
        } else {
          int bound = bounds[i % bounds.length];
          assertThat(entity.nextInt(bound)).as("entity %d, draw %d, bound %d", id, i, bound)
              .isEqualTo(oracle.nextInt(bound));
        }
      }
    }
  }
}
