package io.mcksim.actors.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.typesafe.config.ConfigFactory;
import io.mcksim.actors.serialization.SampleMessages.Cpu;
import io.mcksim.actors.serialization.SampleMessages.Path;
import io.mcksim.actors.serialization.SampleMessages.Reply;
import io.mcksim.actors.serialization.SampleMessages.Syscall;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter;
import org.junit.jupiter.api.Test;

/**
 * The class table: fixed base ids, registrars confined to their ranges, and every conflict reported
 * with both claimants named.
 */
class KryoRegistryTest {

  /** A registrar built from a lambda, with the name error messages use. */
  private record Registrar(String name, int firstId, int lastId, Consumer<KryoRegistry.Builder> body)
      implements KryoRegistrar {
    @Override
    public void register(KryoRegistry.Builder registry) {
      body.accept(registry);
    }
  }

  /** A record that is not public, which Kryo cannot rebuild across JVMs. */
  record Hidden(int x) {
  }

  /** A registrar class without a public no-argument constructor. */
  public static final class NeedsArgument implements KryoRegistrar {
    public NeedsArgument(int unused) {
    }

    @Override
    public int firstId() {
      return 5000;
    }

    @Override
    public int lastId() {
      return 5099;
    }

    @Override
    public void register(KryoRegistry.Builder registry) {
    }
  }

  @Test
  void baseIdsArePinned() {
    Map<Class<?>, Integer> pinned = Map.of(
        int.class, 0, String.class, 1, long.class, 7, byte[].class, 10, long[].class, 14,
        ArrayList.class, 20, List.of().getClass(), 30, List.of(1).getClass(), 31, java.util.UUID.class, 52,
        ActorRefAdapter.class, 100);
    List<KryoRegistry.Entry> entries = KryoRegistry.base().entries();
    pinned.forEach((type, id) -> assertThat(entries).filteredOn(e -> e.type() == type)
        .singleElement().extracting(KryoRegistry.Entry::id).isEqualTo(id));
    assertThat(entries).allSatisfy(e -> assertThat(e.id()).isBetween(0, KryoRegistry.FIRST_MODULE_ID - 1));
    assertThat(entries).extracting(KryoRegistry.Entry::id).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void kryoGetsExactlyTheTableIds() {
    KryoRegistry registry = KryoRegistry.of(List.of(new SampleRegistrar()));
    Kryo kryo = registry.newKryo(getClass().getClassLoader(), null);
    for (KryoRegistry.Entry entry : registry.entries()) {
      assertThat(kryo.getRegistration(entry.type()).getId()).as(entry.type().getName()).isEqualTo(entry.id());
    }
  }

  @Test
  void twoKryoInstancesWriteTheSameBytesAndReadEachOther() {
    KryoRegistry registry = KryoRegistry.of(List.of(new SampleRegistrar()));
    Syscall message = new Syscall(5, 6, 7, false, 'k', "read", Path.LOCAL, new Cpu(0, 1), List.of(),
        List.of("fd"), Map.of("n", 1L), java.util.Optional.empty());
    byte[][] bytes = new byte[2][];
    for (int i = 0; i < 2; i++) {
      Output output = new Output(64, -1);
      registry.newKryo(null, null).writeClassAndObject(output, message);
      bytes[i] = output.toBytes();
    }
    assertThat(bytes[1]).isEqualTo(bytes[0]);
    assertThat(registry.newKryo(null, null).readClassAndObject(new Input(bytes[0]))).isEqualTo(message);
  }

  @Test
  void twoRegistrarsClaimingTheSameIdFailNamingBoth() {
    Registrar ihk = new Registrar("ihk-registrar", 5000, 5099, r -> r.register(Cpu.class, 5001));
    Registrar mck = new Registrar("mck-registrar", 5000, 5199, r -> r.register(Reply.class, 5001));
    assertThatThrownBy(() -> KryoRegistry.of(List.of(ihk, mck)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Kryo id 5001 is claimed twice")
        .hasMessageContaining(Cpu.class.getName() + " (ihk-registrar)")
        .hasMessageContaining(Reply.class.getName() + " (mck-registrar)");
  }

  @Test
  void aClassRegisteredTwiceFailsNamingBothIds() {
    Registrar a = new Registrar("a", 5000, 5099, r -> r.register(Cpu.class, 5001));
    Registrar b = new Registrar("b", 6000, 6099, r -> r.register(Cpu.class, 6001));
    assertThatThrownBy(() -> KryoRegistry.of(List.of(a, b)))
        .hasMessageContaining("class " + Cpu.class.getName() + " is registered twice")
        .hasMessageContaining("id 5001 (a)")
        .hasMessageContaining("id 6001 (b)");
    Registrar base = new Registrar("c", 5000, 5099, r -> r.register(ArrayList.class, 5000));
    assertThatThrownBy(() -> KryoRegistry.of(List.of(base)))
        .hasMessageContaining("java.util.ArrayList is registered twice")
        .hasMessageContaining("id 20 (the mcksim base table)");
  }

  @Test
  void theSameRegistrarTwiceIsRejected() {
    assertThatThrownBy(() -> KryoRegistry.of(List.of(new SampleRegistrar(), new SampleRegistrar())))
        .hasMessageContaining("Kryo registrar " + SampleRegistrar.class.getName() + " is given twice");
  }

  @Test
  void registrarsStayInTheirRanges() {
    Registrar outside = new Registrar("wanderer", 5000, 5099, r -> r.register(Cpu.class, 5100));
    assertThatThrownBy(() -> KryoRegistry.of(List.of(outside)))
        .hasMessageContaining("wanderer registers " + Cpu.class.getName() + " with id 5100, outside its range 5000..5099");
    Registrar inBase = new Registrar("squatter", 500, 599, r -> { });
    assertThatThrownBy(() -> KryoRegistry.of(List.of(inBase)))
        .hasMessageContaining("squatter declares the id range 500..599");
    Registrar backwards = new Registrar("backwards", 5000, 4000, r -> { });
    assertThatThrownBy(() -> KryoRegistry.of(List.of(backwards)))
        .hasMessageContaining("backwards declares the id range 5000..4000");
  }

  @Test
  void nonPublicRecordsAndInterfacesAreRejected() {
    Registrar hidden = new Registrar("h", 5000, 5099, r -> r.register(Hidden.class, 5000));
    assertThatThrownBy(() -> KryoRegistry.of(List.of(hidden)))
        .hasMessageContaining("the record " + Hidden.class.getName())
        .hasMessageContaining("not public");
    Registrar iface = new Registrar("i", 5000, 5099, r -> r.register(SimMessage.class, 5000));
    assertThatThrownBy(() -> KryoRegistry.of(List.of(iface)))
        .hasMessageContaining("registers the interface " + SimMessage.class.getName());
  }

  @Test
  void registrarsComeFromConfiguration() {
    KryoRegistry registry = KryoRegistry.fromConfig(ConfigFactory.parseString(
        KryoRegistry.REGISTRARS_PATH + " { m = \"" + SampleRegistrar.class.getName() + "\" }"), getClass().getClassLoader());
    assertThat(registry.entries()).anySatisfy(e -> assertThat(e.type()).isEqualTo(Syscall.class));
    assertThat(registry.toString()).contains("9002\t" + Syscall.class.getName() + "\t" + SampleRegistrar.class.getName());
    Set<Integer> ids = new HashSet<>();
    registry.entries().forEach(e -> assertThat(ids.add(e.id())).isTrue());
  }

  @Test
  void badRegistrarNamesInConfigurationAreExplained() {
    ClassLoader loader = getClass().getClassLoader();
    assertThatThrownBy(() -> KryoRegistry.fromConfig(ConfigFactory.parseString(
        KryoRegistry.REGISTRARS_PATH + " { m = \"io.mcksim.nowhere.Registrar\" }"), loader))
        .hasMessageContaining(KryoRegistry.REGISTRARS_PATH + " names io.mcksim.nowhere.Registrar, which cannot be loaded");
    assertThatThrownBy(() -> KryoRegistry.fromConfig(ConfigFactory.parseString(
        KryoRegistry.REGISTRARS_PATH + " { m = \"java.lang.String\" }"), loader))
        .hasMessageContaining("java.lang.String, which does not implement " + KryoRegistrar.class.getName());
    assertThatThrownBy(() -> KryoRegistry.fromConfig(ConfigFactory.parseString(
        KryoRegistry.REGISTRARS_PATH + " { m = \"" + NeedsArgument.class.getName() + "\" }"), loader))
        .hasMessageContaining("has no public no-argument constructor");
    String twice = "\"" + SampleRegistrar.class.getName() + "\"";
    assertThatThrownBy(() -> KryoRegistry.fromConfig(ConfigFactory.parseString(
        KryoRegistry.REGISTRARS_PATH + " { a = " + twice + ", b = " + twice + " }"), loader))
        .hasMessageContaining("lists " + SampleRegistrar.class.getName() + " twice");
  }

  @Test
  void anActorRefWithoutAnActorSystemFailsClearly() {
    KryoRegistry registry = KryoRegistry.of(List.of(new SampleRegistrar()));
    Kryo kryo = registry.newKryo(null, null);
    org.apache.pekko.actor.typed.ActorRef<Reply> ref = new ActorRefAdapter<>(null);
    assertThatThrownBy(() -> kryo.writeClassAndObject(new Output(64, -1), new SampleMessages.Ask(ref, 1)))
        .hasMessageContaining("only by the KryoSerializer of an actor system");
  }
}
