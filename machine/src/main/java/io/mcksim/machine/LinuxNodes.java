package io.mcksim.machine;

import io.mcksim.config.Scenario;
import io.mcksim.mckernel.SyscallTable;
import java.util.List;

/**
 * Builds a node without McKernel from a scenario: Linux runs the given processes natively, each thread
 * on its own Linux CPU, and their /proc and /sys reads show the whole machine (every CPU, all memory).
 * The CPUs are quiet until the caller gives them noise ({@link HybridModel#withLinuxNoise}).
 */
public final class LinuxNodes {

  private LinuxNodes() {}

  public static HybridModel of(Scenario s, List<HybridModel.NativeProcess> processes) {
    long memory = s.machine().numa().stream().mapToLong(n -> n.memory()).sum();
    return HybridModel.linux(SyscallTable.defaultTable(), s.ikc(), s.offload(),
        s.syscalls(), s.remoteFault(), s.mckernel(), s.launch(), s.run().seed())
        .withNatives(processes).withMachineView(s.machine().allCpus().size(), memory);
  }
}
