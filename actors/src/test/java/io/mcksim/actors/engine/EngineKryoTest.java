package io.mcksim.actors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.serialization.KryoRegistry;
import io.mcksim.actors.serialization.KryoSerializer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every engine message that crosses JVMs in a run spread over JVMs round-trips through Pekko's
 * serialization, which picks the mcksim Kryo serializer for it: the window protocol, cross-domain
 * batches (events with and without payloads), a model failure, the cluster's own messages, and the
 * supervision, deathwatch and ask signals that ride in batches (with their digest fingerprints intact).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestKitJUnit5Extension.class)
class EngineKryoTest {

  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private Object roundTrip(Object message) {
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    assertThat(serialization.findSerializerFor(message)).isInstanceOf(KryoSerializer.class);
    byte[] bytes = serialization.serialize(message).get();
    return serialization.deserialize(bytes, serialization.findSerializerFor(message).identifier(),
        message.getClass().getName()).get();
  }

  private List<Object> samples() {
    ActorRef<ClusterMessages.ToWorker> agent = testKit.<ClusterMessages.ToWorker>createTestProbe().getRef();
    ActorRef<EngineCoordinator.Command> coordinator = testKit.<EngineCoordinator.Command>createTestProbe().getRef();
    EventBuffer events = new EventBuffer();
    events.add(1_400, 17, 3, 0, 4L << 4, null);
    events.add(1_400, 18, 3, 1, -5, "a payload");
    events.add(Long.MAX_VALUE / 4, 2_000_000, 1_999_999, 1L << 40, Long.MIN_VALUE, List.of(1, 2));
    IllegalStateException cause = new IllegalStateException("queue empty");
    return List.of(
        new DomainSequencer.Start(coordinator),
        new DomainSequencer.RunWindow(57, 1_000_000, 1_001_200, 12),
        new DomainSequencer.CrossBatch(4, 57, events),
        new EngineCoordinator.WindowDone(3, 2_000, new int[] {1, 5}, new long[] {1_500, 1_700}, 99, 12_345),
        new EngineCoordinator.DomainFailed(3, 217, 4_000, cause),
        new ClusterMessages.WorkerHello(agent, "127.0.0.1", 4242),
        new ClusterMessages.Setup(1, List.of("pekko://mcksim@127.0.0.1:2551", "pekko://mcksim@127.0.0.1:2552"),
            "mcksim.scenario { run.seed = 7 }", 1_000_000_000L, "bsp-linux", 7, 52_000, 1_000),
        new ClusterMessages.Ready(1, coordinator),
        new ClusterMessages.SetupFailed(2, "java.lang.IllegalStateException: no such profile"),
        new ClusterMessages.Collect(testKit.<ClusterMessages.Totals>createTestProbe().getRef(),
            testKit.<ClusterMessages.TotalsDone>createTestProbe().getRef()),
        new ClusterMessages.Totals(new int[] {0, 1, 9}, new long[] {-7, 3, Long.MAX_VALUE}, new long[] {4, 0, 11},
            2, 9_000, new long[] {1, 2, 30, 4}),
        new ClusterMessages.TotalsDone(0, 3, new ClusterMessages.SetupFailed(0, "a part")),
        ClusterMessages.Shutdown.INSTANCE,
        new ClusterMessages.Stopping(2),
        new ClusterMessages.Batches(new int[] {400}, List.of(new DomainSequencer.CrossBatch(4, 57, events))),
        new EngineCoordinator.WindowReports(List.of(
            new EngineCoordinator.WindowDone(3, 2_000, new int[] {1}, new long[] {1_500}, 99, 12_345),
            new EngineCoordinator.WindowDone(4, Long.MAX_VALUE, new int[0], new long[0], 7, 0)), 2),
        new ClusterMessages.Expect(coordinator, 333, List.of(coordinator, coordinator)),
        new ClusterMessages.WindowOrders(58, 1_001_200, 1_002_400, new int[] {0, 2, 332}, new long[] {12, 0, 3}),
        new EngineSignal.Watch(1_000),
        new EngineSignal.Unwatch(),
        new EngineSignal.Died(3, 7_500),
        new EngineSignal.FailureNotice(2, 5_000, "child 4 failed: panic"),
        new EngineSignal.Restart(2, false),
        new EngineSignal.Restart(-1, true),
        new EngineSignal.Stop(),
        new EngineSignal.AskRequest(41, 1_000, List.of(1, 2)),
        new EngineSignal.AskRequest(42, 1_000, null),
        new EngineSignal.AskReply(41, "resolved"),
        new EngineSignal.AskFailed(42, 9_000),
        new EngineSignal.AskTimeout(43, 17),
        new EngineSignal.Envelope(new EngineSignal.AskReply(44, List.of("in", "an", "envelope"))));
  }

  @Test
  void everyRegisteredEngineClassHasASampleThatRoundTrips() {
    Set<Class<?>> registered = KryoRegistry.of(List.of(new EngineKryoRegistrar())).entries().stream()
        .filter(e -> e.owner().equals(EngineKryoRegistrar.class.getName()))
        .map(KryoRegistry.Entry::type).collect(Collectors.toSet());
    List<Object> samples = samples();
    Set<Class<?>> covered = samples.stream().map(Object::getClass).collect(Collectors.toSet());
    covered.add(EventBuffer.class); // travels inside CrossBatch
    assertThat(covered).containsExactlyInAnyOrderElementsOf(registered);
    for (Object sample : samples) {
      Object back = roundTrip(sample);
      assertThat(back).as(sample.getClass().getName()).isInstanceOf(sample.getClass());
      if (sample instanceof DomainSequencer.CrossBatch c) {
        DomainSequencer.CrossBatch r = (DomainSequencer.CrossBatch) back;
        assertThat(r.from()).isEqualTo(c.from());
        assertThat(r.window()).isEqualTo(c.window());
        assertSameEvents(r.events(), c.events());
      } else if (sample instanceof ClusterMessages.Batches bs) {
        ClusterMessages.Batches r = (ClusterMessages.Batches) back;
        assertThat(r.dests()).isEqualTo(bs.dests());
        assertThat(r.batches()).hasSize(bs.batches().size());
        assertSameEvents(r.batches().get(0).events(), bs.batches().get(0).events());
      } else if (sample instanceof EngineCoordinator.DomainFailed f) {
        EngineCoordinator.DomainFailed r = (EngineCoordinator.DomainFailed) back;
        assertThat(List.of(r.domain(), r.entity(), r.time())).isEqualTo(List.of(f.domain(), f.entity(), f.time()));
        assertThat(r.error().getMessage()).isEqualTo("java.lang.IllegalStateException: queue empty (in a worker JVM)");
        assertThat(frames(r.error())).isEqualTo(frames(f.error())).isNotEmpty();
        // a failure that crosses twice keeps its original class and message
        EngineCoordinator.DomainFailed twice = (EngineCoordinator.DomainFailed) roundTrip(r);
        assertThat(twice.error().getMessage()).isEqualTo(r.error().getMessage());
      } else {
        assertThat(back).as(sample.getClass().getName()).usingRecursiveComparison().isEqualTo(sample);
      }
      if (sample instanceof Fingerprinted f) {
        assertThat(((Fingerprinted) back).fingerprint()).as(sample.toString()).isEqualTo(f.fingerprint());
      }
    }
  }

  private static List<String> frames(Throwable t) {
    return Arrays.stream(t.getStackTrace())
        .map(e -> e.getClassName() + "." + e.getMethodName() + "(" + e.getFileName() + ":" + e.getLineNumber() + ")")
        .toList();
  }

  private static void assertSameEvents(EventBuffer back, EventBuffer sent) {
    assertThat(back.size).isEqualTo(sent.size);
    int n = sent.size;
    assertThat(Arrays.copyOf(back.time, n)).isEqualTo(Arrays.copyOf(sent.time, n));
    assertThat(Arrays.copyOf(back.target, n)).isEqualTo(Arrays.copyOf(sent.target, n));
    assertThat(Arrays.copyOf(back.source, n)).isEqualTo(Arrays.copyOf(sent.source, n));
    assertThat(Arrays.copyOf(back.seq, n)).isEqualTo(Arrays.copyOf(sent.seq, n));
    assertThat(Arrays.copyOf(back.data, n)).isEqualTo(Arrays.copyOf(sent.data, n));
    assertThat(Arrays.copyOf(back.payload, n)).isEqualTo(Arrays.copyOf(sent.payload, n));
  }
}
