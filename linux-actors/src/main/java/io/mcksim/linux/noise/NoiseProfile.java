package io.mcksim.linux.noise;

import io.mcksim.config.CpuList;
import io.mcksim.config.NoiseSettings;
import java.util.List;
import java.util.Locale;

/**
 * Built-in noise profiles for a Linux CPU.
 *
 * <ul>
 *   <li>{@code linux-default}: an untuned distribution kernel. A 1000 Hz tick of 2 us; kernel
 *       workers and daemons waking every 10 ms on average (exponential gaps) for 5-50 us; device
 *       interrupts at 2000 per second, 1.5 us each.</li>
 *   <li>{@code linux-tuned}: nohz_full-style isolation. The tick runs once a second (the residual
 *       tick of nohz_full), 2 us; daemons every second on average for 5-20 us; 10 interrupts per
 *       second.</li>
 *   <li>{@code mckernel}, {@code none}: nothing.</li>
 * </ul>
 *
 * Daemons and interrupts draw from each CPU's own stream, so CPUs drift apart; the tick's phase is
 * the same on every CPU.
 */
public final class NoiseProfile {

  private NoiseProfile() {}

  public static final List<String> NAMES = List.of("linux-default", "linux-tuned", "mckernel", "none");

  // The built-in profiles' parts, shared by every CPU (a large machine has millions of Linux CPUs).
  private static final PeriodicTick DEFAULT_TICK = PeriodicTick.hz(1_000, 2_000, 0);
  private static final Distribution DEFAULT_DAEMON_GAP = Distribution.exponential(10_000_000);
  private static final Distribution DEFAULT_DAEMON_LENGTH = Distribution.uniform(5_000, 50_000);
  private static final Distribution DEFAULT_IRQ_GAP = Distribution.exponential(1_000_000_000L / 2_000);
  private static final PeriodicTick TUNED_TICK = PeriodicTick.hz(1, 2_000, 0);
  private static final Distribution TUNED_DAEMON_GAP = Distribution.exponential(1_000_000_000);
  private static final Distribution TUNED_DAEMON_LENGTH = Distribution.uniform(5_000, 20_000);
  private static final Distribution TUNED_IRQ_GAP = Distribution.exponential(1_000_000_000L / 10);
  private static final Distribution IRQ_COST = Distribution.fixed(1_500);

  /**
   * The noise of each Linux CPU under {@code profile}: a built-in one, or one of the scenario's own
   * ({@code noise.profiles}). Trace files are read once, here; a garbled line fails now, naming the
   * file and line.
   *
   * @return the sources of a CPU, by its number on the machine (a source with a CPU list applies only
   *         to the CPUs in it)
   */
  public static java.util.function.IntFunction<List<NoiseSource>> of(NoiseSettings custom, String profile,
      long seed) {
    Factory f = factory(custom, profile);
    return cpu -> f.sources(seed, cpu);
  }

  /** The sources of one CPU of a machine whose random streams derive from {@code seed}. */
  @FunctionalInterface
  public interface Factory {
    List<NoiseSource> sources(long seed, int cpu);
  }

  /**
   * Like {@link #of}, for many seeds (one per node of a large machine): trace files are read once,
   * here, whatever the number of seeds.
   */
  public static Factory factory(NoiseSettings custom, String profile) {
    NoiseSettings.Profile own = custom.profiles().get(profile);
    if (own == null) {
      sources(profile, 0, 0); // rejects an unknown name now
      return (seed, cpu) -> sources(profile, seed, cpu);
    }
    List<TraceNoise> traces = new java.util.ArrayList<>();
    for (NoiseSettings.Trace t : own.traces()) {
      try {
        traces.add(TraceNoise.read(t.file()));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("noise profile '" + profile + "': cannot read trace "
            + t.file() + ": " + e.getMessage(), e);
      }
    }
    return (seed, cpu) -> {
      List<NoiseSource> out = new java.util.ArrayList<>();
      for (NoiseSettings.Tick t : own.ticks()) {
        if (on(t.cpus(), cpu)) {
          out.add(PeriodicTick.hz(t.frequency(), t.duration(), 0));
        }
      }
      int k = 0;
      for (NoiseSettings.Daemons d : own.daemons()) {
        if (on(d.cpus(), cpu)) {
          // aligned: every CPU draws from the same stream, so they wake together
          out.add(new RandomNoise("daemons-" + k, distribution(d.gap()), distribution(d.duration()), 0,
              seed, d.aligned() ? -1 : cpu));
        }
        k++;
      }
      k = 0;
      for (NoiseSettings.Interrupts i : own.interrupts()) {
        if (on(i.cpus(), cpu)) {
          out.add(RandomNoise.interrupts("interrupts-" + k, i.rate(), i.cost(), seed, cpu));
        }
        k++;
      }
      for (int t = 0; t < traces.size(); t++) {
        if (on(own.traces().get(t).cpus(), cpu)) {
          out.add(traces.get(t));
        }
      }
      return out;
    };
  }

  private static Distribution distribution(NoiseSettings.Spread s) {
    return switch (s.kind()) {
      case "fixed" -> Distribution.fixed(s.a());
      case "uniform" -> Distribution.uniform(s.a(), s.b());
      case "exponential" -> Distribution.exponential(s.a());
      default -> throw new IllegalArgumentException("unknown distribution " + s.kind());
    };
  }

  private static boolean on(CpuList cpus, int cpu) {
    return cpus == null || cpus.contains(cpu);
  }

  /** The sources of {@code profile} on CPU {@code cpu} of a run with {@code seed}. */
  public static List<NoiseSource> sources(String profile, long seed, int cpu) {
    return switch (profile.toLowerCase(Locale.ROOT)) {
      case "linux-default" -> List.of(DEFAULT_TICK,
          new RandomNoise("daemons", DEFAULT_DAEMON_GAP, DEFAULT_DAEMON_LENGTH, 0, seed, cpu),
          new RandomNoise("interrupts", DEFAULT_IRQ_GAP, IRQ_COST, 0, seed, cpu));
      case "linux-tuned" -> List.of(TUNED_TICK,
          new RandomNoise("daemons", TUNED_DAEMON_GAP, TUNED_DAEMON_LENGTH, 0, seed, cpu),
          new RandomNoise("interrupts", TUNED_IRQ_GAP, IRQ_COST, 0, seed, cpu));
      case "mckernel", "none" -> List.of();
      default -> throw new IllegalArgumentException("unknown noise profile '" + profile + "'; known: "
          + NAMES);
    };
  }
}
