package io.mcksim.mckernel.bsp;

import io.mcksim.workloads.net.Collective;
import io.mcksim.workloads.net.LogGP;
import java.util.List;

/**
 * What a BSP run does and where, the same on every node.
 *
 * @param os               "mckernel" (threads on noiseless McKernel CPUs, calls local or offloaded)
 *                         or "linux" (threads on Linux CPUs, calls native)
 * @param nodes            simulated nodes
 * @param ranksPerNode     ranks on each node
 * @param threadsPerRank   threads of each rank, one per CPU
 * @param appCpus          the machine-local CPU number of each thread slot, rank by rank
 * @param linuxCpus        the node's Linux CPUs that run offloaded calls (empty when nothing offloads)
 * @param iterations       supersteps
 * @param quantum          each thread's compute per iteration
 * @param calls            the calls each thread makes after its quantum, every iteration
 * @param collective       the collective that ends each iteration
 * @param messageBytes     bytes of each collective message
 * @param inter            LogGP between nodes
 * @param intra            LogGP between ranks of one node
 * @param threadBarrierNs  one crossing of the on-node thread barrier
 * @param ikcLatencyNs     an offload request's trip from a McKernel CPU to Linux
 * @param seed             the run seed
 */
public record BspPlan(String os, int nodes, int ranksPerNode, int threadsPerRank, int[] appCpus,
    int[] linuxCpus, int iterations, Quantum quantum, List<Call> calls, Collective collective,
    long messageBytes, LogGP inter, LogGP intra, long threadBarrierNs, long ikcLatencyNs, long seed) {

  public BspPlan {
    calls = List.copyOf(calls);
    if (nodes < 1 || ranksPerNode < 1 || threadsPerRank < 1 || iterations < 1) {
      throw new IllegalArgumentException("a BSP run needs at least one node, rank, thread and iteration");
    }
    if (appCpus.length != ranksPerNode * threadsPerRank) {
      throw new IllegalArgumentException("need one CPU per thread: " + ranksPerNode + " ranks x "
          + threadsPerRank + " threads, got " + appCpus.length + " CPUs");
    }
    if (calls.stream().anyMatch(Call::offloaded) && linuxCpus.length == 0) {
      throw new IllegalArgumentException("offloaded calls need at least one Linux CPU on each node");
    }
    if ((long) nodes * ranksPerNode > Integer.MAX_VALUE
        || (long) nodes * (appCpus.length + linuxCpus.length) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(nodes + " nodes of " + (appCpus.length + linuxCpus.length)
          + " CPUs are more than one run can number");
    }
  }

  /** All ranks of the machine. */
  public int ranks() {
    return nodes * ranksPerNode;
  }

  public int threadsPerNode() {
    return ranksPerNode * threadsPerRank;
  }

  /** Linux CPUs simulated per node: those that serve offloaded calls, if any call is offloaded. */
  public int serviceCpusPerNode() {
    return calls.stream().anyMatch(Call::offloaded) ? linuxCpus.length : 0;
  }

  /**
   * One call a thread makes every iteration.
   *
   * @param name     its Linux name
   * @param where    "local" (McKernel's handler), "offloaded" (to Linux through the proxy) or "native"
   *                 (on a Linux CPU)
   * @param cpuNs    time on the calling CPU before the call is done or sent: the whole call when local
   *                 or native; marshalling and the IKC enqueue when offloaded
   * @param linuxNs  offloaded: the Linux side on a Linux CPU (interrupt, mcctrl dispatch, proxy
   *                 wake-up, service time, reply write); else 0
   * @param resumeNs offloaded: the McKernel thread's return to user space once the reply is written
   */
  public record Call(String name, String where, long cpuNs, long linuxNs, long resumeNs) {
    public boolean offloaded() {
      return where.equals("offloaded");
    }

    /** The call's time on idle CPUs, request trip included. */
    public long uncontendedNs(long ikcLatencyNs) {
      return cpuNs + (offloaded() ? ikcLatencyNs + linuxNs + resumeNs : 0);
    }
  }

  /** A thread's compute per iteration: fixed(a), uniform(a, b) or exponential(mean a), in ns. */
  public record Quantum(String kind, long a, long b) {
    public Quantum {
      if (!List.of("fixed", "uniform", "exponential").contains(kind)) {
        throw new IllegalArgumentException("unknown quantum distribution " + kind);
      }
    }

    public double meanNs() {
      return kind.equals("uniform") ? (a + b) / 2.0 : a;
    }

    /** The quantum for a uniform draw {@code u} in [0, 1). */
    long draw(double u) {
      return switch (kind) {
        case "fixed" -> a;
        case "uniform" -> a + (long) Math.floor(u * (b - a + 1));
        default -> Math.round(-a * Math.log1p(-u));
      };
    }
  }
}
