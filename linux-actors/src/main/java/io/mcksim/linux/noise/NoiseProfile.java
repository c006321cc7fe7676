package io.mcksim.linux.noise;

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

  /** The sources of {@code profile} on CPU {@code cpu} of a run with {@code seed}. */
  public static List<NoiseSource> sources(String profile, long seed, int cpu) {
    return switch (profile.toLowerCase(Locale.ROOT)) {
      case "linux-default" -> List.of(
          PeriodicTick.hz(1_000, 2_000, 0),
          new RandomNoise("daemons", Distribution.exponential(10_000_000),
              Distribution.uniform(5_000, 50_000), 0, seed, cpu),
          RandomNoise.interrupts("interrupts", 2_000, 1_500, seed, cpu));
      case "linux-tuned" -> List.of(
          PeriodicTick.hz(1, 2_000, 0),
          new RandomNoise("daemons", Distribution.exponential(1_000_000_000),
              Distribution.uniform(5_000, 20_000), 0, seed, cpu),
          RandomNoise.interrupts("interrupts", 10, 1_500, seed, cpu));
      case "mckernel", "none" -> List.of();
      default -> throw new IllegalArgumentException("unknown noise profile '" + profile + "'; known: "
          + NAMES);
    };
  }
}
