package io.mcksim.mckernel.plantedmachine;

import io.mcksim.machine.HybridModel;

/** A planted violation for {@code ArchitectureRulesBiteTest}: a kernel entity that uses the machine. */
public final class ReachesIntoTheMachine {

  private ReachesIntoTheMachine() {}

  public static int cpus(HybridModel node) {
    return node.entityCount();
  }
}
