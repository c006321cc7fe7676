package io.mcksim.config;

import java.util.List;

/**
 * The {@code workload} section.
 *
 * @param type     {@code phold} or {@code syscalls}
 * @param syscalls the system-call microbenchmark
 */
public record WorkloadSettings(String type, Syscalls syscalls) {

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
