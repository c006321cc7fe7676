package io.mcksim.machine;

import io.mcksim.config.MachineSettings;
import io.mcksim.config.PartitionSettings;
import io.mcksim.config.Scenario;
import io.mcksim.ihk.IhkParts;
import io.mcksim.machine.HybridModel;
import io.mcksim.mckernel.SyscallTable;
import java.util.ArrayList;
import java.util.List;

/** Builds the McKernel node a workload runs on from the scenario's first OS instance. */
public final class McKernelNodes {

  private McKernelNodes() {}

  /**
   * The node: the instance's CPUs (McKernel CPU i is its i-th), its memory per NUMA node, each CPU's
   * NUMA node (a process takes memory from its first CPU's node first), {@code anon_on_demand} from
   * the kernel arguments, the Linux CPUs the proxies' workers run on (every CPU the instance leaves to
   * Linux), the node's IHK side, which boots the node in virtual time or not as {@code run.boot} says,
   * and the scenario's costs and seed.
   */
  public static HybridModel of(Scenario s, List<HybridModel.Process> processes, SyscallTable table) {
    return of(s, processes, HybridModel.DEFAULT_SPARE_SLOTS, table);
  }

  /** The same with {@code spareSlots} process slots kept free for forks. */
  public static HybridModel of(Scenario s, List<HybridModel.Process> processes, int spareSlots,
      SyscallTable table) {
    PartitionSettings.Instance inst = s.partition().instances().get(0);
    List<Integer> cpus = new ArrayList<>();
    int[] numaOf = new int[inst.cpus().size()];
    for (int i = 0; i < inst.cpus().size(); i++) {
      int cpu = inst.cpus().get(i);
      cpus.add(cpu);
      List<MachineSettings.Numa> numa = s.machine().numa();
      for (int n = 0; n < numa.size(); n++) {
        if (numa.get(n).cpus().contains(cpu)) {
          numaOf[i] = n;
        }
      }
    }
    long[] numaBytes = new long[s.machine().numa().size()];
    for (int n = 0; n < numaBytes.length; n++) {
      numaBytes[n] = inst.memory().bytesOn(n);
    }
    boolean anonOnDemand = List.of(s.os().kargs().split("\\s+")).contains("anon_on_demand");
    return new HybridModel(cpus, inst.ikcMap(), processes, spareSlots, numaBytes,
        anonOnDemand, table, s.ikc(), s.offload(), s.syscalls(), s.remoteFault(), s.mckernel(),
        s.launch(), s.run().seed()).withCpuNuma(numaOf)
        .withLinuxCpus(s.machine().allCpus().minus(inst.cpus()).toArray())
        .withBoot(new IhkParts(s), s.run().simulateBoot());
  }
}
