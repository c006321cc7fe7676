package io.mcksim.config;

import java.util.List;

/**
 * The {@code machine} section: how many nodes, and what one node has (all nodes are alike).
 *
 * @param nodes simulated nodes
 * @param cpus  CPUs per node, ids {@code 0 .. cpus-1}
 * @param numa  the node's NUMA nodes, by id
 */
public record MachineSettings(int nodes, int cpus, List<Numa> numa) {

  /**
   * One NUMA node.
   *
   * @param id         its id, the position in {@code machine.numa}
   * @param cpus       the CPUs it holds (may be empty, e.g. high-bandwidth memory)
   * @param memory     its memory in bytes
   * @param linuxUsed  memory Linux itself uses there and never gives up, in bytes
   */
  public record Numa(int id, CpuList cpus, long memory, long linuxUsed) {

    /** What Linux has free there, and so what IHK may at most reserve. */
    public long free() {
      return memory - linuxUsed;
    }
  }

  public MachineSettings {
    numa = List.copyOf(numa);
  }

  /** All CPU ids of a node. */
  public CpuList allCpus() {
    return CpuList.range(0, cpus - 1);
  }
}
