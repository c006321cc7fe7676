package io.mcksim.mckernel.planted;

import io.mcksim.linux.LinuxService;

/** A planted violation for {@code ArchitectureRulesBiteTest}: McKernel code that uses a Linux entity. */
public final class ReachesIntoLinux {

  private ReachesIntoLinux() {}

  public static long busy(LinuxService cpu) {
    return cpu.busyNs();
  }
}
