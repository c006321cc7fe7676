package io.mcksim.config;

import java.util.List;

/**
 * The {@code partition} section: the OS instances each node gets when the scenario starts, as
 * {@code mcreboot.sh} would set them up.
 */
public record PartitionSettings(List<Instance> instances) {

  /**
   * One OS instance.
   *
   * @param cpus   CPUs reserved from Linux and assigned to it, in McKernel's numbering order
   * @param memory memory reserved and assigned, per NUMA node
   * @param ikcMap which Linux CPU receives the IKC interrupts of which of its CPUs, as
   *               {@code ihkosctl set ikc_map} takes it ({@code 4-35:0+36-67:1}); empty: all to CPU 0
   */
  public record Instance(CpuList cpus, MemorySpec memory, String ikcMap) {}

  public PartitionSettings {
    instances = List.copyOf(instances);
  }
}
