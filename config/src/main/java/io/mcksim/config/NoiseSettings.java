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

  /** A profile's sources (an {@code injection} is one more of its ticks). */
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
   * Which CPUs a source's interruptions are in step on: what its random phase (and, for random gaps,
   * every draw after it) is drawn from.
   */
  public enum Phase {
    /** Each CPU of each node its own: drawn from the stream of (seed, node, CPU, source). */
    RANDOM,
    /** The CPUs of one node together, nodes apart: from the stream of (seed, node, source). */
    NODE,
    /** Every CPU of the whole machine together (co-scheduled): from the stream of (seed, source). */
    ALIGNED;

    /** The word a scenario writes for it. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A periodic interruption at {@code frequency} Hz, each taking {@code duration} ns: the timer tick
   * ({@code tick}, by default in step on the CPUs of a node, as Linux's tick without {@code skew_tick})
   * or injected noise ({@code injection}, by default each CPU its own phase). Its phase is drawn
   * uniformly over one period.
   *
   * @param cpus the CPUs it runs on, or null for every one
   */
  public record Tick(CpuList cpus, double frequency, long duration, Phase phase) {
    /** The period in ns: 10^9 / frequency, truncated. */
    public long period() {
      return (long) (1e9 / frequency);
    }
  }

  /**
   * Daemons: the gap from one wake-up to the next and each run's duration drawn from their spreads;
   * the first wake-up comes a random phase after time 0 (see {@link Phase}).
   */
  public record Daemons(CpuList cpus, Spread gap, Spread duration, Phase phase) {}

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
