package io.mcksim.linux.noise;

import io.mcksim.actors.engine.RandomStreams;
import java.util.SplittableRandom;

/**
 * Interruptions at random: a daemon waking up, or interrupts arriving. The gap from one start to the
 * next and each duration are drawn from their distributions, from the stream of (seed, CPU, name), so
 * each CPU has its own sequence and a run replays exactly. The first one comes at {@code phase} plus a
 * gap (a per-CPU phase makes daemons on different CPUs drift apart; an aligned one keeps them together).
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
      this.start = phase + gap.draw(random);
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

    /** Draws afresh from {@code t}: the next interruption a gap after it. */
    @Override
    public void skipTo(long t) {
      if (start < t) {
        start = t + Math.max(1, gap.draw(random));
        length = duration.draw(random);
      }
    }
  }

  @Override
  public double busyFraction() {
    return duration.mean() / Math.max(1, gap.mean());
  }
}
