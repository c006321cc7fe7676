package io.mcksim.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code noise} section: noise profiles of the scenario's own, by name, usable wherever a built-in
 * profile name goes ({@code os.linux-noise}, {@code workload.fwq.noise}, {@code workload.ftq.noise}).
 * A profile composes sources, each on every Linux CPU or on a CPU set of its own.
 *
 * @param profiles the profiles by name
 */
public record NoiseSettings(Map<String, Profile> profiles) {

  /** The profiles mcksim has built in (see the linux-actors NoiseProfile). */
  public static final Set<String> BUILT_IN = Set.of("linux-default", "linux-tuned", "mckernel", "none");

  public NoiseSettings {
    profiles = Map.copyOf(new TreeMap<>(profiles));
  }

  /** Every profile name a scenario may use: the built-in ones and its own. */
  public Set<String> names() {
    java.util.TreeSet<String> all = new java.util.TreeSet<>(BUILT_IN);
    all.addAll(profiles.keySet());
    return all;
  }

  /** A profile's sources. */
  public record Profile(List<Tick> ticks, List<Daemons> daemons, List<Interrupts> interrupts,
      List<Trace> traces) {
    public Profile {
      ticks = List.copyOf(ticks);
      daemons = List.copyOf(daemons);
      interrupts = List.copyOf(interrupts);
      traces = List.copyOf(traces);
    }
  }

  /**
   * A periodic timer tick at {@code frequency} Hz, each taking {@code duration} ns, at the same phase
   * on every CPU.
   *
   * @param cpus the CPUs it runs on, or null for every one
   */
  public record Tick(CpuList cpus, long frequency, long duration) {}

  /**
   * Daemons: the gap from one wake-up to the next and each run's duration drawn from their spreads.
   *
   * @param aligned true: the same wake-ups on every CPU; false: each CPU its own
   */
  public record Daemons(CpuList cpus, Spread gap, Spread duration, boolean aligned) {}

  /**
   * A distribution of durations in ns, as written in the scenario: {@code fixed(a)},
   * {@code uniform(a, b)} or {@code exponential(a)} (a the mean).
   *
   * @param kind {@code fixed}, {@code uniform} or {@code exponential}
   */
  public record Spread(String kind, long a, long b) {}

  /** Interrupts at {@code rate} per second on average, {@code cost} ns each. */
  public record Interrupts(CpuList cpus, double rate, long cost) {}

  /** Interruptions read from a file of (start, duration) pairs in ns, one pair per line. */
  public record Trace(CpuList cpus, Path file) {}
}
