package io.mcksim.workloads.calibrate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Fits a noise profile ({@code noise.profiles.NAME}: a periodic tick and random daemons) to the
 * per-iteration samples of FWQ or FTQ runs, one series per core.
 *
 * <p>How: an iteration that took longer than a quiet one (FWQ: the median iteration time; FTQ: a quantum
 * that got fewer units done than the most any got) by more than a threshold is an interruption, its
 * detour the extra time, its time the iteration's start. The tick is the densest cluster of equal
 * detours (within 5%) if its interruptions come at whole multiples of one period (at least 80% of the
 * gaps between them): its period is fitted by least squares over every core (each core its own phase;
 * the phases in step across cores give {@code phase = node}, else {@code random}), its duration the
 * median detour of its cluster. The interruptions left, once the tick's duration is taken off those
 * iterations that also held a tick, are the daemons: their mean gap is the time observed over their
 * count (per core), their gaps fixed when their coefficient of variation is below 0.25, else
 * exponential; their durations the best of fixed, uniform and exponential by the Kolmogorov-Smirnov
 * distance.
 *
 * <p>What it assumes, as FWQ is meant to be run: the quantum is shorter than the gaps between
 * interruptions, so that most iterations are quiet and an iteration rarely holds two interruptions
 * (two interruptions in one iteration count as one, their detours added); an interruption split across
 * two FTQ quanta counts twice. Several random sources (daemons and interrupts) are fitted as one source
 * whose durations are their mixture: the fit quality says how well one shape fits.
 */
public final class NoiseFit {

  private NoiseFit() {}

  /** A Kolmogorov-Smirnov distance above which a shape is said not to fit. */
  public static final double POOR_FIT = 0.2;

  /** Iterations a core needs for a fit. */
  public static final int MIN_SAMPLES = 100;

  /**
   * How to read the samples.
   *
   * @param ftq       the samples are FTQ counts (units per quantum), not FWQ iteration times in ns
   * @param quantumNs FTQ: the length of one quantum in ns (unused for FWQ)
   * @param threshold the least detour in ns counted as an interruption; 0: five times the median
   *                  absolute deviation of the samples, at least 0.5% of a quiet iteration (FTQ: at
   *                  least two units of work)
   */
  public record Options(boolean ftq, long quantumNs, long threshold) {}

  /** One interruption seen: its core, when its iteration began and ended, and its detour (ns). */
  record Event(int core, long start, long end, long detour) {}

  /** One core's samples turned into interruptions. */
  record Core(String name, long quietNs, long threshold, long spanNs, long iterations, List<Event> events) {}

  /**
   * The tick fitted.
   *
   * @param frequencyHz   10^9 over the fitted period
   * @param periodNs      the fitted period
   * @param durationNs    the median detour of its interruptions
   * @param phase         node (in step across cores) or random
   * @param hits          its interruptions seen
   * @param expected      the interruptions the observed time holds at its period
   * @param rmsResidualNs the fit's residual: how far its interruptions lie from the fitted instants
   * @param p10           the 10th percentile of its durations
   * @param p90           the 90th
   */
  public record Tick(double frequencyHz, double periodNs, long durationNs, String phase, int hits, double expected,
      double rmsResidualNs, long p10, long p90) {}

  /**
   * The random interruptions fitted.
   *
   * @param gap            the gap, as the scenario writes it (exponential(MEAN) or fixed(GAP))
   * @param duration       the duration, likewise (fixed, uniform or exponential)
   * @param count          the interruptions
   * @param meanGapNs      the mean gap per core
   * @param gapCv          the coefficient of variation of the gaps seen
   * @param gapKs          the Kolmogorov-Smirnov distance of the gaps from the exponential fit
   * @param gaps           the gaps seen
   * @param ks             the distance of the durations from each shape: fixed, uniform, exponential
   * @param meanDurationNs the mean duration
   */
  public record Daemons(String gap, String duration, int count, double meanGapNs, double gapCv, double gapKs, int gaps,
      double[] ks, double meanDurationNs) {}

  /**
   * The fit.
   *
   * @param cores      the cores
   * @param samples    the samples
   * @param quietNs    a quiet iteration (the median over cores)
   * @param threshold  the least detour counted
   * @param spanNs     the time observed, over every core
   * @param noiseNs    the detours, over every core
   * @param tick       the tick, or null when there is none
   * @param daemons    the random interruptions, or null when there are none
   */
  public record Result(int cores, long samples, long quietNs, long threshold, long spanNs, long noiseNs, Tick tick,
      Daemons daemons) {

    /** The share of the observed time the samples lost to noise. */
    public double measuredNoise() {
      return spanNs == 0 ? 0 : (double) noiseNs / spanNs;
    }

    /**
     * What a user should know before using the fit: a shape that does not fit, a profile whose net noise
     * is not the samples' own.
     */
    public List<String> warnings() {
      List<String> w = new ArrayList<>();
      double measured = measuredNoise();
      double fitted = fittedNoise();
      if (measured > 1e-4 && Math.abs(fitted - measured) > 0.2 * measured) {
        w.add(String.format(Locale.ROOT, "the fitted profile takes %.4f%% of the time where the samples lost %.4f%%:"
            + " their noise is not a tick and one kind of random interruption (on a loaded or shared machine,"
            + " other processes take whole time slices); check the samples, or replay them as a trace source"
            + " (noise.profiles.NAME.traces)", 100 * fitted, 100 * measured));
      }
      if (daemons != null) {
        double best = Math.min(daemons.ks()[0], Math.min(daemons.ks()[1], daemons.ks()[2]));
        if (best > POOR_FIT) {
          w.add(String.format(Locale.ROOT, "no shape fits the daemons' durations (the least KS distance is %.3f);"
              + " the exponential with their mean keeps the net noise", best));
        }
        if (daemons.gap().startsWith("exponential") && daemons.gapKs() > POOR_FIT) {
          w.add(String.format(Locale.ROOT, "the daemons' gaps are not exponential (KS distance %.3f, coefficient of"
              + " variation %.2f): they come in bursts", daemons.gapKs(), daemons.gapCv()));
        }
      }
      return w;
    }

    /** The share the fitted profile takes on average. */
    public double fittedNoise() {
      double f = 0;
      if (tick != null) {
        f += tick.durationNs() / tick.periodNs();
      }
      if (daemons != null) {
        f += daemons.meanDurationNs() / daemons.meanGapNs();
      }
      return f;
    }
  }

  /** Fits the series. */
  public static Result fit(List<SampleFiles.Series> series, Options o) {
    if (series.isEmpty()) {
      throw new IllegalArgumentException("no samples to fit; give at least one file of FWQ or FTQ samples");
    }
    List<Core> cores = new ArrayList<>();
    long samples = 0;
    for (SampleFiles.Series s : series) {
      if (s.values().length < MIN_SAMPLES) {
        throw new IllegalArgumentException(s.name() + ": " + s.values().length + " samples; a fit needs at least "
            + MIN_SAMPLES + " iterations per core (record a longer run)");
      }
      cores.add(o.ftq() ? ftqCore(s, o) : fwqCore(s, o));
      samples += s.values().length;
    }
    long span = 0;
    long noise = 0;
    long[] quiet = new long[cores.size()];
    long threshold = 0;
    List<Event> events = new ArrayList<>();
    for (int c = 0; c < cores.size(); c++) {
      Core core = cores.get(c);
      span += core.spanNs();
      quiet[c] = core.quietNs();
      threshold = Math.max(threshold, core.threshold());
      for (Event e : core.events()) {
        noise += e.detour();
        events.add(new Event(c, e.start(), e.end(), e.detour()));
      }
    }
    long quietNs = median(quiet);
    TickFit tick = tick(cores, events, quietNs);
    List<Event> rest = new ArrayList<>();
    for (Event e : events) {
      long left = tick == null ? e.detour() : tick.remainder(e);
      if (left > cores.get(e.core()).threshold()) {
        rest.add(new Event(e.core(), e.start(), e.end(), left));
      }
    }
    Daemons daemons = rest.size() < 3 ? null : daemons(cores.size(), rest, span);
    return new Result(cores.size(), samples, quietNs, threshold, span, noise, tick == null ? null : tick.tick, daemons);
  }

  // ---- per core: samples to interruptions ----

  private static Core fwqCore(SampleFiles.Series s, Options o) {
    long[] v = s.values();
    long quiet = median(v.clone());
    long threshold = o.threshold() > 0 ? o.threshold() : Math.max(5 * mad(v, quiet), Math.max(1, quiet / 200));
    List<Event> events = new ArrayList<>();
    long t = 0;
    for (long x : v) {
      if (x - quiet > threshold) {
        events.add(new Event(-1, t, t + x, x - quiet));
      }
      t += x;
    }
    return new Core(s.name(), quiet, threshold, t, v.length, events);
  }

  private static Core ftqCore(SampleFiles.Series s, Options o) {
    long[] v = s.values();
    long most = Arrays.stream(v).max().orElse(0);
    if (most <= 0) {
      throw new IllegalArgumentException(s.name() + ": every count is 0; FTQ samples are the units of work each "
          + "quantum got done");
    }
    double unit = (double) o.quantumNs() / most;
    long[] lost = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      lost[i] = Math.round((most - v[i]) * unit);
    }
    long typical = median(lost.clone());
    long threshold = o.threshold() > 0 ? o.threshold()
        : Math.max(5 * mad(lost, typical), Math.max(typical, Math.round(2 * unit)));
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < v.length; i++) {
      if (lost[i] - typical > threshold) {
        long start = i * o.quantumNs();
        events.add(new Event(-1, start, start + o.quantumNs(), lost[i] - typical));
      }
    }
    return new Core(s.name(), o.quantumNs(), threshold, v.length * o.quantumNs(), v.length, events);
  }

  // ---- the tick ----

  /** A fitted tick with each core's phase: the instants it strikes. */
  private record TickFit(Tick tick, double period, double[] phase, double tolerance) {

    /**
     * What is left of {@code e}'s detour once a tick that struck in its iteration is taken off: the whole
     * detour when none did; 0 for one of the tick's own interruptions.
     */
    long remainder(Event e) {
      double p = phase[e.core()];
      double n = Math.ceil((e.start() - p - tolerance) / period);
      double at = p + n * period;
      if (at >= e.end() + tolerance) {
        return e.detour();
      }
      return e.detour() - tick.durationNs();
    }
  }

  private static TickFit tick(List<Core> cores, List<Event> all, long quietNs) {
    if (all.size() < 10) {
      return null;
    }
    long[] d = new long[all.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = all.get(i).detour();
    }
    Arrays.sort(d);
    // the densest window of detours within 5% of its lowest
    int best = 0;
    int bestFrom = 0;
    for (int i = 0, j = 0; i < d.length; i++) {
      while (j < d.length && d[j] <= d[i] + Math.max(1, d[i] / 20)) {
        j++;
      }
      if (j - i > best) {
        best = j - i;
        bestFrom = i;
      }
    }
    long mode = d[bestFrom + best / 2];
    long width = Math.max(1, mode / 20);
    List<List<Event>> perCore = new ArrayList<>();
    List<Long> durations = new ArrayList<>();
    for (int c = 0; c < cores.size(); c++) {
      List<Event> mine = new ArrayList<>();
      for (Event e : cores.get(c).events()) {
        if (Math.abs(e.detour() - mode) <= width) {
          mine.add(new Event(c, e.start(), e.end(), e.detour()));
          durations.add(e.detour());
        }
      }
      perCore.add(mine);
    }
    if (durations.size() < Math.max(10, 2 * cores.size())) {
      return null;
    }
    List<Long> gaps = new ArrayList<>();
    for (List<Event> mine : perCore) {
      for (int i = 1; i < mine.size(); i++) {
        gaps.add(mine.get(i).start() - mine.get(i - 1).start());
      }
    }
    if (gaps.size() < 5) {
      return null;
    }
    long p0 = median(gaps.stream().mapToLong(Long::longValue).toArray());
    long iteration = quietNs + mode;
    if (p0 <= 2 * iteration) {
      return null; // a tick faster than the iterations cannot be told from them
    }
    int regular = 0;
    for (long g : gaps) {
      long m = Math.max(1, Math.round((double) g / p0));
      if (Math.abs(g - m * p0) <= p0 / 10 + iteration) {
        regular++;
      }
    }
    if (regular < 0.8 * gaps.size()) {
      return null;
    }
    // each core's hits numbered by whole periods from its first, by consecutive gaps (robust to drift)
    double sxy = 0;
    double sxx = 0;
    double[][] ks = new double[perCore.size()][];
    double[] meanK = new double[perCore.size()];
    double[] meanT = new double[perCore.size()];
    for (int c = 0; c < perCore.size(); c++) {
      List<Event> mine = perCore.get(c);
      ks[c] = new double[mine.size()];
      for (int i = 1; i < mine.size(); i++) {
        long g = mine.get(i).start() - mine.get(i - 1).start();
        ks[c][i] = ks[c][i - 1] + Math.max(1, Math.round((double) g / p0));
      }
      for (int i = 0; i < mine.size(); i++) {
        meanK[c] += ks[c][i] / mine.size();
        meanT[c] += (double) mine.get(i).start() / mine.size();
      }
      for (int i = 0; i < mine.size(); i++) {
        sxy += (ks[c][i] - meanK[c]) * (mine.get(i).start() - meanT[c]);
        sxx += (ks[c][i] - meanK[c]) * (ks[c][i] - meanK[c]);
      }
    }
    if (sxx == 0) {
      return null;
    }
    double period = sxy / sxx;
    double squares = 0;
    int n = 0;
    double[] phase = new double[perCore.size()];
    for (int c = 0; c < perCore.size(); c++) {
      List<Event> mine = perCore.get(c);
      // the tick strikes uniformly within the first quiet iteration's worth of its hit iteration
      double a = meanT[c] - period * meanK[c] + quietNs / 2.0;
      phase[c] = mine.isEmpty() ? 0 : ((a % period) + period) % period;
      for (int i = 0; i < mine.size(); i++) {
        double r = mine.get(i).start() + quietNs / 2.0 - (a + period * ks[c][i]);
        squares += r * r;
        n++;
      }
    }
    double rms = Math.sqrt(squares / Math.max(1, n));
    long[] dur = durations.stream().mapToLong(Long::longValue).sorted().toArray();
    long duration = dur[dur.length / 2];
    double span = 0;
    for (Core c : cores) {
      span += c.spanNs();
    }
    String phaseWord = inStep(phase, perCore, period, iteration) ? "node" : "random";
    Tick t = new Tick(1e9 / period, period, duration, phaseWord, dur.length, span / period, rms,
        dur[(int) (dur.length * 0.1)], dur[Math.min(dur.length - 1, (int) (dur.length * 0.9))]);
    // each core's phase is the mean of its hits: its error falls with their number
    int fewest = Integer.MAX_VALUE;
    for (List<Event> mine : perCore) {
      if (!mine.isEmpty()) {
        fewest = Math.min(fewest, mine.size());
      }
    }
    return new TickFit(t, period, phase, 3 * rms / Math.sqrt(fewest) + 0.001 * period);
  }

  /** Whether the cores' tick phases agree within an iteration and 2% of the period (circularly). */
  private static boolean inStep(double[] phase, List<List<Event>> perCore, double period, long iteration) {
    double tolerance = iteration + 0.02 * period;
    int first = -1;
    for (int c = 0; c < phase.length; c++) {
      if (perCore.get(c).isEmpty()) {
        continue;
      }
      if (first < 0) {
        first = c;
        continue;
      }
      double diff = Math.abs(phase[c] - phase[first]);
      if (Math.min(diff, period - diff) > tolerance) {
        return false;
      }
    }
    return true;
  }

  // ---- the random interruptions ----

  private static Daemons daemons(int cores, List<Event> rest, long span) {
    double meanGap = (double) span / rest.size();
    List<Long> gaps = new ArrayList<>();
    Event last = null;
    for (Event e : rest) { // in core order, then in time
      if (last != null && last.core() == e.core() && e.start() > last.start()) {
        gaps.add(e.start() - last.start());
      }
      last = e;
    }
    double[] g = gaps.stream().mapToDouble(Long::doubleValue).sorted().toArray();
    double cv = cv(g);
    double gapKs = ks(g, x -> 1 - Math.exp(-x / meanGap));
    String gap = g.length >= 2 && cv < 0.25 ? "fixed(" + ns(meanGap) + ")" : "exponential(" + ns(meanGap) + ")";

    double[] r = rest.stream().mapToDouble(Event::detour).sorted().toArray();
    double mean = Arrays.stream(r).average().orElse(0);
    double median = r[r.length / 2];
    double lo = r[0];
    double hi = r[r.length - 1];
    // the uniform's bounds from its 2.5th and 97.5th percentiles: two interruptions in one iteration (a
    // detour that is their sum) do not stretch it
    double q1 = r[(int) (0.025 * (r.length - 1))];
    double q2 = r[(int) Math.ceil(0.975 * (r.length - 1))];
    double width = (q2 - q1) / 0.95;
    double a = Math.max(1, q1 - 0.025 * width);
    double b = Math.max(a, q2 + 0.025 * width);
    double fixedKs = Math.max(fraction(r, x -> x < median), fraction(r, x -> x > median));
    double uniformKs = ks(r, x -> x <= a ? 0 : x >= b ? 1 : (x - a) / (b - a));
    double expKs = ks(r, x -> 1 - Math.exp(-x / mean));
    String duration;
    if (Math.min(fixedKs, Math.min(uniformKs, expKs)) > POOR_FIT && hi - lo > 0.05 * median) {
      // no shape fits: the exponential with their mean keeps the net noise and a tail
      duration = "exponential(" + ns(mean) + ")";
    } else if (hi - lo <= 0.05 * median || fixedKs <= Math.min(uniformKs, expKs)) {
      duration = "fixed(" + ns(median) + ")";
    } else if (uniformKs <= expKs) {
      duration = "uniform(" + ns(a) + ", " + ns(b) + ")";
    } else {
      duration = "exponential(" + ns(mean) + ")";
    }
    double meanDuration = duration.startsWith("fixed") ? median : duration.startsWith("uniform") ? (a + b) / 2 : mean;
    return new Daemons(gap, duration, rest.size(), meanGap, cv, gapKs, g.length,
        new double[] {fixedKs, uniformKs, expKs}, meanDuration);
  }

  // ---- statistics ----

  /** The Kolmogorov-Smirnov distance of sorted {@code x} from the distribution {@code cdf}. */
  static double ks(double[] x, java.util.function.DoubleUnaryOperator cdf) {
    double d = 0;
    int n = x.length;
    for (int i = 0; i < n; i++) {
      double f = cdf.applyAsDouble(x[i]);
      d = Math.max(d, Math.max((i + 1.0) / n - f, f - (double) i / n));
    }
    return d;
  }

  private static double fraction(double[] x, java.util.function.DoublePredicate p) {
    int k = 0;
    for (double v : x) {
      if (p.test(v)) {
        k++;
      }
    }
    return x.length == 0 ? 0 : (double) k / x.length;
  }

  private static double cv(double[] x) {
    if (x.length < 2) {
      return 0;
    }
    double mean = Arrays.stream(x).average().orElse(0);
    double ss = 0;
    for (double v : x) {
      ss += (v - mean) * (v - mean);
    }
    return mean == 0 ? 0 : Math.sqrt(ss / (x.length - 1)) / mean;
  }

  /** The median of {@code v} (reordered). */
  static long median(long[] v) {
    Arrays.sort(v);
    return v.length == 0 ? 0 : v[v.length / 2];
  }

  /** The median absolute deviation of {@code v} from {@code center}. */
  private static long mad(long[] v, long center) {
    long[] dev = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      dev[i] = Math.abs(v[i] - center);
    }
    return median(dev);
  }

  /** A duration as the scenario writes it, in whole ns. */
  static String ns(double v) {
    return Math.round(v) + "ns";
  }

  // ---- the fragment ----

  /**
   * The fitted profile as a scenario fragment, named {@code name}, with each value's fit quality in the
   * comments; {@code source} says what was fitted (the files).
   */
  public static Fragment fragment(Result r, String name, String source) {
    Fragment f = new Fragment();
    String at = "noise.profiles." + name;
    f.comment(String.format(Locale.ROOT, "noise profile '%s' fitted to %s: %,d cores, %,d iterations, %s observed;"
        + " a quiet iteration %,d ns; interruptions: detours above %,d ns", name, source, r.cores(), r.samples(),
        seconds(r.spanNs()), r.quietNs(), r.threshold()));
    f.comment(String.format(Locale.ROOT, "net noise: measured %.4f%%, fitted profile %.4f%%", 100 * r.measuredNoise(),
        100 * r.fittedNoise()));
    for (String w : r.warnings()) {
      f.comment("WARNING: " + w);
    }
    Tick t = r.tick();
    if (t != null) {
      f.comment(String.format(Locale.ROOT, "tick: %,d interruptions of %,.0f the observed time holds at its period"
          + " (%.1f%%); period %,.1f ns by least squares (RMS residual %,.0f ns), %.3f Hz, written as %d Hz;"
          + " duration the median detour (10th-90th percentile %,d-%,d ns); phases %s", t.hits(), t.expected(),
          100 * t.hits() / t.expected(), t.periodNs(), t.rmsResidualNs(), t.frequencyHz(),
          Math.round(t.frequencyHz()), t.p10(), t.p90(), t.phase().equals("node")
              ? "in step across the cores: phase = node" : "apart across the cores: phase = random"));
      f.set(at + ".tick", String.format(Locale.ROOT, "[{frequency = %d, duration = %s, phase = %s, cpus = all}]",
          Math.max(1, Math.round(t.frequencyHz())), ns(t.durationNs()), t.phase()));
    } else {
      f.comment("tick: none found (no cluster of equal detours at whole multiples of one period)");
      f.set(at + ".tick", "[]");
    }
    Daemons d = r.daemons();
    if (d != null) {
      f.comment(String.format(Locale.ROOT, "daemons: %,d interruptions, one every %s per core on average; gaps"
          + " %s (coefficient of variation %.2f; KS distance from exponential %.3f over %,d gaps); durations %s"
          + " (KS distance: fixed %.3f, uniform %.3f, exponential %.3f)", d.count(), seconds(Math.round(d.meanGapNs())),
          d.gap().startsWith("fixed") ? "fixed" : "exponential", d.gapCv(), d.gapKs(), d.gaps(),
          d.duration().substring(0, d.duration().indexOf('(')), d.ks()[0], d.ks()[1], d.ks()[2]));
      f.set(at + ".daemons", "[{gap = \"" + d.gap() + "\", duration = \"" + d.duration() + "\", phase = random, cpus = all}]");
    } else {
      f.comment("daemons: none found (fewer than 3 interruptions besides the tick)");
      f.set(at + ".daemons", "[]");
    }
    return f;
  }

  private static String seconds(long ns) {
    if (ns >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.3f s", ns / 1e9);
    }
    if (ns >= 1_000_000) {
      return String.format(Locale.ROOT, "%.3f ms", ns / 1e6);
    }
    return String.format(Locale.ROOT, "%.3f us", ns / 1e3);
  }
}
