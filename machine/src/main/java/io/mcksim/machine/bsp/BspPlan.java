package io.mcksim.machine.bsp;

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
 * @param seed             the run seed
 */
public record BspPlan(String os, int nodes, int ranksPerNode, int threadsPerRank, int[] appCpus,
    int[] linuxCpus, int iterations, Quantum quantum, List<Call> calls, Collective collective,
    long messageBytes, LogGP inter, LogGP intra, long threadBarrierNs, long seed) {

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

  /** The collective, the ranks and the interconnect, as every rank sees them. */
  public io.mcksim.workloads.net.RankSync.Shape shape() {
    return new io.mcksim.workloads.net.RankSync.Shape(collective, ranks(), ranksPerNode, threadsPerRank, inter,
        intra, collective.messageBytes(messageBytes));
  }

  /** All ranks of the machine. */
  public int ranks() {
    return nodes * ranksPerNode;
  }

  public int threadsPerNode() {
    return ranksPerNode * threadsPerRank;
  }

  /**
   * The noiseless ideal: every quantum at its mean, every call at its uncontended cost, no noise; the
   * rest (barriers, the collective's messages) as the network costs them.
   */
  public long idealNs() {
    long callsNs = calls.stream().mapToLong(Call::uncontendedNs).sum();
    long barrier = threadsPerRank > 1 ? threadBarrierNs : 0;
    long before = Math.round(quantum.meanNs()) + callsNs + barrier;
    return new io.mcksim.workloads.net.NoiselessBsp(collective, ranks(), ranksPerNode, inter, intra, messageBytes)
        .runtime(iterations, before, barrier);
  }

  /**
   * One call a thread makes every iteration.
   *
   * @param name     its Linux name
   * @param where    how the OS model runs it: "local" (the kernel of the thread's CPU), "native" (on a
   *                 Linux CPU, in place), "enosys" (the kernel does not have it: it fails), or, reaching
   *                 a Linux CPU of the node, "offloaded" (McKernel, through IKC and the proxy),
   *                 "migrated" (mOS, the thread moves to a Linux CPU and back), "remote" (Hobbes, a
   *                 remote call over a shared buffer) or "ipc" (L4Linux, to the Linux server)
   * @param cpuNs    time on the calling CPU before the call is done or sent
   * @param tripNs   reaching Linux: the request's trip to the Linux CPU; else 0
   * @param linuxNs  reaching Linux: the work on the Linux CPU; else 0
   * @param resumeNs reaching Linux: back on the calling CPU once Linux is done
   */
  public record Call(String name, String where, long cpuNs, long tripNs, long linuxNs, long resumeNs) {

    /** A call that stays on the calling CPU. */
    public static Call inPlace(String name, String where, long ns) {
      return new Call(name, where, ns, 0, 0, 0);
    }

    /** Whether it reaches a Linux CPU of the node. */
    public boolean offloaded() {
      return linuxNs > 0;
    }

    /** Whether it fails because the kernel does not have it. */
    public boolean failed() {
      return where.equals("enosys");
    }

    /** The call's time on idle CPUs. */
    public long uncontendedNs() {
      return cpuNs + tripNs + linuxNs + resumeNs;
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
  }
}
