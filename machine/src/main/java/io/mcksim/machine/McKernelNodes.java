package io.mcksim.machine;

import io.mcksim.config.CpuList;
import io.mcksim.config.MachineSettings;
import io.mcksim.config.PartitionSettings;
import io.mcksim.config.Scenario;
import io.mcksim.ihk.IhkParts;
import io.mcksim.mckernel.SyscallTable;
import java.util.ArrayList;
import java.util.List;

/** Builds the McKernel node a workload runs on from the scenario's OS instances. */
public final class McKernelNodes {

  private McKernelNodes() {}

  /**
   * The node: every instance of {@code partition.instances} with its CPUs (McKernel CPU i of an instance
   * is its i-th), its memory per NUMA node, each CPU's NUMA node (a process takes memory from its first
   * CPU's node first) and its IKC map; {@code anon_on_demand} from the kernel arguments; the Linux CPUs
   * the proxies' workers run on (every CPU the partition leaves to Linux; an instance with an IKC map
   * uses the Linux CPUs it names); the node's IHK side, which boots every instance in virtual time or not
   * as {@code run.boot} says; and the scenario's costs and seed. Each process runs on the instance it
   * names.
   */
  public static HybridModel of(Scenario s, List<HybridModel.Process> processes, SyscallTable table) {
    return of(s, processes, HybridModel.DEFAULT_SPARE_SLOTS, table);
  }

  /** The same with {@code spareSlots} process slots kept free for forks on each instance. */
  public static HybridModel of(Scenario s, List<HybridModel.Process> processes, int spareSlots,
      SyscallTable table) {
    List<HybridModel.Instance> instances = new ArrayList<>();
    CpuList partition = CpuList.EMPTY;
    for (PartitionSettings.Instance inst : s.partition().instances()) {
      instances.add(instance(s, inst));
      partition = partition.union(inst.cpus());
    }
    boolean anonOnDemand = List.of(s.os().kargs().split("\\s+")).contains("anon_on_demand");
    return new HybridModel(instances, processes, spareSlots, anonOnDemand, table, s.ikc(), s.offload(),
        s.syscalls(), s.remoteFault(), s.mckernel(), s.launch(), s.run().seed())
        .withLinuxCpus(s.machine().allCpus().minus(partition).toArray())
        .withBoot(new IhkParts(s), s.run().simulateBoot());
  }

  /** One instance of the partition as the node model declares it. */
  public static HybridModel.Instance instance(Scenario s, PartitionSettings.Instance inst) {
    List<Integer> cpus = new ArrayList<>();
    int[] numaOf = new int[inst.cpus().size()];
    List<MachineSettings.Numa> numa = s.machine().numa();
    for (int i = 0; i < inst.cpus().size(); i++) {
      int cpu = inst.cpus().get(i);
      cpus.add(cpu);
      for (int n = 0; n < numa.size(); n++) {
        if (numa.get(n).cpus().contains(cpu)) {
          numaOf[i] = n;
        }
      }
    }
    long[] numaBytes = new long[numa.size()];
    for (int n = 0; n < numaBytes.length; n++) {
      numaBytes[n] = inst.memory().bytesOn(n);
    }
    return new HybridModel.Instance(cpus, inst.ikcMap(), numaBytes, numaOf);
  }
}
