package io.mcksim.ikc;

import io.mcksim.actors.serialization.KryoRegistrar;
import io.mcksim.actors.serialization.KryoRegistry;

/** The offload protocol in the Kryo table: ids 4000-4099. */
public final class OffloadKryoRegistrar implements KryoRegistrar {

  @Override
  public int firstId() {
    return 4000;
  }

  @Override
  public int lastId() {
    return 4099;
  }

  @Override
  public void register(KryoRegistry.Builder r) {
    r.register(Offload.Dispatch.class, 4000);
    r.register(Offload.Return.class, 4001);
    r.register(Offload.FaultRequest.class, 4002);
    r.register(Offload.FaultResolved.class, 4003);
    r.register(Offload.ProcfsRequest.class, 4004);
    r.register(Offload.ProcfsAnswered.class, 4005);
    r.register(Offload.ProcessExited.class, 4006);
    r.register(Offload.ProxyForked.class, 4007);
    r.register(Offload.Launch.class, 4008);
    r.register(Offload.Prepared.class, 4009);
    r.register(Offload.Schedule.class, 4010);
    r.register(Offload.Signal.class, 4011);
    r.register(Offload.RelaySignal.class, 4012);
    r.register(Offload.SignalAcked.class, 4013);
    r.register(Offload.ProxyExeced.class, 4014);
    r.register(Offload.WakeUp.class, 4015);
    r.register(Offload.Run.class, 4016);
    r.register(Offload.Ran.class, 4017);
    r.register(Offload.Release.class, 4018);
    r.register(Offload.Released.class, 4019);
    r.register(Offload.PageTable.class, 4030);
  }
}
