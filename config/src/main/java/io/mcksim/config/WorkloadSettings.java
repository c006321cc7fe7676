package io.mcksim.config;

import java.util.List;

/**
 * The {@code workload} section.
 *
 * @param type     {@code phold}, {@code syscalls}, {@code fwq}, {@code ftq} or {@code programs} (whose
 *                 programs the cli reads from {@code workload.programs} of the scenario's config)
 * @param syscalls the system-call microbenchmark
 */
public record WorkloadSettings(String type, Syscalls syscalls, Fwq fwq, Ftq ftq) {

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
