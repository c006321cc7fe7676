package io.mcksim.machine;

import io.mcksim.actors.serialization.KryoRegistrar;
import io.mcksim.actors.serialization.KryoRegistry;
import io.mcksim.machine.bsp.BspOutcome;

/** The machine's results that travel between JVMs, in the Kryo table: ids 6000-6099. */
public final class MachineKryoRegistrar implements KryoRegistrar {

  @Override
  public int firstId() {
    return 6000;
  }

  @Override
  public int lastId() {
    return 6099;
  }

  @Override
  public void register(KryoRegistry.Builder r) {
    r.register(BspOutcome.class, 6000);
    r.register(ProgramNodes.Figures.class, 6001);
    r.register(ProgramNodes.Process.class, 6002);
    r.register(io.mcksim.workloads.LatencyLog.class, 6003);
    r.register(io.mcksim.workloads.LatencyLog[].class, 6004);
  }
}
