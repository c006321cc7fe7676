package io.mcksim.linux.noise;

import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.config.CpuList;
import io.mcksim.config.NoiseSettings;
import io.mcksim.config.NoiseSettings.Phase;
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
 * Daemons and interrupts draw from each CPU's own stream, so CPUs drift apart. The tick's phase is
 * drawn uniformly over one period per node: in step on the CPUs of a node, as Linux's tick is without
 * {@code skew_tick}, and apart from node to node, as real nodes' clocks are.
 *
 * <p>Every draw depends only on the run's seed, the node, the CPU and the source ({@link Phase}): the
 * same on every engine, thread count and JVM layout.
 */
public final class NoiseProfile {

  private NoiseProfile() {}

  public static final List<String> NAMES = List.of("linux-default", "linux-tuned", "mckernel", "none");

  // The built-in profiles' parts, shared by every CPU (a large machine has millions of Linux CPUs); a
  // tick is made per CPU, with its node's phase.
  private static final long DEFAULT_TICK_PERIOD = 1_000_000;
  private static final long TICK_DURATION = 2_000;
  private static final Distribution DEFAULT_DAEMON_GAP = Distribution.exponential(10_000_000);
  private static final Distribution DEFAULT_DAEMON_LENGTH = Distribution.uniform(5_000, 50_000);
  private static final Distribution DEFAULT_IRQ_GAP = Distribution.exponential(1_000_000_000L / 2_000);
  private static final long TUNED_TICK_PERIOD = 1_000_000_000;
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
    return cpu -> f.sources(seed, 0, cpu);
  }

  /** The sources of CPU {@code cpu} of node {@code node} of a run whose random streams derive from {@code seed}. */
  @FunctionalInterface
  public interface Factory {
    List<NoiseSource> sources(long seed, int node, int cpu);
  }

  /** The seed of node {@code node}'s noise streams: the run's for node 0, a stream of it for the others. */
  public static long nodeSeed(long seed, int node) {
    return node == 0 ? seed : RandomStreams.streamSeed(seed, node, "node-noise");
  }

  /** The stream a source draws from: the seed and the entity of {@link RandomStreams#stream}. */
  private record Stream(long seed, int entity) {
    /** The stream of a source whose phase is {@code phase}, on CPU {@code cpu} of node {@code node}. */
    static Stream of(Phase phase, long seed, int node, int cpu) {
      return switch (phase) {
        case RANDOM -> new Stream(nodeSeed(seed, node), cpu);
        case NODE -> new Stream(nodeSeed(seed, node), -1);
        case ALIGNED -> new Stream(seed, -1);
      };
    }
  }

  /**
   * Interruptions of {@code duration} every {@code period}, named {@code name}, at a phase drawn
   * uniformly over one period from the stream {@code phase} says.
   */
  static PeriodicTick periodic(String name, long period, long duration, Phase phase, long seed, int node,
      int cpu) {
    Stream s = Stream.of(phase, seed, node, cpu);
    double u = RandomStreams.uniform(s.seed(), s.entity(), "noise/" + name + "/phase", 0);
    return new PeriodicTick(period, duration, (long) (u * period));
  }

  /** Random interruptions named {@code name}, from the stream {@code phase} says. */
  static RandomNoise random(String name, Distribution gap, Distribution duration, Phase phase, long seed,
      int node, int cpu) {
    Stream s = Stream.of(phase, seed, node, cpu);
    return new RandomNoise(name, gap, duration, 0, s.seed(), s.entity());
  }

  /**
   * Like {@link #of}, for many seeds (one per node of a large machine): trace files are read once,
   * here, whatever the number of seeds.
   */
  public static Factory factory(NoiseSettings custom, String profile) {
    NoiseSettings.Profile own = custom.profiles().get(profile);
    if (own == null) {
      sources(profile, 0, 0, 0); // rejects an unknown name now
      return (seed, node, cpu) -> sources(profile, seed, node, cpu);
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
    return (seed, node, cpu) -> {
      List<NoiseSource> out = new java.util.ArrayList<>();
      int k = 0;
      for (NoiseSettings.Tick t : own.ticks()) {
        if (on(t.cpus(), cpu)) {
          out.add(periodic("tick-" + k, t.period(), t.duration(), t.phase(), seed, node, cpu));
        }
        k++;
      }
      k = 0;
      for (NoiseSettings.Daemons d : own.daemons()) {
        if (on(d.cpus(), cpu)) {
          out.add(random("daemons-" + k, distribution(d.gap()), distribution(d.duration()), d.phase(), seed,
              node, cpu));
        }
        k++;
      }
      k = 0;
      for (NoiseSettings.Interrupts i : own.interrupts()) {
        if (on(i.cpus(), cpu)) {
          out.add(RandomNoise.interrupts("interrupts-" + k, i.rate(), i.cost(), nodeSeed(seed, node), cpu));
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

  /** The sources of {@code profile} on CPU {@code cpu} of node {@code node} of a run with {@code seed}. */
  public static List<NoiseSource> sources(String profile, long seed, int node, int cpu) {
    return switch (profile.toLowerCase(Locale.ROOT)) {
      case "linux-default" -> List.of(periodic("tick", DEFAULT_TICK_PERIOD, TICK_DURATION, Phase.NODE, seed, node, cpu),
          random("daemons", DEFAULT_DAEMON_GAP, DEFAULT_DAEMON_LENGTH, Phase.RANDOM, seed, node, cpu),
          random("interrupts", DEFAULT_IRQ_GAP, IRQ_COST, Phase.RANDOM, seed, node, cpu));
      case "linux-tuned" -> List.of(periodic("tick", TUNED_TICK_PERIOD, TICK_DURATION, Phase.NODE, seed, node, cpu),
          random("daemons", TUNED_DAEMON_GAP, TUNED_DAEMON_LENGTH, Phase.RANDOM, seed, node, cpu),
          random("interrupts", TUNED_IRQ_GAP, IRQ_COST, Phase.RANDOM, seed, node, cpu));
      case "mckernel", "none" -> List.of();
      default -> throw new IllegalArgumentException("unknown noise profile '" + profile + "'; known: "
          + NAMES);
    };
  }
}
