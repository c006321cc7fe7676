package io.mcksim.ikc;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.mcksim.actors.serialization.KryoRegistry;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every message of the offload protocol round-trips through the project's Kryo table. */
class OffloadKryoTest {

  static final IkcPacket PACKET = new IkcPacket(PacketType.SYSCALL_ONESIDE, 3, 17, 1000, 1000, 2, 1, 0x10000,
      4096, 0, 1);

  static final List<Object> SAMPLES = List.of(
      new Offload.Dispatch(PACKET, 5),
      new Offload.Return(1000, 4096, 0),
      new Offload.FaultRequest(1000, 1000, 2, 0x10000, 7),
      new Offload.FaultResolved(1000, 0x10000, true),
      new Offload.ProcfsRequest(1000, 1000, 2, 3, 0, 4096, 7),
      new Offload.ProcfsAnswered(1000, 223),
      new Offload.ProcessExited(0, 9),
      new Offload.ProxyForked(1000),
      new Offload.Launch(1000, List.of(0, 1)),
      new Offload.Prepared(1000),
      new Offload.Schedule(1000, List.of(0, 1)),
      new Offload.Signal(15),
      new Offload.RelaySignal(1000, 15, 0),
      new Offload.SignalAcked(15),
      new Offload.ProxyExeced(),
      new Offload.WakeUp(1000, 1000, 2),
      new Offload.Run(1_200, 7, 1000),
      new Offload.Ran(1000),
      new Offload.Release(1000, 0),
      new Offload.Released(1000),
      new Offload.PageTable(0x200000, 0x400000, true));

  @Test
  void everyRegisteredOffloadClassHasASampleThatRoundTrips() {
    KryoRegistry registry = KryoRegistry.of(List.of(new IkcKryoRegistrar(), new OffloadKryoRegistrar()));
    Set<Class<?>> registered = registry.entries().stream()
        .filter(e -> e.owner().equals(OffloadKryoRegistrar.class.getName()))
        .map(KryoRegistry.Entry::type).collect(Collectors.toSet());
    assertThat(SAMPLES.stream().map(Object::getClass).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(registered);
    Kryo kryo = registry.newKryo(getClass().getClassLoader(), null);
    for (Object sample : SAMPLES) {
      Output out = new Output(256, -1);
      kryo.writeClassAndObject(out, sample);
      assertThat(kryo.readClassAndObject(new Input(out.toBytes()))).as(sample.getClass().getName())
          .isEqualTo(sample);
    }
  }
}
