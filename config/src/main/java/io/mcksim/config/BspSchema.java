package io.mcksim.config;

import java.util.Set;

/** Reads the BSP application ({@code workload.bsp}) and the network it runs over ({@code interconnect}). */
final class BspSchema {

  private BspSchema() {}

  /** The collectives a BSP iteration can end with. */
  static final Set<String> COLLECTIVES = Set.of("barrier", "allreduce-recursive-doubling",
      "allreduce-tree", "broadcast", "none");

  static WorkloadSettings.Bsp bsp(ConfigReader r) {
    int iterations = r.intIn("workload.bsp.iterations", 1, 100_000_000);
    NoiseSettings.Spread quantum = NoiseSchema.spread(r, "workload.bsp.quantum");
    r.derived("workload.bsp.iterations", iterations, quantum.b(), iterations + " iterations of up to "
        + quantum.b() + "ns");
    return new WorkloadSettings.Bsp(
        iterations,
        r.intIn("workload.bsp.ranks-per-node", 1, 4096),
        r.intIn("workload.bsp.threads-per-rank", 0, 4096),
        quantum,
        r.strings("workload.bsp.syscalls"),
        r.oneOf("workload.bsp.collective", COLLECTIVES),
        r.bytes("workload.bsp.message-size", 0, InputLimits.MAX_TRANSFER_BYTES),
        r.duration("workload.bsp.thread-barrier", 1),
        r.bytes("workload.bsp.memory", 0, 1L << 30));
  }

  static InterconnectSettings interconnect(ConfigReader r) {
    return new InterconnectSettings(
        r.duration("interconnect.latency", 1),
        r.duration("interconnect.overhead", 0),
        r.duration("interconnect.gap", 0),
        r.doubleIn("interconnect.per-byte", 0, 1e6),
        r.duration("interconnect.intra-node-latency", 1));
  }
}
