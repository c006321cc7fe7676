package io.mcksim.cli;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.StreamChunk;
import io.mcksim.actors.engine.StreamedEvent;
import io.mcksim.config.IkcCostSettings;
import io.mcksim.ikc.ChannelSpec;
import io.mcksim.ikc.Credit;
import io.mcksim.ikc.IkcFlood;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.ikc.IkcReceiver;
import io.mcksim.ikc.IkcSender;
import io.mcksim.ikc.IkcTransport;
import io.mcksim.ikc.PacketType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@code mcksim bench ikc}: packets per second through IKC channels on the actor engine (each packet
 * crosses its node's {@link IkcTransport}, its channel's lane; each slot's credit comes back as an
 * event), next to a plain actor-to-actor baseline measured in the same run: producer and consumer
 * actors exchanging the same number of messages with the same window of 64 unacknowledged ones. Both
 * run once unmeasured to warm the JIT up, then in {@value #ROUNDS} alternating rounds; each keeps its
 * fastest. Also a flood through one channel into a slow reader on the actor engine, with its peak
 * heap and its digest against the sequential engine's, through the standard stream and through one
 * whose buffers are far smaller than the ring (backpressure); and the memory of a channel, idle and
 * active (its two endpoints, and its lane), over 100,000 channels.
 */
final class IkcBench {

  private IkcBench() {}

  static final IkcCostSettings COSTS = new IkcCostSettings(1_000, 100, 200);

  /** Measured rounds of each side, alternating. */
  static final int ROUNDS = 3;

  /**
   * Wall time each side runs unmeasured first, alternating, in runs of a tenth of the measured size:
   * both reach their compiled steady state (the engine's paths take far longer to compile than the
   * baseline's) before either is measured.
   */
  static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** The tight stream's buffers: its channel's lane and its entry queue, in chunks. */
  static final int TIGHT_CHANNEL = 4;
  static final int TIGHT_ENTRY = 8;

  /** Channels the memory figures are measured over. */
  static final int CHANNELS_MEASURED = 100_000;

  static Json run(long packets, long floodPackets, int threads) {
    Json out = new Json().put("threads", threads).put("capacity", 64).put("packetsPerChannel", packets)
        .put("rounds", ROUNDS);
    for (int channels : new int[] {1, 64}) {
      warmUp(channels, Math.max(1, packets / 10), threads);
      double ikc = 0;
      double plain = 0;
      for (int round = 0; round < ROUNDS; round++) {
        ikc = Math.max(ikc, ikc(channels, packets, threads));
        plain = Math.max(plain, plainActors(channels, packets, threads));
      }
      out.put("channels" + channels, new Json()
          .put("ikcPacketsPerSecond", ikc)
          .put("plainActorMessagesPerSecond", plain)
          .put("ratio", ikc / plain));
    }
    out.put("flood", flood(floodPackets, threads, new IkcTransport()));
    // the same flood through a stream far smaller than the ring: the same results and memory. Its one writer
    // feeds the stream a chunk at a time and its domain waits for each, so the stream seldom if ever has to
    // push back (streamPushBacks counts it); IkcTransportTest shows backpressure with open-loop writers
    out.put("floodTightStream", flood(floodPackets, threads, new IkcTransport(TIGHT_CHANNEL, TIGHT_ENTRY))
        .put("channelBuffer", TIGHT_CHANNEL).put("entryBuffer", TIGHT_ENTRY));
    long[] endpoints = endpointBytes(CHANNELS_MEASURED);
    long lane = laneBytes(CHANNELS_MEASURED);
    out.put("bytesPerIdleChannel", endpoints[0])
        .put("bytesPerActiveChannel", endpoints[1] + lane)
        .put("activeChannel", new Json().put("endpointBytes", endpoints[1]).put("laneBytes", lane))
        .put("channelsMeasured", CHANNELS_MEASURED);
    return out;
  }

  /** Runs both sides unmeasured, alternating, until each has run {@link #WARM_UP_NANOS}. */
  private static void warmUp(int channels, long packets, int threads) {
    long ikcNanos = 0;
    long plainNanos = 0;
    while (ikcNanos < WARM_UP_NANOS || plainNanos < WARM_UP_NANOS) {
      long t0 = System.nanoTime();
      ikc(channels, packets, threads);
      long t1 = System.nanoTime();
      plainActors(channels, packets, threads);
      ikcNanos += t1 - t0;
      plainNanos += System.nanoTime() - t1;
    }
  }

  private static double ikc(int channels, long packets, int threads) {
    IkcFlood flood = new IkcFlood(channels, Math.min(channels, 16), 64, COSTS, packets, 50);
    RunResult r = new ActorEngine().run(flood, RunSpec.until(Long.MAX_VALUE / 4, threads)
        .withWallClock(System::nanoTime));
    if (flood.handled() != packets * channels) {
      throw new IllegalStateException("IKC flood lost packets: " + flood.handled() + " of "
          + packets * channels);
    }
    return flood.handled() / r.wallSeconds();
  }

  /**
   * {@code packets} packets through one capacity-64 channel whose reader takes 500 ns a packet while
   * its writer writes as fast as its credits allow, on the actor engine through the IKC transport;
   * the heap's peak while it ran, and the digest against the same flood on the sequential engine.
   */
  private static Json flood(long packets, int threads, IkcTransport transport) {
    PholdRun.usedHeap();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    IkcFlood flood = new IkcFlood(1, 1, 64, COSTS, packets, 400).withTransport(transport);
    long[] liveAtEnd = new long[1];
    RunResult r = new ActorEngine().run(flood, RunSpec.until(Long.MAX_VALUE / 4, threads)
        .withWallClock(System::nanoTime).withAtEnd(() -> liveAtEnd[0] = PholdRun.usedHeap()));
    long peakHeap = 0;
    long peakOld = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        long used = pool.getPeakUsage().getUsed();
        peakHeap += used;
        if (pool.getName().contains("Old") || pool.getName().contains("Tenured")) {
          peakOld += used;
        }
      }
    }
    IkcFlood sequential = new IkcFlood(1, 1, 64, COSTS, packets, 400);
    RunResult s = new SequentialEngine().run(sequential, RunSpec.until(Long.MAX_VALUE / 4, 1)
        .withWallClock(System::nanoTime));
    // the old generation holds what survives; young-generation garbage is what the heap peak adds
    return new Json().put("packets", flood.handled()).put("engine", "actors").put("threads", threads)
        .put("wallSeconds", r.wallSeconds()).put("packetsPerSecond", flood.handled() / r.wallSeconds())
        .put("peakOldGenMiB", peakOld >> 20)
        .put("liveHeapAtEndMiB", liveAtEnd[0] >> 20).put("peakHeapWithGarbageMiB", peakHeap >> 20)
        .put("stallSeconds", flood.stats(0).stallNs() / 1e9)
        .put("peakOccupancy", flood.stats(0).peakOccupancy())
        .put("streamPushBacks", transport.pushBacks())
        .put("digest", r.digest())
        .put("sequentialDigest", s.digest())
        .put("sequentialWallSeconds", s.wallSeconds())
        .put("digestsEqual", r.digest().equals(s.digest()) && flood.handled() == sequential.handled());
  }

  private record Msg(IkcPacket packet, ActorRef<Credit> ackTo) {}

  /**
   * {@code pairs} producer/consumer pairs, each pushing {@code count} messages, 64 unacknowledged: each
   * message carries a packet made as an IKC writer makes it, and each answer is a credit, as on a
   * channel.
   */
  private static double plainActors(int pairs, long count, int threads) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    int[] remaining = {pairs};
    Behavior<Void> guardian = Behaviors.setup(ctx -> {
      for (int p = 0; p < pairs; p++) {
        ActorRef<Msg> consumer = ctx.spawn(Behaviors.receiveMessage(m -> {
          m.ackTo().tell(new Credit(m.packet().channel(), 1));
          return Behaviors.same();
        }), "consumer-" + p);
        ctx.spawn(producer(consumer, count, () -> {
          synchronized (remaining) {
            if (--remaining[0] == 0) {
              done.complete(null);
            }
          }
        }), "producer-" + p);
      }
      return Behaviors.empty();
    });
    ActorSystem<Void> system = ActorSystem.create(guardian, "baseline", ActorEngine.config(threads));
    long start = System.nanoTime();
    try {
      done.get(10, TimeUnit.MINUTES);
      return pairs * count / ((System.nanoTime() - start) / 1e9);
    } catch (Exception e) {
      throw new IllegalStateException("actor baseline failed", e);
    } finally {
      system.terminate();
    }
  }

  private static Behavior<Credit> producer(ActorRef<Msg> consumer, long count, Runnable finished) {
    return Behaviors.setup(ctx -> {
      long[] sent = {0};
      long[] acked = {0};
      while (sent[0] < Math.min(64, count)) {
        consumer.tell(new Msg(packet(sent[0]++), ctx.getSelf()));
      }
      return Behaviors.receiveMessage(credit -> {
        acked[0]++;
        if (sent[0] < count) {
          consumer.tell(new Msg(packet(sent[0]++), ctx.getSelf()));
        }
        if (acked[0] == count) {
          finished.run();
          return Behaviors.stopped();
        }
        return Behaviors.same();
      });
    });
  }

  /** A packet like those the flood's writers write ({@link IkcFlood}): the same kind, arguments and size. */
  private static IkcPacket packet(long k) {
    return IkcPacket.of(PacketType.SYSCALL_ONESIDE, 1, 1, 0, 39, k);
  }

  /** Bytes per channel's two endpoints, idle and after each has carried and queued packets. */
  static long[] endpointBytes(int n) {
    ChannelSpec spec = new ChannelSpec(0, "m", ChannelSpec.Kind.IKC2LINUX, 128, List.of(0), 0);
    long base = PholdRun.usedHeap();
    IkcSender[] senders = new IkcSender[n];
    IkcReceiver[] receivers = new IkcReceiver[n];
    for (int i = 0; i < n; i++) {
      senders[i] = new IkcSender(spec, 2, 2 * i, 2 * i + 1, COSTS, List.of(), 0);
      receivers[i] = new IkcReceiver(spec, COSTS);
    }
    long idle = PholdRun.usedHeap();
    SimContext nowhere = new SimContext() {
      @Override
      public long now() {
        return 0;
      }

      @Override
      public int self() {
        return 0;
      }

      @Override
      public void send(int target, long delay, long data, Object payload) {}
    };
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 3; k++) { // two fill the writer's share, the third waits for a slot
        IkcPacket p = IkcPacket.of(PacketType.SYSCALL_ONESIDE, 1, 1, 0, 0, k);
        senders[i].send(nowhere, p);
      }
      receivers[i].onPacket(new IkcPacket(PacketType.SYSCALL_ONESIDE, 0, 0, 1, 1, 0, 0, 0, 0, 0), 0);
      receivers[i].consumed(nowhere, 0);
      senders[i].onCredit(nowhere, new Credit(0, 1));
    }
    long active = PholdRun.usedHeap();
    long[] r = {(idle - base) / n, (active - base) / n};
    if (senders[n - 1] == null || receivers[n - 1] == null) {
      throw new IllegalStateException("unreachable: keeps the arrays alive until measured");
    }
    return r;
  }

  /**
   * Bytes the IKC transport's graph holds per channel that has carried a packet: one node's graph (as
   * the engine materializes it, after its entry queue) with {@code n} channels open, each opened by one
   * packet and kept open, less the same graph with {@code n} channels fewer. The first {@code n} channels
   * are opened before the first measurement, so that what earlier runs of the benchmark leave to the
   * collector (their actor systems' threads end while this runs) is gone from both measurements: taken
   * against the graph with no channel, the difference came out negative in one run of six. An idle
   * channel has no lane.
   */
  static long laneBytes(int n) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "lanes", ActorEngine.config(1));
    try {
      AtomicLong through = new AtomicLong();
      BoundedSourceQueue<StreamChunk> queue = Source.<StreamChunk>queue(1024)
          .via(new IkcTransport().flow(0))
          .to(Sink.foreach(e -> through.incrementAndGet()))
          .run(Materializer.matFromSystem(system));
      openChannels(queue, 0, n);
      settle(through, n);
      long base = PholdRun.usedHeap();
      openChannels(queue, n, 2 * n);
      settle(through, 2L * n);
      long open = PholdRun.usedHeap();
      if (queue.isCompleted()) {
        throw new IllegalStateException("the measured graph ended early");
      }
      return (open - base) / n;
    } finally {
      system.terminate();
    }
  }

  /** Opens channels {@code from} to {@code to} (exclusive) of the graph, one packet each. */
  private static void openChannels(BoundedSourceQueue<StreamChunk> queue, int from, int to) {
    IkcPacket p = new IkcPacket(PacketType.SYSCALL_ONESIDE, 0, 0, 1, 1, 0, 0, 0, 0, 0);
    for (int i = from; i < to; i++) {
      StreamChunk c = StreamChunk.of((long) i << 32, List.of(new StreamedEvent(1, i, 0, i, 0, p)));
      while (queue.offer(c) != QueueOfferResult.enqueued()) {
        Thread.onSpinWait();
      }
    }
  }

  private static void settle(AtomicLong through, long count) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (through.get() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the measured graph carried " + through.get() + " of " + count);
      }
      Thread.onSpinWait();
    }
  }
}
