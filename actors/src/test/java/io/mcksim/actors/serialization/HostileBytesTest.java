package io.mcksim.actors.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.io.Output;
import io.mcksim.actors.serialization.SampleMessages.Buffers;
import io.mcksim.actors.serialization.SampleMessages.Cpu;
import io.mcksim.actors.serialization.SampleMessages.Reply;
import io.mcksim.actors.serialization.SampleMessages.Syscall;
import java.io.NotSerializableException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bytes a hostile or broken peer could send, written by hand: each declares a length far beyond what
 * it holds (an array, a string, a collection, a map), or nests deeper than any message. The serializer
 * refuses each with a clean {@link NotSerializableException} that says what was declared, having
 * allocated next to nothing (measured per thread), where before it allocated what the bytes declared.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestKitJUnit5Extension.class)
class HostileBytesTest {

  /** Far more than any heap in these tests could hold as an array of longs or references. */
  private static final int HUGE = 2_000_000_000;
  /** What refusing one message may allocate: the Kryo instance and buffers it reuses, not the declared length. */
  private static final long FEW_MEGABYTES = 4L << 20;

  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private KryoSerializer serializer() throws NotSerializableException {
    return (KryoSerializer) SerializationExtension.get(Adapter.toClassic(testKit.system())).serializerFor(Reply.class);
  }

  /** A message's bytes: the class id of {@code type} in the base table, then what {@code body} writes. */
  private static byte[] message(int baseId, Consumer<Output> body) {
    Output out = new Output(64, -1);
    out.writeVarInt(baseId + 2, true); // Kryo writes a class id plus 2 (0 is null, 1 a name)
    body.accept(out);
    return out.toBytes();
  }

  /** Reads {@code bytes}, which must be refused, and returns the message of the refusal and what reading allocated. */
  private Refusal refuse(byte[] bytes) throws NotSerializableException {
    KryoSerializer serializer = serializer();
    serializer.fromBinary(serializer.toBinary(new Reply(1, 2L)), ""); // the pooled Kryo exists, warmed up
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    String message = null;
    try {
      serializer.fromBinary(bytes, "");
    } catch (NotSerializableException e) {
      message = e.getMessage();
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertThat(message).as("the bytes were read, not refused").isNotNull();
    return new Refusal(message, allocated);
  }

  private record Refusal(String message, long allocated) {}

  @Test
  void aByteArrayDeclaringTwoBillionElementsIsRefusedWithoutAllocatingThem() throws Exception {
    Refusal r = refuse(message(10, out -> out.writeVarInt(HUGE + 1, true)));
    assertThat(r.message()).contains("declares a byte array of 2000000000 elements", "only 0 bytes follow");
    assertThat(r.allocated()).isLessThan(FEW_MEGABYTES);
  }

  @Test
  void aLongArrayDeclaringMoreThanItsBytesIsRefused() throws Exception {
    Refusal r = refuse(message(14, out -> {
      out.writeVarInt(300_000 + 1, true);
      out.writeVarLong(7, true); // one element of the 300,000 it declares
    }));
    assertThat(r.message()).contains("declares a long array of 300000 elements", "only 1 bytes follow");
    assertThat(r.allocated()).isLessThan(FEW_MEGABYTES);
  }

  @Test
  void aStringDeclaringTwoBillionCharactersIsRefused() throws Exception {
    Refusal r = refuse(message(1, out -> {
      out.writeVarIntFlag(true, HUGE + 1, true); // the UTF-8 form, which declares its length
      out.writeAscii("abc");
    }));
    assertThat(r.message()).contains("declares a string of 2000000000 elements", "only 3 bytes follow");
    assertThat(r.allocated()).isLessThan(FEW_MEGABYTES);
  }

  @Test
  void collectionsMapsAndObjectArraysDeclaringTwoBillionElementsAreRefused() throws Exception {
    byte[] list = message(20, out -> out.writeVarIntFlag(false, HUGE + 1, true));
    byte[] map = message(23, out -> out.writeVarInt(HUGE + 1, true));
    byte[] objects = message(19, out -> out.writeVarInt(HUGE + 1, true));
    byte[] immutable = message(31, out -> out.writeVarIntFlag(false, HUGE + 1, true));
    for (byte[] bytes : List.of(list, map, objects, immutable)) {
      Refusal r = refuse(bytes);
      assertThat(r.message()).contains("declares a java.", "of 2000000000 elements",
          "at most 4194304 elements in all", LimitedInput.MAX_ELEMENTS_PATH);
      assertThat(r.allocated()).as(r.message()).isLessThan(FEW_MEGABYTES);
    }
  }

  @Test
  void nestedCollectionsShareOneBudgetSoNestingCannotMultiplyIt() throws Exception {
    // a list declaring 3 million elements whose first element is a list declaring 3 million more
    Refusal r = refuse(message(20, out -> {
      out.writeVarIntFlag(false, 3_000_000 + 1, true);
      out.writeVarInt(20 + 2, true);
      out.writeVarIntFlag(false, 3_000_000 + 1, true);
    }));
    assertThat(r.message()).contains("declares a java.util.ArrayList of 3000000 elements", "1194304 of them left");
  }

  @Test
  void objectsNestedDeeperThanAnyMessageAreRefusedInsteadOfOverflowingTheStack() throws Exception {
    Refusal r = refuse(message(19, out -> {
      for (int depth = 0; depth < 10_000; depth++) {
        out.writeVarInt(1 + 1, true); // an Object[] of one element ...
        out.writeVarInt(19 + 2, true); // ... which is an Object[]
      }
    }));
    assertThat(r.message()).contains("Max depth exceeded: " + KryoRegistry.MAX_DEPTH);
  }

  @Test
  void honestMessagesNearTheLimitsStillRoundTrip() throws Exception {
    KryoSerializer serializer = serializer();
    Buffers big = new Buffers(new byte[1 << 20], new int[100_000], new long[100_000], new double[1_000],
        new String[] {"x".repeat(100_000), "ü".repeat(50_000)});
    Buffers back = (Buffers) serializer.fromBinary(serializer.toBinary(big), "");
    assertThat(back.bytes()).isEqualTo(big.bytes());
    assertThat(back.ints()).isEqualTo(big.ints());
    assertThat(back.longs()).isEqualTo(big.longs());
    assertThat(back.doubles()).isEqualTo(big.doubles());
    assertThat(back.names()).isEqualTo(big.names());
    List<Cpu> cpus = new ArrayList<>();
    Map<String, Long> counters = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      cpus.add(new Cpu(i, i));
      counters.put("c" + i, (long) i);
    }
    Syscall many = new Syscall(1, 2, 3, true, 'q', "n", SampleMessages.Path.LOCAL, new Cpu(0, 0), cpus,
        List.of("a"), counters, Optional.empty());
    assertThat(serializer.fromBinary(serializer.toBinary(many), "")).isEqualTo(many);
  }

  @Test
  void aMaximumOutsideItsRangeIsRefusedNamingTheKey() throws Exception {
    assertThatThrownBy(() -> KryoSerializer.maxElements(com.typesafe.config.ConfigFactory.parseString(
        LimitedInput.MAX_ELEMENTS_PATH + " = 10")))
        .hasMessageContaining(LimitedInput.MAX_ELEMENTS_PATH + " = 10 is out of range; use 1024 to 268435456");
  }
}
