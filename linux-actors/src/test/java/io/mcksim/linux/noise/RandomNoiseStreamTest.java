package io.mcksim.linux.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.RandomStreams;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A random source's cursor keeps its stream in itself: it draws exactly what a {@link SplittableRandom}
 * of the stream's seed draws, for every kind of gap and duration, its first phase and its skips included
 * (fixed seeds).
 */
class RandomNoiseStreamTest {

  /** The interruptions a SplittableRandom of the source's stream gives, walked as its cursor walks them. */
  private static long[] reference(RandomNoise n, int count, long skipAt) {
    SplittableRandom r = new SplittableRandom(RandomStreams.streamSeed(n.seed(), n.cpu(), "noise/" + n.name()));
    long start = n.phase() + n.gap().residual(r);
    long length = n.duration().draw(r);
    long[] out = new long[2 * count];
    for (int i = 0; i < count; i++) {
      if (i == count / 2 && start < skipAt) {
        switch (n.gap().kind()) {
          case FIXED -> {
            long period = Math.max(1, n.gap().a());
            start += ((skipAt - start - 1) / period + 1) * period;
            length = n.duration().draw(r);
          }
          case EXPONENTIAL -> {
            start = skipAt + Math.max(1, n.gap().draw(r));
            length = n.duration().draw(r);
          }
          default -> {
            while (start < skipAt) {
              start += Math.max(1, n.gap().draw(r));
              length = n.duration().draw(r);
            }
          }
        }
      }
      out[2 * i] = start;
      out[2 * i + 1] = length;
      start += Math.max(1, n.gap().draw(r));
      length = n.duration().draw(r);
    }
    return out;
  }

  private static long[] walked(RandomNoise n, int count, long skipAt) {
    NoiseSource.Cursor c = n.cursor();
    long[] out = new long[2 * count];
    for (int i = 0; i < count; i++) {
      if (i == count / 2) {
        c.skipTo(skipAt);
      }
      out[2 * i] = c.start();
      out[2 * i + 1] = c.duration();
      c.advance();
    }
    return out;
  }

  @Test
  void aCursorDrawsWhatASplittableRandomOfItsStreamDraws() {
    List<Distribution> shapes = List.of(Distribution.fixed(7_000_000), Distribution.fixed(1),
        Distribution.uniform(2_000_000, 18_000_000), Distribution.uniform(0, 1L << 40),
        Distribution.uniform(1_000, 1_023), Distribution.exponential(250_000));
    for (long seed : new long[] {1, 7, 20_261_205L, -3}) {
      for (int cpu : new int[] {-1, 0, 5, 1_000_003}) {
        for (Distribution gap : shapes) {
          for (Distribution duration : shapes) {
            RandomNoise n = new RandomNoise("d", gap, duration, 1_234, seed, cpu);
            long skipAt = 5_000_000_000L;
            assertThat(walked(n, 40, skipAt)).as("seed %d cpu %d gap %s duration %s", seed, cpu, gap, duration)
                .containsExactly(reference(n, 40, skipAt));
          }
        }
      }
    }
  }
}
