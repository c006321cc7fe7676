package io.mcksim.actors.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcksim.actors.serialization.SampleMessages.Ask;
import io.mcksim.actors.serialization.SampleMessages.Bag;
import io.mcksim.actors.serialization.SampleMessages.Buffers;
import io.mcksim.actors.serialization.SampleMessages.Cpu;
import io.mcksim.actors.serialization.SampleMessages.Path;
import io.mcksim.actors.serialization.SampleMessages.Reply;
import io.mcksim.actors.serialization.SampleMessages.Stray;
import io.mcksim.actors.serialization.SampleMessages.Syscall;
import io.mcksim.actors.serialization.SampleMessages.Unregistered;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SimMessages round-trip through Pekko's serialization with the mcksim Kryo serializer: records with
 * primitives, strings, enums, nested records, collections and ActorRefs; an unregistered class fails
 * with a message that says how to register it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestKitJUnit5Extension.class)
class KryoSerializerTest {

  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private Serialization serialization() {
    return SerializationExtension.get(Adapter.toClassic(testKit.system()));
  }

  /** Serializes with the serializer Pekko picks for the message and reads it back. */
  private Object roundTrip(Object message) {
    Serialization serialization = serialization();
    Serializer serializer = serialization.findSerializerFor(message);
    assertThat(serializer).isInstanceOf(KryoSerializer.class);
    assertThat(serializer.identifier()).isEqualTo(KryoSerializer.IDENTIFIER);
    byte[] bytes = serialization.serialize(message).get();
    String manifest = Serializers.manifestFor(serializer, message);
    return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
  }

  private static Syscall syscall() {
    Map<String, Long> counters = new HashMap<>();
    counters.put("faults", 3L);
    counters.put("ikc", 1L << 40);
    return new Syscall(123_456_789_012L, 56, 0.75, true, 'x', "clone", Path.OFFLOADED, new Cpu(1, 7),
        List.of(new Cpu(0, 1), new Cpu(0, 2), new Cpu(3, 4)), new ArrayList<>(List.of("a", "", "ü")), counters,
        Optional.of("via mcexec"));
  }

  @Test
  void recordWithPrimitivesStringsEnumNestedRecordsAndCollectionsRoundTrips() {
    Syscall message = syscall();
    assertThat(roundTrip(message)).isEqualTo(message);
  }

  @Test
  void otherCollectionShapesRoundTrip() {
    List<Syscall> messages = List.of(
        new Syscall(0, 0, 0, false, '\0', "", Path.LOCAL, new Cpu(0, 0), List.of(), List.of("one"),
            Map.of(), Optional.empty()),
        new Syscall(-1, -1, Double.NaN, false, 'z', null, Path.FAULT, null, List.of(new Cpu(1, 1)),
            Collections.singletonList("s"), new TreeMap<>(Map.of("a", 1L, "b", 2L)), Optional.empty()),
        new Syscall(1, 2, 3, true, 'q', "n", null, new Cpu(2, 3), List.of(new Cpu(1, 1), new Cpu(1, 2)).subList(0, 1),
            java.util.Arrays.asList("p", "q"), Collections.emptyMap(), Optional.of("")));
    for (Syscall message : messages) {
      assertThat(roundTrip(message)).isEqualTo(message);
    }
  }

  @Test
  void arraysOfPrimitivesAndStringsRoundTrip() {
    Buffers message = new Buffers(new byte[] {1, -2, 3}, new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE},
        new long[] {Long.MAX_VALUE}, new double[] {0.5, -0.0}, new String[] {"x", null, "z"});
    assertThat(roundTrip(message)).usingRecursiveComparison().isEqualTo(message);
  }

  @Test
  void baseTableValuesRoundTrip() {
    Bag message = new Bag(new ArrayList<>(List.of(7, 7L, 2.5f, (short) 3, (byte) 4, 'c', true, "s",
        UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), java.time.Duration.ofNanos(1234),
        new java.math.BigInteger("123456789012345678901234567890"), java.util.EnumSet.of(Path.LOCAL, Path.FAULT),
        Optional.of(new Cpu(5, 6)))));
    assertThat(roundTrip(message)).isEqualTo(message);
  }

  @Test
  void actorRefInsideAMessageResolvesToTheSameActor() {
    TestProbe<Reply> probe = testKit.createTestProbe(Reply.class);
    Ask message = new Ask(probe.ref(), 42);
    Ask back = (Ask) roundTrip(message);
    assertThat(back).isEqualTo(message);
    back.replyTo().tell(new Reply(back.seq(), 99L));
    probe.expectMessage(new Reply(42, 99L));
  }

  @Test
  void serializationTestKitAcceptsTheSamples() {
    SerializationTestKit kit = new SerializationTestKit(testKit.system());
    TestProbe<Reply> probe = testKit.createTestProbe(Reply.class);
    for (SimMessage message : List.of(syscall(), new Ask(probe.ref(), 1), new Reply(2, 3L))) {
      kit.verifySerialization(message, true);
    }
  }

  @Test
  void theSameMessageAlwaysGivesTheSameBytes() {
    byte[] first = serialization().serialize(new Reply(1, 2L)).get();
    byte[] second = serialization().serialize(new Reply(1, 2L)).get();
    assertThat(second).isEqualTo(first);
    assertThat(first.length).isLessThan(8);
  }

  @Test
  void anUnregisteredMessageClassIsRejectedWithHowToRegisterIt() {
    assertThatThrownBy(() -> serialization().serialize(new Unregistered(1)).get())
        .hasMessageContaining(Unregistered.class.getName())
        .hasMessageContaining("is not registered")
        .hasMessageContaining("KryoRegistrar")
        .hasMessageContaining("registry.register(io.mcksim.actors.serialization.SampleMessages.Unregistered.class")
        .hasMessageContaining(KryoRegistry.REGISTRARS_PATH);
  }

  @Test
  void anUnregisteredClassInsideAMessageIsNamed() {
    assertThatThrownBy(() -> serialization().serialize(new Bag(List.of(new Stray(1)))).get())
        .hasMessageContaining(Bag.class.getName())
        .hasMessageContaining("class " + Stray.class.getName() + " is not registered")
        .hasMessageContaining(KryoRegistry.REGISTRARS_PATH);
    assertThatThrownBy(() -> serialization().serialize(new Bag(Collections.unmodifiableList(List.of(1)))).get())
        .hasMessageContaining("is not registered")
        .hasMessageContaining("For JDK types, prefer one the base table has");
  }

  @Test
  void bytesFromAnotherTableFailToReadWithAHint() throws Exception {
    // Id 9099 is in the sample range but unused: what a JVM with a different registrar list would send.
    KryoSerializer serializer = (KryoSerializer) serialization().serializerFor(Reply.class);
    byte[] unknownId = {(byte) (9099 + 2 & 0x7f | 0x80), (byte) ((9099 + 2) >>> 7)};
    assertThatThrownBy(() -> serializer.fromBinary(unknownId, ""))
        .isInstanceOf(java.io.NotSerializableException.class)
        .hasMessageContaining(KryoRegistry.REGISTRARS_PATH);
  }

  @Test
  void theConfiguredRegistrarIsInTheTable() throws Exception {
    KryoSerializer serializer = (KryoSerializer) serialization().serializerFor(Syscall.class);
    assertThat(serializer.registry().entries())
        .anySatisfy(e -> {
          assertThat(e.type()).isEqualTo(Syscall.class);
          assertThat(e.id()).isEqualTo(9002);
          assertThat(e.owner()).isEqualTo(SampleRegistrar.class.getName());
        });
  }
}
