package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.mcksim.actors.serialization.KryoRegistry;
import io.mcksim.machine.bsp.BspOutcome;
import io.mcksim.workloads.LatencyLog;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every message of the machine round-trips through the project's Kryo table. */
class MachineKryoTest {

  static final List<Object> SAMPLES = List.of(
      new BspOutcome(new long[] {1_000, 2_100}, 70, 4, 13_800, 0, 8, 1, 500),
      new ProgramNodes.Figures(List.of(process()), List.of("[  1]: a kernel line")),
      process(), log(3_450), new LatencyLog[] {log(60)});

  private static LatencyLog log(long ns) {
    LatencyLog log = new LatencyLog();
    log.add(ns);
    log.add(ns + 10);
    return log;
  }

  /** A process of node 0 on instance 1, with its counters and one syscall's latencies. */
  private static ProgramNodes.Process process() {
    return new ProgramNodes.Process(1006, 1, 0, 0, 0, 336_764_100, 341_755_577, 200, 0, 16, 0, 0, 256,
        new long[] {0, 1, 2}, new String[] {"write"}, new LatencyLog[] {log(3_450)});
  }

  @Test
  void everyRegisteredMachineClassHasASampleThatRoundTrips() {
    KryoRegistry registry = KryoRegistry.of(List.of(new MachineKryoRegistrar()));
    Set<Class<?>> registered = registry.entries().stream()
        .filter(e -> e.owner().equals(MachineKryoRegistrar.class.getName()))
        .map(KryoRegistry.Entry::type).collect(Collectors.toSet());
    assertThat(SAMPLES.stream().map(Object::getClass).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(registered);
    Kryo kryo = registry.newKryo(getClass().getClassLoader(), null);
    for (Object sample : SAMPLES) {
      Output out = new Output(256, -1);
      kryo.writeClassAndObject(out, sample);
      Object back = kryo.readClassAndObject(new Input(out.toBytes()));
      assertThat(back).usingRecursiveComparison().as(sample.getClass().getName()).isEqualTo(sample);
    }
  }
}
