package io.mcksim.ikc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
import io.mcksim.actors.engine.SimulationFailure;
import io.mcksim.actors.engine.StreamChunk;
import io.mcksim.actors.engine.StreamTransport;
import io.mcksim.actors.engine.StreamedEvent;
import io.mcksim.config.IkcCostSettings;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.apache.pekko.stream.javadsl.Source;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The IKC transport on the actor engine: packets through per-channel lanes with bounded buffers,
 * backpressure that holds writers back without changing any result, and a failing stage that ends the
 * run naming the channel, the virtual time and the seed.
 */
class IkcTransportTest {

  private static final IkcCostSettings COSTS = new IkcCostSettings(1_000, 50, 200);
  private static final long END = Long.MAX_VALUE / 4;

  @Test
  void aFloodThroughOneChannelIntoASlowReaderLosesNothingAndEqualsTheSequentialEngine() {
    // the writer writes as fast as its 64 credits let it; the reader takes 50 + 400 ns a packet
    long n = 300_000;
    IkcFlood seq = new IkcFlood(1, 1, 64, COSTS, n, 400);
    RunResult a = new SequentialEngine().run(seq, RunSpec.until(END, 1));
    IkcFlood act = new IkcFlood(1, 1, 64, COSTS, n, 400);
    RunResult b = new ActorEngine().run(act, RunSpec.until(END, 2));
    assertThat(act.handled()).isEqualTo(n);
    assertThat(act.handledArgs(0)).containsExactlyElementsOf(
        LongStream.range(0, IkcFlood.KEPT_ARGS).boxed().toList());
    assertThat(b.digest()).isEqualTo(a.digest());
    assertThat(b.events()).isEqualTo(a.events());
    assertThat(act.stats(0)).isEqualTo(seq.stats(0));
    assertThat(act.stats(0).peakOccupancy()).isEqualTo(64);
    assertThat(act.stats(0).gaps() + act.stats(0).duplicates()).isZero();
    assertThat(act.maxWaiting(0)).isLessThanOrEqualTo(1);
  }

  @Test
  void backpressureHoldsTheWritersBackAndTheResultsEqualTheUnconstrainedRun() {
    // open-loop writers put about 20 packets into their rings in every 200 ns batch, 4 channels per
    // domain: far more than a stream whose entry queue takes 2 packets and whose channels buffer 1
    IkcTransport tight = new IkcTransport(1, 2);
    IkcFlood constrained = new IkcFlood(8, 2, 64, COSTS, 20_000, 10, 300, false, List.of(), 11)
        .withTransport(tight);
    RunResult a = new ActorEngine().run(constrained, RunSpec.until(END, 2));
    IkcTransport roomy = new IkcTransport(4_096, 1 << 20);
    IkcFlood free = new IkcFlood(8, 2, 64, COSTS, 20_000, 10, 300, false, List.of(), 11)
        .withTransport(roomy);
    RunResult b = new ActorEngine().run(free, RunSpec.until(END, 2));
    IkcFlood seq = new IkcFlood(8, 2, 64, COSTS, 20_000, 10, 300, false, List.of(), 11);
    RunResult c = new SequentialEngine().run(seq, RunSpec.until(END, 1));

    assertThat(tight.pushBacks()).as("times the tight stream made a domain wait for room").isPositive();
    assertThat(roomy.pushBacks()).isZero();
    assertThat(tight.channelsOpened()).isEqualTo(8);
    assertThat(a.digest()).isEqualTo(b.digest()).isEqualTo(c.digest());
    assertThat(a.virtualEndNs()).isEqualTo(b.virtualEndNs()).isEqualTo(c.virtualEndNs());
    for (int ch = 0; ch < 8; ch++) {
      assertThat(constrained.handled(ch)).isEqualTo(20_000);
      assertThat(constrained.stats(ch)).as("channel %d", ch).isEqualTo(free.stats(ch)).isEqualTo(seq.stats(ch));
      assertThat(constrained.lastDone(ch)).isEqualTo(free.lastDone(ch));
      assertThat(constrained.handledArgs(ch)).containsExactlyElementsOf(
          LongStream.range(0, 20_000).boxed().toList());
    }
  }

  /**
   * A batch the domain ran all by itself runs on past its usual end, in the queue's order, only while
   * no event its stream still owes comes first: however far it may run on (not at all, one event, seven,
   * the default 1,024), with entity actors or without, every result equals the sequential engine's, and
   * running on takes fewer batches.
   */
  @ParameterizedTest(name = "run-on-events {0}, hand-off-events {1}")
  @CsvSource({"0, 8", "1, 8", "7, 8", "1024, 8", "1024, 2", "1024, 1"})
  void batchesThatRunOnPastTheirEndKeepEveryResult(int runOn, int handOff) {
    IkcFlood seq = new IkcFlood(8, 2, 64, COSTS, 20_000, 10, 300, false, List.of(), 11);
    RunResult oracle = new SequentialEngine().run(seq, RunSpec.until(END, 1));
    IkcFlood act = new IkcFlood(8, 2, 64, COSTS, 20_000, 10, 300, false, List.of(), 11);
    RunResult r = withEngineSettings(runOn, handOff, () -> new ActorEngine().run(act, RunSpec.until(END, 2)));
    assertThat(r.digest()).as("run-on %d, hand-off %d", runOn, handOff).isEqualTo(oracle.digest());
    assertThat(r.events()).isEqualTo(oracle.events());
    for (int ch = 0; ch < 8; ch++) {
      assertThat(act.stats(ch)).as("channel %d", ch).isEqualTo(seq.stats(ch));
      assertThat(act.lastDone(ch)).isEqualTo(seq.lastDone(ch));
    }
    if (runOn == 1024 && handOff == 8) {
      IkcFlood without = new IkcFlood(8, 2, 64, COSTS, 20_000, 10, 300, false, List.of(), 11);
      RunResult w = withEngineSettings(0, handOff, () -> new ActorEngine().run(without, RunSpec.until(END, 2)));
      assertThat(r.subWindows()).as("batches running on against not").isLessThan(w.subWindows() / 2);
    }
  }

  private static RunResult withEngineSettings(int runOn, int handOff, java.util.function.Supplier<RunResult> run) {
    System.setProperty("mcksim.actors.engine.run-on-events", String.valueOf(runOn));
    System.setProperty("mcksim.actors.engine.hand-off-events", String.valueOf(handOff));
    ConfigFactory.invalidateCaches();
    try {
      assertThat(ActorEngine.config(1).getInt("mcksim.actors.engine.run-on-events")).isEqualTo(runOn);
      return run.get();
    } finally {
      System.clearProperty("mcksim.actors.engine.run-on-events");
      System.clearProperty("mcksim.actors.engine.hand-off-events");
      ConfigFactory.invalidateCaches();
    }
  }

  @Test
  void aFullLaneStopsTheStageTakingChunksUntilTheLanePassesOneOn() throws Exception {
    IkcTransport transport = new IkcTransport(2, 0); // lanes of 2 chunks
    throughLanes(transport, (queue, sink) -> {
      offerChannel7(queue, 10);
      // one chunk in the sink, two in channel 7's lane, which is full: the other seven wait in the queue
      assertThat(queue.size()).isEqualTo(7);
      // the stage takes nothing more, whatever the channel, until that lane passes one on
      queue.offer(chunk(2, 3, 0, 1));
      assertThat(queue.size()).isEqualTo(8);
      for (int k = 1; k <= 8; k++) {
        assertThat(next(sink).seq(0)).as("chunks leave in the order they came").isEqualTo(k);
        // the sink takes the lane's oldest, the lane takes the queue's next: one more chunk left the queue
        assertThat(queue.size()).isEqualTo(8 - k);
      }
    });
    assertThat(transport.channelsOpened()).isEqualTo(3);
  }

  @Test
  void aLaneFullWhenItsEntryQueueEndsPassesOnWhatItHoldsAndTheStreamEnds() throws Exception {
    throughLanes(new IkcTransport(2, 0), (queue, sink) -> {
      offerChannel7(queue, 10);
      queue.complete(); // the last two chunks end up in the lane, which is full
      for (int k = 1; k <= 10; k++) {
        assertThat(next(sink).seq(0)).isEqualTo(k);
      }
      assertThat(sink.pull().toCompletableFuture().get(1, TimeUnit.MINUTES)).as("the stream ended").isEmpty();
    });
  }

  @Test
  void aLaneKeepsTheOrderOfEachOfManyWritersApart() throws Exception {
    throughLanes(new IkcTransport(4_096, 0), (queue, sink) -> {
      // 48 writers (entities 100-147, as a node's McKernel CPUs into a Linux CPU's ring) take turns on
      // channel 5 of entity 1, each writing its events 1, 2 and 3 in order: all pass
      for (int seq = 1; seq <= 3; seq++) {
        for (int w = 100; w < 148; w++) {
          assertThat(queue.offer(chunk(1, 5, w, seq))).isEqualTo(QueueOfferResult.enqueued());
        }
      }
      for (int k = 0; k < 3 * 48; k++) {
        next(sink);
      }
      // entity 117's event 2 again, after its event 3: the lane fails with the writer and both events
      queue.offer(chunk(1, 5, 117, 2));
      assertThatThrownBy(() -> next(sink))
          .hasRootCauseInstanceOf(IkcTransport.ChannelFailure.class)
          .hasMessageContaining("IKC channel 5 read by entity 1")
          .hasMessageContaining("entity 117's event 2 came after its event 3");
    });
  }

  /** What a lane test does with the two ends of the transport's stage. */
  @FunctionalInterface
  private interface LaneTest {
    void run(BoundedSourceQueue<StreamChunk> queue, SinkQueueWithCancel<StreamChunk> sink) throws Exception;
  }

  /**
   * Runs {@code test} on the transport's stage as the engine runs it, on the thread that offers or pulls
   * (the stream dispatcher), between a queue of 64 chunks and a sink that holds 1 chunk and takes more
   * only when pulled; started first by one chunk (channel 9 of entity 9) through it and back, as the
   * graph's first run is on a thread of Pekko's. From then on every step is done when the call that
   * caused it returns.
   */
  private static void throughLanes(IkcTransport transport, LaneTest test) throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "lanes", ActorEngine.config(1));
    try {
      Pair<BoundedSourceQueue<StreamChunk>, SinkQueueWithCancel<StreamChunk>> ends = Source.<StreamChunk>queue(64)
          .via(transport.flow(0))
          .toMat(Sink.queue(), Keep.both())
          .withAttributes(Attributes.inputBuffer(1, 1)
              .and(ActorAttributes.dispatcher("mcksim.actors.engine.stream-dispatcher")))
          .run(Materializer.matFromSystem(system));
      ends.first().offer(chunk(9, 9, 0, 1));
      next(ends.second());
      test.run(ends.first(), ends.second());
    } finally {
      system.terminate();
    }
  }

  /** Offers entity 1's channel 7 the chunks of entity 0's events 1 to {@code n}. */
  private static void offerChannel7(BoundedSourceQueue<StreamChunk> queue, int n) {
    for (int k = 1; k <= n; k++) {
      assertThat(queue.offer(chunk(1, 7, 0, k))).isEqualTo(QueueOfferResult.enqueued());
    }
  }

  /** The next chunk out of the stage, which must come. */
  private static StreamChunk next(SinkQueueWithCancel<StreamChunk> sink) throws Exception {
    return sink.pull().toCompletableFuture().get(1, TimeUnit.MINUTES).orElseThrow();
  }

  /** A chunk of one packet-less event to {@code target} on channel {@code channel}, with sequence {@code seq}. */
  private static StreamChunk chunk(int target, int channel, int source, long seq) {
    return StreamChunk.of(((long) target << 32) | channel,
        List.of(new StreamedEvent(1_000 * seq, target, source, seq, channel, null)));
  }

  @Test
  void aChannelWithoutTrafficOpensNoLane() {
    IkcTransport transport = new IkcTransport();
    IkcFlood idle = new IkcFlood(4, 2, 64, COSTS, 0, 40).withTransport(transport);
    new ActorEngine().run(idle, RunSpec.until(END, 2));
    assertThat(transport.channelsOpened()).isZero();
  }

  @Test
  void aStageThatFailsEndsTheRunWithTheChannelTheVirtualTimeAndTheSeed() {
    Rogue model = new Rogue();
    // without a stream nothing checks the wire: the sequential engine runs it to the end
    assertThat(new SequentialEngine().run(new Rogue(), RunSpec.until(END, 1)).events()).isEqualTo(4);
    assertThatThrownBy(() -> new ActorEngine().run(model, RunSpec.until(END, 2)))
        .isInstanceOf(SimulationFailure.class)
        .hasMessageContaining("the event stream of domain 0 failed at t=")
        .hasMessageContaining("IKC channel 7 read by entity 1")
        .hasMessageContaining("entity 0 wrote a packet of channel 3 into it")
        .hasMessageContaining("seed 42")
        .hasRootCauseInstanceOf(IkcTransport.ChannelFailure.class);
  }

  /** A writer that puts packets of channels 7, 7 and then 3 on channel 7 at 1 us. */
  private static final class Rogue implements SimModel {
    @Override
    public String name() {
      return "rogue";
    }

    @Override
    public long seed() {
      return 42;
    }

    @Override
    public int entityCount() {
      return 2;
    }

    @Override
    public int domainCount() {
      return 1;
    }

    @Override
    public int domainOf(int entity) {
      return 0;
    }

    @Override
    public long lookahead() {
      return 100;
    }

    @Override
    public long localLookahead() {
      return 100;
    }

    @Override
    public StreamTransport streamTransport() {
      return new IkcTransport();
    }

    @Override
    public SimEntity createEntity(int id) {
      if (id == 1) {
        return (ctx, source, data, payload) -> {};
      }
      return new SimEntity() {
        @Override
        public void start(SimContext ctx) {
          ctx.send(ctx.self(), 1_000, 0, null);
        }

        @Override
        public void onEvent(SimContext ctx, int source, long data, Object payload) {
          for (int channel : new int[] {7, 7, 3}) {
            ctx.sendStreamed(1, 1_000, 7, new IkcPacket(PacketType.SYSCALL_ONESIDE, channel, 0, 1, 1, 0, 0, 0, 0, 0));
          }
        }
      };
    }
  }
}
