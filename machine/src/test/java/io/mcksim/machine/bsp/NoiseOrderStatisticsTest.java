package io.mcksim.machine.bsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Noise that is independent across nodes slows a bulk-synchronous application down more the more nodes
 * it has, as the order statistics of the per-node delays say; noise co-scheduled on every node does not.
 *
 * <p>The closed form: one thread per node computes {@code q} an iteration, then the nodes meet in an
 * allreduce over a network made almost free (1 ns, no overhead), so that iterations follow each other
 * back to back; every node's CPU has one daemon with a fixed gap {@code G} and duration {@code d} at a
 * phase uniform over the gap. A node is delayed by {@code d} in an iteration when its daemon wakes in
 * that iteration's {@code q}: with the phase uniform, with probability q / G. The iteration waits for
 * the slowest node, the maximum of the N nodes' delays: {@code d} unless none is hit, so with independent
 * phases E[max] = d (1 - (1 - q/G)^N), and with aligned phases (every node hit together) d q / G
 * whatever N. (To first order in N d / G: an iteration stretched by a delay is a little longer, a second
 * hit in it adds a little; at N = 64 and d / G = 0.2% that is within the tolerance.)
 */
class NoiseOrderStatisticsTest {

  static final long G = 1_000_000;
  static final long D = 2_000;
  static final long Q = 100_000;
  static final int ITERATIONS = 1000;
  /** Runs (seeds) averaged per node count: the phases of a run are fixed, so its average has a spread. */
  static final int SEEDS = 4;
  /**
   * The tolerance: a tenth of {@code d}, about three standard errors of the mean of four runs where the
   * spread is widest (N = 16: 0.14 us run to run).
   */
  static final double TOLERANCE = D / 10.0;

  /** The expected delay of an iteration over {@code n} nodes with independent phases. */
  static double expectedMax(int n) {
    return D * (1 - Math.pow(1 - (double) Q / G, n));
  }

  /** The mean extra time an iteration takes over its noiseless ideal, for {@code nodes} nodes. */
  static double meanDelay(int nodes, String phase, long seed) {
    Scenario s = new ScenarioLoader().load(null, List.of("workload.type=bsp", "os.model=linux",
        "run.seed=" + seed, "machine.nodes=" + nodes, "workload.bsp.threads-per-rank=1",
        "workload.bsp.ranks-per-node=1", "workload.bsp.iterations=" + ITERATIONS,
        "workload.bsp.quantum=\"fixed(" + Q / 1000 + "us)\"",
        "noise.profiles.one-daemon.daemons=[{gap=\"fixed(" + G / 1000 + "us)\", duration=\"fixed(" + D / 1000
            + "us)\", phase=" + phase + ", cpus=all}]",
        "os.linux-noise=one-daemon", "interconnect.latency=1ns", "interconnect.overhead=0",
        "interconnect.gap=0", "interconnect.per-byte=0", "interconnect.intra-node-latency=1ns",
        "workload.bsp.thread-barrier=1ns"));
    BspApplication app = BspSetup.application(s);
    Engine.named("sequential").run(app, RunSpec.until(Long.MAX_VALUE / 2, 1));
    return (double) (app.outcome().runtimeNs() - app.idealNs()) / ITERATIONS;
  }

  /** The mean of {@link #meanDelay} over {@link #SEEDS} seeds. */
  static double averaged(int nodes, String phase) {
    double sum = 0;
    for (int k = 0; k < SEEDS; k++) {
      sum += meanDelay(nodes, phase, 11 + k);
    }
    return sum / SEEDS;
  }

  @Test
  void withIndependentPhasesTheSlowdownGrowsWithTheNodeCountAsTheMaximumOfThePerNodeDelays() {
    double before = 0;
    for (int n : new int[] {1, 4, 16, 64}) {
      double measured = averaged(n, "random");
      assertThat(measured).as("mean delay of an iteration over %d nodes (ns), closed form %.1f", n, expectedMax(n))
          .isCloseTo(expectedMax(n), within(TOLERANCE));
      assertThat(measured).as("grows with the node count").isGreaterThan(before);
      before = measured;
    }
  }

  @Test
  void withAlignedPhasesEveryNodeIsHitTogetherAndTheNodeCountChangesNothing() {
    double one = D * (double) Q / G;
    for (int n : new int[] {1, 64}) {
      assertThat(meanDelay(n, "aligned", 11)).as("%d nodes", n).isCloseTo(one, within(TOLERANCE / 4));
    }
  }
}
