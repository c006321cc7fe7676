package io.mcksim.linux.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.config.NoiseSettings;
import io.mcksim.config.NoiseSettings.Phase;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The phases of noise sources across the nodes of a machine: drawn per node and CPU from the run's seed,
 * uniform over one gap (Kolmogorov-Smirnov, fixed seeds), in step where the phase says so.
 */
class NoisePhaseTest {

  static final int NODES = 10_000;
  static final long SEED = 20_261_205L;

  /**
   * The Kolmogorov-Smirnov distance at which 10,000 draws from the claimed distribution are rejected at
   * the 0.1% level: 1.95 / sqrt(n). The seeds are fixed, so each test either always passes or always
   * fails; at this level a correct implementation fails for one seed in a thousand.
   */
  static final double KS_LIMIT = 1.95 / Math.sqrt(NODES);

  private static NoiseSettings daemon(String gap, Phase phase) {
    NoiseSettings.Spread g = gap.equals("fixed") ? new NoiseSettings.Spread("fixed", 10_000_000, 10_000_000)
        : new NoiseSettings.Spread("uniform", 2_000_000, 18_000_000);
    return new NoiseSettings(Map.of("d", new NoiseSettings.Profile(List.of(),
        List.of(new NoiseSettings.Daemons(null, g, new NoiseSettings.Spread("fixed", 20_000, 20_000), phase)),
        List.of(), List.of())));
  }

  private static NoiseSettings tick(Phase phase) {
    return new NoiseSettings(Map.of("t", new NoiseSettings.Profile(
        List.of(new NoiseSettings.Tick(null, 1_000, 2_000, phase)), List.of(), List.of(), List.of())));
  }

  /** The first interruption of CPU {@code cpu} of every node, under profile {@code name} of {@code s}. */
  private static long[] firstStarts(NoiseSettings s, String name, int cpu) {
    NoiseProfile.Factory f = NoiseProfile.factory(s, name);
    long[] out = new long[NODES];
    for (int n = 0; n < NODES; n++) {
      out[n] = f.sources(SEED, n, cpu).get(0).cursor().start();
    }
    return out;
  }

  /** The Kolmogorov-Smirnov distance between the samples and the distribution function {@code cdf}. */
  static double ks(long[] samples, DoubleUnaryOperator cdf) {
    double[] x = Arrays.stream(samples).asDoubleStream().sorted().toArray();
    double d = 0;
    for (int i = 0; i < x.length; i++) {
      double f = cdf.applyAsDouble(x[i]);
      d = Math.max(d, Math.max((i + 1.0) / x.length - f, f - (double) i / x.length));
    }
    return d;
  }

  @Test
  void aFixedGapDaemonWithARandomPhaseStartsUniformlyOverOneGapOnEveryNode() {
    long gap = 10_000_000;
    long[] first = firstStarts(daemon("fixed", Phase.RANDOM), "d", 3);

    assertThat(Arrays.stream(first).allMatch(t -> t >= 0 && t < gap)).isTrue();
    assertThat(ks(first, t -> t / gap)).as("KS distance from uniform over [0, gap)").isLessThan(KS_LIMIT);
  }

  @Test
  void theCpusOfOneNodeHaveTheirOwnPhasesToo() {
    NoiseProfile.Factory f = NoiseProfile.factory(daemon("fixed", Phase.RANDOM), "d");
    long[] first = new long[NODES];
    for (int cpu = 0; cpu < NODES; cpu++) {
      first[cpu] = f.sources(SEED, 7, cpu).get(0).cursor().start();
    }
    assertThat(ks(first, t -> t / 10_000_000.0)).isLessThan(KS_LIMIT);
  }

  /**
   * Uniform gaps in [a, b]: the first wake-up is the forward-recurrence time of a stream that has run for
   * ever, density 1/mean up to a, falling linearly to 0 at b.
   */
  @Test
  void aUniformGapDaemonStartsAtTheForwardRecurrenceTimeOfItsGaps() {
    double a = 2_000_000;
    double b = 18_000_000;
    double mean = (a + b) / 2;
    long[] first = firstStarts(daemon("uniform", Phase.RANDOM), "d", 0);
    DoubleUnaryOperator cdf = x -> x <= a ? x / mean
        : (a + (x - a) - (x - a) * (x - a) / (2 * (b - a))) / mean;

    assertThat(ks(first, cdf)).isLessThan(KS_LIMIT);
  }

  @Test
  void theTickIsInStepOnTheCpusOfANodeAndUniformOverOnePeriodAcrossNodes() {
    long[] cpu0 = firstStarts(tick(Phase.NODE), "t", 0);
    long[] cpu5 = firstStarts(tick(Phase.NODE), "t", 5);

    assertThat(cpu5).as("a node's CPUs tick together (Linux without skew_tick)").isEqualTo(cpu0);
    assertThat(ks(cpu0, t -> t / 1_000_000.0)).isLessThan(KS_LIMIT);
  }

  @Test
  void aTickWithARandomPhaseIsSkewedOverTheCpusOfANode() {
    NoiseProfile.Factory f = NoiseProfile.factory(tick(Phase.RANDOM), "t");
    long[] first = new long[NODES];
    for (int cpu = 0; cpu < NODES; cpu++) {
      first[cpu] = f.sources(SEED, 3, cpu).get(0).cursor().start();
    }
    assertThat(ks(first, t -> t / 1_000_000.0)).isLessThan(KS_LIMIT);
  }

  /** Co-scheduled noise: every CPU of every node wakes at the same instants, every time. */
  @Test
  void withAnAlignedPhaseEveryNodeWakesTogether() {
    for (NoiseSettings s : List.of(daemon("fixed", Phase.ALIGNED), daemon("uniform", Phase.ALIGNED),
        tick(Phase.ALIGNED))) {
      String name = s.profiles().keySet().iterator().next();
      NoiseProfile.Factory f = NoiseProfile.factory(s, name);
      long[] reference = starts(f.sources(SEED, 0, 0).get(0), 50);
      for (int node = 1; node < NODES; node += 97) {
        assertThat(starts(f.sources(SEED, node, node % 64).get(0), 50)).as("node %d", node).isEqualTo(reference);
      }
    }
  }

  /** With a node phase, a node's CPUs wake together and nodes apart. */
  @Test
  void withANodePhaseTheCpusOfANodeWakeTogetherAndNodesApart() {
    NoiseProfile.Factory f = NoiseProfile.factory(daemon("uniform", Phase.NODE), "d");
    assertThat(starts(f.sources(SEED, 5, 9).get(0), 50)).isEqualTo(starts(f.sources(SEED, 5, 0).get(0), 50))
        .isNotEqualTo(starts(f.sources(SEED, 6, 0).get(0), 50));
  }

  /** The first {@code n} interruptions' starts of {@code source}. */
  private static long[] starts(NoiseSource source, int n) {
    NoiseSource.Cursor c = source.cursor();
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = c.start();
      c.advance();
    }
    return out;
  }

  @Test
  void aPhaseDependsOnlyOnTheSeedTheNodeTheCpuAndTheSource() {
    NoiseProfile.Factory f = NoiseProfile.factory(daemon("fixed", Phase.RANDOM), "d");
    long once = f.sources(SEED, 4_242, 17).get(0).cursor().start();
    // whatever was drawn before, and in whatever order
    for (int n = NODES - 1; n >= 0; n -= 13) {
      f.sources(SEED, n, 17).get(0).cursor().start();
    }
    assertThat(NoiseProfile.factory(daemon("fixed", Phase.RANDOM), "d").sources(SEED, 4_242, 17).get(0)
        .cursor().start()).isEqualTo(once);
    assertThat(f.sources(SEED + 1, 4_242, 17).get(0).cursor().start()).isNotEqualTo(once);
  }

  /** A CPU idle for a long time skips to the same instants as one that walked the fixed gaps one by one. */
  @Test
  void skippingAFixedGapKeepsItsPhase() {
    RandomNoise d = new RandomNoise("d", Distribution.fixed(10_000_000), Distribution.fixed(5_000), 0, SEED, 1);
    NoiseSource.Cursor walked = d.cursor();
    NoiseSource.Cursor skipped = d.cursor();
    long t = 123_456_789_012L;
    while (walked.start() < t) {
      walked.advance();
    }
    skipped.skipTo(t);
    assertThat(skipped.start()).isEqualTo(walked.start());
  }

  /** The residuals of each distribution have the mean renewal theory gives: E[G^2] / (2 E[G]). */
  @Test
  void residualsHaveTheirMeanInClosedForm() {
    SplittableRandom r = new SplittableRandom(SEED);
    for (Distribution g : List.of(Distribution.fixed(1_000_000), Distribution.uniform(1_000, 3_000_000),
        Distribution.exponential(2_000_000))) {
      double sum = 0;
      int n = 200_000;
      for (int i = 0; i < n; i++) {
        sum += g.residual(r);
      }
      double secondMoment = switch (g.kind()) {
        case FIXED -> (double) g.a() * g.a();
        case UNIFORM -> ((double) g.a() * g.a() + (double) g.a() * g.b() + (double) g.b() * g.b()) / 3;
        case EXPONENTIAL -> 2.0 * g.a() * g.a();
      };
      assertThat(sum / n).as("%s", g).isCloseTo(secondMoment / (2 * g.mean()),
          org.assertj.core.data.Percentage.withPercentage(1));
    }
  }
}
