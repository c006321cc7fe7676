package io.mcksim.ikc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.mcksim.actors.serialization.KryoRegistry;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Packets round-trip through Kryo; topologies follow McKernel's channel layout. */
class IkcProtocolTest {

  private static final Kryo KRYO =
      KryoRegistry.of(List.of(new IkcKryoRegistrar())).newKryo(IkcProtocolTest.class.getClassLoader(), null);

  private static Object roundTrip(Object o) {
    Output out = new Output(256, -1);
    KRYO.writeClassAndObject(out, o);
    return KRYO.readClassAndObject(new Input(out.toBytes()));
  }

  @ParameterizedTest
  @EnumSource(PacketType.class)
  void everyPacketTypeRoundTrips(PacketType type) {
    IkcPacket p = new IkcPacket(type, 3, 77, 1234, 1235, 5, 39, 0x7fff0000L, 4096, -2);
    assertThat(roundTrip(p)).isEqualTo(p);
  }

  @Test
  void creditsRoundTripAndPacketsAreAccountedAtTheRingSlotSize() {
    assertThat(roundTrip(new Credit(4, 1))).isEqualTo(new Credit(4, 1));
    assertThat(IkcPacket.SIZE).isEqualTo(128);
  }

  @Test
  void theDefaultMapSendsEveryMcKernelCpuToLinuxCpuZero() {
    IkcTopology t = IkcTopology.of(IntStream.rangeClosed(4, 67).boxed().toList(), "");
    // 1 master + 64 ikc2mckernel + 1 ikc2linux
    assertThat(t.channels()).hasSize(66);
    assertThat(t.master().capacity()).isEqualTo(32);
    assertThat(t.toMckernel(0).capacity()).isEqualTo(128);
    assertThat(t.toMckernel(63).readerCpu()).isEqualTo(63);
    ChannelSpec up = t.toLinux(17);
    assertThat(up.readerCpu()).isZero();
    assertThat(up.writers()).hasSize(64);
    assertThat(up.capacity()).isEqualTo(4 * 64); // max(4 x 64 x 128 B, 4 pages) / 128 B
    assertThat(t.toLinux(0)).isSameAs(up);
  }

  @Test
  void anIkcMapGivesOneChannelPerLinuxTarget() {
    IkcTopology t = IkcTopology.of(List.of(4, 5, 6, 7), "4-5:1+6-7:2");
    assertThat(t.channels()).extracting(ChannelSpec::name)
        .containsExactly("master", "ikc2mckernel/0", "ikc2mckernel/1", "ikc2mckernel/2",
            "ikc2mckernel/3", "ikc2linux/1", "ikc2linux/2");
    assertThat(t.toLinux(1).writers()).containsExactly(0, 1);
    assertThat(t.toLinux(2).readerCpu()).isEqualTo(2);
    assertThat(t.toLinux(2).capacity()).isEqualTo(128); // the 4-page minimum
  }

  @Test
  void aMapThatLeavesACpuOutOrNamesAForeignOneIsRefused() {
    assertThatThrownBy(() -> IkcTopology.of(List.of(4, 5), "4:0"))
        .hasMessageContaining("gives CPU 5 no Linux CPU");
    assertThatThrownBy(() -> IkcTopology.of(List.of(4, 5), "4-9:0"))
        .hasMessageContaining("CPU 6 is not one of the instance's CPUs");
  }
}
