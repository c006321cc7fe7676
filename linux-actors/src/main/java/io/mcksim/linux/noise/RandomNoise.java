package io.mcksim.linux.noise;

import io.mcksim.actors.engine.RandomStreams;
import java.util.SplittableRandom;

/**
 * Interruptions at random: a daemon waking up, or interrupts arriving. The gap from one start to the
 * next and each duration are drawn from their distributions, from the stream of ({@code seed},
 * {@code cpu}, name), so a run replays exactly: a CPU's own stream (the node's seed and the CPU) gives
 * each CPU its own sequence; one stream shared by the CPUs of a node (cpu -1) or of the whole machine
 * (the run's seed) keeps them in step. The first one comes at {@code phase} plus a random phase, the
 * time from an instant chosen at random to the next wake-up of a source that has run for ever
 * ({@link Distribution#residual}): uniform over one gap for a fixed gap.
 */
public record RandomNoise(String name, Distribution gap, Distribution duration, long phase, long seed,
    int cpu) implements NoiseSource {

  /** Interrupts at {@code perSecond} on average (exponential gaps), each taking {@code cost}. */
  public static RandomNoise interrupts(String name, double perSecond, long cost, long seed, int cpu) {
    return new RandomNoise(name, Distribution.exponential((long) (1e9 / perSecond)),
        Distribution.fixed(cost), 0, seed, cpu);
  }

  @Override
  public Cursor cursor() {
    return new RandomCursor(gap, duration, phase, new RandomStreams(seed).stream(cpu, "noise/" + name));
  }

  /**
   * A cursor that keeps only what it draws from: a machine has a cursor per source per Linux CPU, and
   * the distributions are shared, so it does not hold on to its source.
   */
  private static final class RandomCursor implements Cursor {
    private final Distribution gap;
    private final Distribution duration;
    private final SplittableRandom random;
    private long start;
    private long length;

    RandomCursor(Distribution gap, Distribution duration, long phase, SplittableRandom random) {
      this.gap = gap;
      this.duration = duration;
      this.random = random;
      this.start = phase + gap.residual(random);
      this.length = duration.draw(random);
    }

    @Override
    public long start() {
      return start;
    }

    @Override
    public long duration() {
      return length;
    }

    @Override
    public void advance() {
      start += Math.max(1, gap.draw(random));
      length = duration.draw(random);
    }

    /**
     * On to the first interruption from {@code t}: in closed form for a fixed gap (its phase kept);
     * drawn afresh from {@code t} for exponential gaps, which have no memory; one by one otherwise, so
     * that the gaps' spread keeps its phase exactly.
     */
    @Override
    public void skipTo(long t) {
      if (start >= t) {
        return;
      }
      switch (gap.kind()) {
        case FIXED -> {
          long period = Math.max(1, gap.a());
          start += ((t - start - 1) / period + 1) * period;
          length = duration.draw(random);
        }
        case EXPONENTIAL -> {
          start = t + Math.max(1, gap.draw(random));
          length = duration.draw(random);
        }
        default -> {
          while (start < t) {
            advance();
          }
        }
      }
    }
  }

  @Override
  public double busyFraction() {
    return duration.mean() / Math.max(1, gap.mean());
  }
}
