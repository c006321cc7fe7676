package io.mcksim.linux.noise;

import io.mcksim.actors.engine.RandomStreams;
import java.util.random.RandomGenerator;

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
    return new RandomCursor(gap, duration, phase, RandomStreams.streamSeed(seed, cpu, "noise/" + name));
  }

  /**
   * A cursor that keeps only what it draws from: a machine has a cursor per source per Linux CPU, and
   * the distributions are shared, so it does not hold on to its source. It is its own random stream:
   * the draws of a {@link java.util.SplittableRandom} of the stream's seed (SplitMix64 with the golden
   * gamma, and the same derived draws), its state one field here rather than an object of its own.
   */
  private static final class RandomCursor implements Cursor, RandomGenerator {
    /** SplittableRandom's gamma for a stream made from a seed alone. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final Distribution gap;
    private final Distribution duration;
    /** The stream's state: SplittableRandom's seed. */
    private long state;
    private long start;
    private long length;

    RandomCursor(Distribution gap, Distribution duration, long phase, long seed) {
      this.gap = gap;
      this.duration = duration;
      this.state = seed;
      this.start = phase + gap.residual(this);
      this.length = duration.draw(this);
    }

    /** The stream's next value, as {@link java.util.SplittableRandom#nextLong()} gives it. */
    @Override
    public long nextLong() {
      state += GOLDEN_GAMMA;
      return RandomStreams.mix64(state);
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
      start += Math.max(1, gap.draw(this));
      length = duration.draw(this);
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
          length = duration.draw(this);
        }
        case EXPONENTIAL -> {
          start = t + Math.max(1, gap.draw(this));
          length = duration.draw(this);
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
