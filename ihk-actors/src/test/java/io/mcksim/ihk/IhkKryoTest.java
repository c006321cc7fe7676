package io.mcksim.ihk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.mcksim.actors.serialization.KryoRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every IHK message round-trips through the project's Kryo table; dumps read back as written. */
class IhkKryoTest {

  private static final List<Object> SAMPLES = List.of(
      IhkCommand.parse("ihkosctl 0 kargs \"hidos dump_level=24\""),
      new IhkMaster.Request(7, IhkCommand.parse("ihkconfig 0 reserve cpu 4-7"), 3),
      new IhkMaster.Reply(7, 22, "error: something"),
      new IhkMaster.Kmsg(1, "[    0.000001] IHK/McKernel started."),
      new IhkMaster.BootResult(0, 5, true),
      new IhkMaster.ShutdownDone(0, 6),
      new IhkMaster.Frozen(0, 7),
      new IhkMaster.InjectBootFailure(8, 0, 2, 3),
      new IhkMaster.HangFound(0, 2),
      new IhkMaster.StatusChanged(0, "PANIC", "PANIC: McKernel CPU 1 panicked"),
      new IhkMaster.IhkError(0, "illegal-step", "IHK: OS 0 cannot go from PANIC to INACTIVE in one step"),
      new OsInstance.Boot(5, List.of(4, 5, 6), List.of(1L << 30, 0L), "hidos", -1),
      new OsInstance.Shutdown(6, List.of(4, 5, 6)),
      new OsInstance.Freeze(7),
      new OsInstance.Abandon(8),
      new OsInstance.Hung(2),
      new Lwk.BringUp(5, 0, 1, false, 2),
      new Lwk.Online(5, 5, 1),
      new Lwk.Failed(5, 5, 1, "no response"),
      new Lwk.Stop(6, 2),
      new Lwk.Stopped(6, 5),
      new Lwk.Init(5, 0, 1L << 30, 2),
      new Lwk.Ready(5, 0, 1L << 30),
      Operator.mcreboot("4-7", "2G@0", "", "mckernel.img", "hidos"),
      Operator.Step.command("ihkconfig 0 create", "ihkconfig 0 destroy 0"),
      Operator.Kind.WAIT_RUNNING,
      new InstanceDump(0, 0, 24, 123, "RUNNING", List.of(4, 5), List.of(1L << 30), "mckernel.img",
          "hidos", "4-5:0", List.of("a", "b")));

  @Test
  void everyRegisteredIhkClassHasASampleThatRoundTrips() {
    KryoRegistry registry = KryoRegistry.of(List.of(new IhkKryoRegistrar()));
    Set<Class<?>> registered = registry.entries().stream()
        .filter(e -> e.owner().equals(IhkKryoRegistrar.class.getName()))
        .map(KryoRegistry.Entry::type).collect(Collectors.toSet());
    Set<Class<?>> sampled = SAMPLES.stream().map(Object::getClass).collect(Collectors.toSet());
    assertThat(sampled).containsExactlyInAnyOrderElementsOf(registered);
    Kryo kryo = registry.newKryo(getClass().getClassLoader(), null);
    for (Object sample : SAMPLES) {
      Output out = new Output(256, -1);
      kryo.writeClassAndObject(out, sample);
      Object back = kryo.readClassAndObject(new Input(out.toBytes()));
      assertThat(back).as(sample.getClass().getName()).isEqualTo(sample);
    }
  }

  @Test
  void aDumpReadsBackAsWrittenAndAGarbledFileIsAClearError(@TempDir Path dir) throws IOException {
    InstanceDump dump = (InstanceDump) SAMPLES.get(SAMPLES.size() - 1);
    Path file = dir.resolve("mcdump");
    DumpFile.write(file, dump);
    assertThat(DumpFile.read(file)).isEqualTo(dump);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file); // no temporary left behind
    }
    Path garbage = dir.resolve("garbage");
    Files.writeString(garbage, "not a dump");
    assertThatThrownBy(() -> DumpFile.read(garbage)).isInstanceOf(IOException.class)
        .hasMessageContaining("is not an mcksim instance dump");
  }
}
