package io.mcksim.workloads.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The noise fit on samples made here from known interruptions (the round trip through mcksim's own FWQ
 * is the cli module's CalibrateCommandTest). Seeds are fixed; the tolerances are stated per test.
 */
class NoiseFitTest {

  /** Interruptions (start, duration) of one core, in time order, never overlapping. */
  private static List<long[]> interruptions(long span, long period, long tickNs, long phase, double meanGap,
      long durLo, long durHi, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<long[]> all = new ArrayList<>();
    for (long t = phase; period > 0 && t < span; t += period) {
      all.add(new long[] {t, tickNs});
    }
    for (double t = meanGap > 0 ? -meanGap * Math.log(1 - r.nextDouble()) : span; t < span;
        t += -meanGap * Math.log(1 - r.nextDouble())) {
      all.add(new long[] {(long) t, durLo + (durHi > durLo ? r.nextLong(durHi - durLo + 1) : 0)});
    }
    all.sort((a, b) -> Long.compare(a[0], b[0]));
    long end = 0;
    for (long[] x : all) { // an interruption that comes while another runs waits for it
      x[0] = Math.max(x[0], end);
      end = x[0] + x[1];
    }
    return all;
  }

  /** FWQ iteration times of a core doing {@code quantum} of work per iteration through {@code noise}. */
  private static long[] fwq(List<long[]> noise, long quantum, int iterations) {
    long[] out = new long[iterations];
    long t = 0;
    int k = 0;
    for (int i = 0; i < iterations; i++) {
      long start = t;
      long work = quantum;
      while (k < noise.size() && noise.get(k)[0] < t + work) {
        long[] x = noise.get(k++);
        work -= Math.max(0, x[0] - t);
        t = Math.max(t, x[0]) + x[1];
      }
      t += work;
      out[i] = t - start;
    }
    return out;
  }

  /** FTQ unit counts: the units of {@code unit} ns done in each quantum. */
  private static long[] ftq(List<long[]> noise, long quantum, long unit, int quanta) {
    long[] out = new long[quanta];
    for (int i = 0; i < quanta; i++) {
      long from = i * quantum;
      long to = from + quantum;
      long busy = 0;
      for (long[] x : noise) {
        busy += Math.max(0, Math.min(to, x[0] + x[1]) - Math.max(from, x[0]));
      }
      out[i] = (quantum - busy) / unit;
    }
    return out;
  }

  private static NoiseFit.Result fwqFit(long period, long tickNs, boolean inStep, double meanGap, long lo, long hi) {
    List<SampleFiles.Series> series = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      long phase = inStep ? 123_456 : 123_456 + c * period / 4;
      series.add(new SampleFiles.Series("core " + c, fwq(interruptions(2_000_000_000L, period, tickNs, phase, meanGap,
          lo, hi, 7 + c), 10_000, 100_000)));
    }
    return NoiseFit.fit(series, new NoiseFit.Options(false, 0, 0));
  }

  @Test
  void aTickAloneIsFoundWithItsFrequencyDurationAndPhases() {
    NoiseFit.Result r = fwqFit(4_000_000, 5_000, true, 0, 0, 0);

    // exact up to the regression's rounding: within 0.1 Hz of 250 Hz, the duration to the ns
    assertThat(r.tick().frequencyHz()).isCloseTo(250, within(0.1));
    assertThat(r.tick().durationNs()).isEqualTo(5_000);
    assertThat(r.tick().phase()).isEqualTo("node");
    assertThat(r.daemons()).isNull();
    assertThat(r.fittedNoise()).isCloseTo(r.measuredNoise(), within(1e-4));
  }

  @Test
  void ticksApartOnEachCoreAreRandomPhases() {
    NoiseFit.Result r = fwqFit(4_000_000, 5_000, false, 0, 0, 0);

    assertThat(r.tick().phase()).isEqualTo("random");
    assertThat(r.tick().frequencyHz()).isCloseTo(250, within(0.1));
  }

  @Test
  void randomInterruptionsOfOneLengthAreExponentialGapsAndAFixedDuration() {
    // 4 cores x about 1 s at a 2 ms mean gap: about 2,000 interruptions; the mean gap within 10%
    NoiseFit.Result r = fwqFit(0, 0, true, 2_000_000, 3_000, 3_000);

    assertThat(r.tick()).isNull();
    assertThat(r.daemons().duration()).isEqualTo("fixed(3000ns)");
    assertThat(r.daemons().gap()).startsWith("exponential(");
    assertThat(r.daemons().meanGapNs()).isCloseTo(2_000_000, within(200_000.0));
    assertThat(r.daemons().gapKs()).isLessThan(0.05);
  }

  @Test
  void aTickAndDaemonsAreToldApart() {
    // the daemons' uniform bounds within 5%, their mean gap within 10%
    NoiseFit.Result r = fwqFit(1_000_000, 2_000, true, 5_000_000, 10_000, 40_000);

    assertThat(r.tick().frequencyHz()).isCloseTo(1000, within(0.5));
    assertThat(r.tick().durationNs()).isEqualTo(2_000);
    assertThat(r.daemons().duration()).startsWith("uniform(");
    String[] bounds = r.daemons().duration().replaceAll("[^0-9,]", "").split(",");
    assertThat(Double.parseDouble(bounds[0])).isCloseTo(10_000, within(500.0));
    assertThat(Double.parseDouble(bounds[1])).isCloseTo(40_000, within(2_000.0));
    assertThat(r.daemons().meanGapNs()).isCloseTo(5_000_000, within(500_000.0));
  }

  @Test
  void ftqCountsGiveTheSameTick() {
    List<SampleFiles.Series> series = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      series.add(new SampleFiles.Series("core " + c, ftq(interruptions(1_000_000_000L, 1_000_000, 4_000, 50_000, 0, 0,
          0, c), 100_000, 100, 10_000)));
    }

    NoiseFit.Result r = NoiseFit.fit(series, new NoiseFit.Options(true, 100_000, 0));

    // FTQ sees the lost time to a unit (100 ns)
    assertThat(r.tick().frequencyHz()).isCloseTo(1000, within(0.5));
    assertThat(r.tick().durationNs()).isCloseTo(4_000, within(100L));
  }

  @Test
  void theFragmentSaysEachValuesFitQuality() {
    NoiseFit.Result r = fwqFit(1_000_000, 2_000, true, 5_000_000, 10_000, 40_000);

    Fragment f = NoiseFit.fragment(r, "mine", "test samples");

    assertThat(f.keys()).containsExactly("noise.profiles.mine.tick", "noise.profiles.mine.daemons");
    assertThat(f.values().get("noise.profiles.mine.tick")).isEqualTo(
        "[{frequency = 1000, duration = 2000ns, phase = node, cpus = all}]");
    assertThat(f.text()).contains("least squares", "KS distance", "net noise: measured");
  }
}
