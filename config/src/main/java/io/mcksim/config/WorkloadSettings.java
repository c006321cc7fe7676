package io.mcksim.config;

import java.util.List;

/**
 * The {@code workload} section.
 *
 * @param type     {@code showcase}, {@code phold}, {@code syscalls}, {@code fwq}, {@code ftq} or {@code programs} (whose
 *                 programs the cli reads from {@code workload.programs} of the scenario's config)
 * @param syscalls the system-call microbenchmark
 */
public record WorkloadSettings(String type, Syscalls syscalls, Fwq fwq, Ftq ftq, Bsp bsp,
    Showcase showcase) {

  /**
   * The built-in showcase: one node's boot, FWQ, the syscall microbenchmark, and a BSP sweep.
   *
   * @param bspNodes node counts of the BSP sweep, each run under Linux and under McKernel
   */
  public record Showcase(List<Integer> bspNodes) {
    public Showcase {
      bspNodes = List.copyOf(bspNodes);
    }
  }


  /**
   * A bulk-synchronous application: every iteration each thread computes a quantum and makes its
   * syscalls, the threads of each rank meet in an on-node barrier, and the ranks run a collective.
   *
   * @param iterations      supersteps
   * @param ranksPerNode    ranks (processes) on each node
   * @param threadsPerRank  threads of each rank, one per CPU; 0: the node's application CPUs shared
   *                        evenly among its ranks
   * @param quantum         compute per thread per iteration: fixed, uniform or exponential
   * @param syscalls        calls each thread makes after its quantum, every iteration, by name
   * @param collective      barrier, allreduce-recursive-doubling, allreduce-tree, broadcast or none
   * @param messageSize     bytes of each message of the collective
   * @param threadBarrierNs one crossing of the on-node thread barrier (arrival, and again release)
   */
  public record Bsp(int iterations, int ranksPerNode, int threadsPerRank, NoiseSettings.Spread quantum,
      List<String> syscalls, String collective, long messageSize, long threadBarrierNs, long memoryBytes) {
    public Bsp {
      syscalls = List.copyOf(syscalls);
    }
  }

  /**
   * @param quantumNs the fixed time quantum
   * @param quanta    quanta per core
   * @param unitNs    one unit of work
   * @param noise     noise profile of the Linux cores
   */
  public record Ftq(long quantumNs, int quanta, long unitNs, String noise) {}

  /**
   * @param quantumNs  work per iteration
   * @param iterations iterations per core
   * @param noise      noise profile of the Linux cores
   */
  public record Fwq(long quantumNs, int iterations, String noise) {}

  /**
   * @param names calls to measure, by Linux x86_64 name
   * @param calls times each is made
   * @param size  bytes each read or write moves
   * @param table McKernel's syscall table
   */
  public record Syscalls(List<String> names, int calls, long size, String table) {
    public Syscalls {
      names = List.copyOf(names);
    }
  }
}
