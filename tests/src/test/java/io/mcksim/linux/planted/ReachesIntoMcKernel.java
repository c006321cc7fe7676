package io.mcksim.linux.planted;

import io.mcksim.mckernel.McKernelCpu;

/** A planted violation for {@code ArchitectureRulesBiteTest}: Linux code that uses a McKernel entity. */
public final class ReachesIntoMcKernel {

  private ReachesIntoMcKernel() {}

  public static long irq(McKernelCpu cpu) {
    return cpu.irqNs();
  }
}
