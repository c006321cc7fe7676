package io.mcksim.config;

import java.util.Set;

/**
 * Reads the {@code workload} section: which workload runs, and the settings of each kind (the syscall
 * microbenchmark, FWQ, FTQ, BSP through {@link BspSchema}, the showcase). The programs of
 * {@code workload.programs} are read by the workloads module's program reader.
 */
final class WorkloadSchema {

  private WorkloadSchema() {}

  /** The workloads {@code workload.type} may name. */
  static final Set<String> TYPES = Set.of("showcase", "phold", "syscalls", "fwq", "ftq", "programs", "bsp");

  /**
   * @param noiseNames the noise profiles FWQ and FTQ may run under
   * @param machine    the machine the showcase's BSP sizes are counted in
   */
  static WorkloadSettings read(ConfigReader r, Set<String> noiseNames, MachineSettings machine) {
    return new WorkloadSettings(
        r.oneOf("workload.type", TYPES),
        syscalls(r),
        fwq(r, noiseNames),
        ftq(r, noiseNames),
        BspSchema.bsp(r),
        new WorkloadSettings.Showcase(NodeSchema.nodeCounts(r, "workload.showcase.bsp-nodes", machine)));
  }

  private static WorkloadSettings.Syscalls syscalls(ConfigReader r) {
    return new WorkloadSettings.Syscalls(
        r.strings("workload.syscalls.names"),
        r.intIn("workload.syscalls.calls", 1, 100_000_000),
        r.bytes("workload.syscalls.size", 0, InputLimits.MAX_TRANSFER_BYTES),
        r.oneOf("workload.syscalls.table", Set.of("mckernel-1.8", "mckernel-1.0")));
  }

  private static WorkloadSettings.Fwq fwq(ConfigReader r, Set<String> noiseNames) {
    long quantum = r.duration("workload.fwq.quantum", 1);
    int iterations = r.intIn("workload.fwq.iterations", 1, 100_000_000);
    r.derived("workload.fwq.iterations", iterations, quantum, iterations + " iterations of " + quantum + "ns");
    return new WorkloadSettings.Fwq(quantum, iterations, r.oneOf("workload.fwq.noise", noiseNames));
  }

  private static WorkloadSettings.Ftq ftq(ConfigReader r, Set<String> noiseNames) {
    long quantum = r.duration("workload.ftq.quantum", 1);
    int quanta = r.intIn("workload.ftq.quanta", 1, 100_000_000);
    r.derived("workload.ftq.quanta", quanta, quantum, quanta + " quanta of " + quantum + "ns");
    return new WorkloadSettings.Ftq(quantum, quanta, r.duration("workload.ftq.unit", 1),
        r.oneOf("workload.ftq.noise", noiseNames));
  }
}
