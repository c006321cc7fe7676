package io.mcksim.cli;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.config.IkcCostSettings;
import io.mcksim.ikc.ChannelSpec;
import io.mcksim.ikc.Credit;
import io.mcksim.ikc.IkcFlood;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.ikc.IkcReceiver;
import io.mcksim.ikc.IkcSender;
import io.mcksim.ikc.PacketType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * {@code mcksim bench ikc}: packets per second through IKC channels on the actor engine (each packet
 * crosses its node's Pekko stream, each slot's credit comes back as an event), next to a plain
 * actor-to-actor baseline measured in the same run: producer and consumer actors exchanging the same
 * number of messages with the same window of 64 unacknowledged ones. Also the memory of a channel's
 * two endpoints, idle and after use, over 100,000 channels.
 */
final class IkcBench {

  private IkcBench() {}

  static final IkcCostSettings COSTS = new IkcCostSettings(1_000, 100, 200);

  static Json run(long packets, int threads) {
    Json out = new Json().put("threads", threads).put("capacity", 64).put("packetsPerChannel", packets);
    for (int channels : new int[] {1, 64}) {
      long total = packets * channels;
      double ikc = ikc(channels, total / channels, threads);
      double plain = plainActors(channels, total / channels, threads);
      out.put("channels" + channels, new Json()
          .put("ikcPacketsPerSecond", ikc)
          .put("plainActorMessagesPerSecond", plain)
          .put("ratio", ikc / plain));
    }
    out.put("flood", flood(10_000_000));
    long[] mem = memoryPerChannel(100_000);
    out.put("bytesPerIdleChannel", mem[0]).put("bytesPerActiveChannel", mem[1])
        .put("channelsMeasured", 100_000);
    return out;
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
   * {@code packets} packets through one capacity-64 channel whose reader is slower than its writer,
   * on the sequential engine; reports the heap's peak while it ran.
   */
  private static Json flood(long packets) {
    PholdRun.usedHeap();
    for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory
        .getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    IkcFlood flood = new IkcFlood(1, 1, 64, COSTS, packets, 400);
    long[] liveAtEnd = new long[1];
    RunResult r = new io.mcksim.actors.engine.SequentialEngine().run(flood,
        RunSpec.until(Long.MAX_VALUE / 4, 1).withWallClock(System::nanoTime)
            .withAtEnd(() -> liveAtEnd[0] = PholdRun.usedHeap()));
    long peakHeap = 0;
    long peakOld = 0;
    for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory
        .getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP) {
        long used = pool.getPeakUsage().getUsed();
        peakHeap += used;
        if (pool.getName().contains("Old") || pool.getName().contains("Tenured")) {
          peakOld += used;
        }
      }
    }
    // the old generation holds what survives; young-generation garbage is what the heap peak adds
    return new Json().put("packets", flood.handled()).put("engine", "sequential")
        .put("wallSeconds", r.wallSeconds()).put("peakOldGenMiB", peakOld >> 20)
        .put("liveHeapAtEndMiB", liveAtEnd[0] >> 20).put("peakHeapWithGarbageMiB", peakHeap >> 20)
        .put("stallSeconds", flood.stats(0).stallNs() / 1e9)
        .put("peakOccupancy", flood.stats(0).peakOccupancy());
  }

  private record Msg(long n, ActorRef<Long> ackTo) {}

  /** {@code pairs} producer/consumer pairs, each pushing {@code count} messages, 64 unacknowledged. */
  private static double plainActors(int pairs, long count, int threads) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    int[] remaining = {pairs};
    Behavior<Void> guardian = Behaviors.setup(ctx -> {
      for (int p = 0; p < pairs; p++) {
        ActorRef<Msg> consumer = ctx.spawn(Behaviors.receiveMessage(m -> {
          m.ackTo().tell(m.n());
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

  private static Behavior<Long> producer(ActorRef<Msg> consumer, long count, Runnable finished) {
    return Behaviors.setup(ctx -> {
      long[] sent = {0};
      long[] acked = {0};
      while (sent[0] < Math.min(64, count)) {
        consumer.tell(new Msg(sent[0]++, ctx.getSelf()));
      }
      return Behaviors.receiveMessage(ack -> {
        acked[0]++;
        if (sent[0] < count) {
          consumer.tell(new Msg(sent[0]++, ctx.getSelf()));
        }
        if (acked[0] == count) {
          finished.run();
          return Behaviors.stopped();
        }
        return Behaviors.same();
      });
    });
  }

  /** Bytes per channel (both endpoints), idle and after each has carried and queued packets. */
  static long[] memoryPerChannel(int n) {
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

}
