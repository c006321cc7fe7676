package io.mcksim.config;

import java.util.Map;

/**
 * The {@code costs.syscall} section: what a call costs where it runs, in ns, by syscall name.
 *
 * @param localDefault cost of a call McKernel handles itself, unless in {@code local}
 * @param linuxEntry   entering and leaving the Linux kernel for a native call
 * @param linuxDefault Linux service time of a call, unless in {@code linux}
 * @param linuxPageFault a demand fault on a 4 KiB page on Linux
 */
public record SyscallCosts(long localDefault, Map<String, Long> local, long linuxEntry,
    long linuxDefault, Map<String, Long> linux, long linuxPageFault) {

  public SyscallCosts {
    local = Map.copyOf(local);
    linux = Map.copyOf(linux);
  }

  public long local(String name) {
    return local.getOrDefault(name, localDefault);
  }

  public long linux(String name) {
    return linux.getOrDefault(name, linuxDefault);
  }
}
