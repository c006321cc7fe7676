package io.mcksim.ikc;

import io.mcksim.actors.serialization.KryoRegistrar;
import io.mcksim.actors.serialization.KryoRegistry;

/** IKC packets and credits in the Kryo table: ids 3000-3099. */
public final class IkcKryoRegistrar implements KryoRegistrar {

  @Override
  public int firstId() {
    return 3000;
  }

  @Override
  public int lastId() {
    return 3099;
  }

  @Override
  public void register(KryoRegistry.Builder r) {
    r.register(IkcPacket.class, 3000);
    r.register(PacketType.class, 3001);
    r.register(Credit.class, 3002);
  }
}
