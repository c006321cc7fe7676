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

  /** What {@code name} costs McKernel (looked up without boxing the default: every call asks). */
  public long local(String name) {
    Long ns = local.get(name);
    return ns != null ? ns : localDefault;
  }

  /** Linux's service time of {@code name} (looked up without boxing the default: every call asks). */
  public long linux(String name) {
    Long ns = linux.get(name);
    return ns != null ? ns : linuxDefault;
  }
}
