package io.mcksim.mckernel;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.serialization.SimMessage;
import io.mcksim.ikc.IkcPacket;

/**
 * The McKernel memory of one NUMA node of an OS instance. Memory is either still contiguous (never
 * allocated, carved from the top: what premapping and large pages need) or fragmented (freed back
 * in pieces). Processes draw memory in grants: contiguous grants only from the contiguous part,
 * others from the fragments first. It is also the memory IHK initialises when it boots the instance
 * ({@link io.mcksim.ihk.Lwk.Init}, {@code boot-per-gib}).
 */
public final class MemoryPartition implements SimEntity {

  /** Grant {@code bytes} to {@code replyTo}, contiguous or not. */
  public record Grant(long id, long bytes, boolean contiguous, int replyTo)
      implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return id * 31 + bytes + (contiguous ? 1 : 0);
    }
  }

  /** The answer: {@code bytes} granted, 0 if there was not enough. */
  public record Granted(long id, long bytes, boolean contiguous) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ~(id * 31 + bytes);
    }
  }

  /**
   * Count the instance's memory for a /proc/meminfo read: each partition adds its own and passes the
   * count on to the next; the last one answers {@code replyTo} with {@link Counted}.
   *
   * @param request the PROCFS_REQUEST being answered
   * @param cpu     the CPU that answers it
   * @param delay   the rendering's cost, still to come
   */
  public record Count(IkcPacket request, int cpu, long delay, long total, long free, int replyTo)
      implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return request.fingerprint() ^ RandomStreams.mix64(total) ^ free;
    }
  }

  /** The instance's memory, counted over every partition. */
  public record Counted(IkcPacket request, int cpu, long delay, long total, long free)
      implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ~request.fingerprint() ^ RandomStreams.mix64(total) ^ free;
    }
  }

  /** Memory freed by a process. */
  public record Release(long bytes) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return bytes;
    }
  }

  /**
   * A fault: the partition is exhausted for {@code durationNs} from now (other kernels' or a runaway
   * allocation's use, not modelled further): every grant asked for meanwhile is refused.
   */
  public record Exhaust(long durationNs) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return durationNs;
    }
  }

  /** Until when the partition grants nothing. */
  private long exhaustedUntil;

  private final int numa;
  private final long capacity;
  private final long hop;
  private final int next;
  private long contiguous;
  private long fragments;
  private long refused;
  /** The scenario's lifecycle costs, or null: the partition is not on a node that IHK boots. */
  private io.mcksim.config.LifecycleCosts lifecycle;

  /** @param next the next NUMA node's partition, or -1 for the last */
  public MemoryPartition(int numa, long bytes, long hop, int next) {
    this.next = next;
    this.numa = numa;
    this.capacity = bytes;
    this.contiguous = bytes;
    this.hop = hop;
  }

  /**
   * This partition is on a node IHK boots: it answers IHK's initialisation at boot ({@link
   * io.mcksim.ihk.Lwk.Init}) after the scenario's lifecycle {@code costs}. Call before the model runs.
   */
  public MemoryPartition withLifecycle(io.mcksim.config.LifecycleCosts costs) {
    this.lifecycle = costs;
    return this;
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (payload instanceof io.mcksim.ihk.Lwk.Init i) {
      if (lifecycle == null) {
        throw new IllegalStateException("memory partition " + numa + " is on a node IHK does not boot");
      }
      ctx.send(i.replyTo(), io.mcksim.ihk.Lwk.initTime(i.bytes(), lifecycle), 0,
          new io.mcksim.ihk.Lwk.Ready(i.generation(), numa, i.bytes()));
    } else if (payload instanceof Exhaust x) {
      exhaustedUntil = Math.max(exhaustedUntil, io.mcksim.actors.engine.VirtualTime.after(ctx.now(),
          x.durationNs()));
    } else if (payload instanceof Grant g) {
      long granted = 0;
      if (ctx.now() < exhaustedUntil) {
        granted = 0;
      } else if (g.contiguous()) {
        if (contiguous >= g.bytes()) {
          contiguous -= g.bytes();
          granted = g.bytes();
        }
      } else if (fragments + contiguous >= g.bytes()) {
        long fromFragments = Math.min(fragments, g.bytes());
        fragments -= fromFragments;
        contiguous -= g.bytes() - fromFragments;
        granted = g.bytes();
      }
      if (granted == 0) {
        refused++;
      }
      ctx.send(g.replyTo(), hop, 0, new Granted(g.id(), granted, g.contiguous()));
    } else if (payload instanceof Count c) {
      Count mine = new Count(c.request(), c.cpu(), c.delay(), c.total() + capacity,
          c.free() + contiguous + fragments, c.replyTo());
      if (next >= 0) {
        ctx.send(next, hop, 0, mine);
      } else {
        ctx.send(c.replyTo(), hop, 0, new Counted(c.request(), c.cpu(), c.delay(), mine.total(),
            mine.free()));
      }
    } else if (payload instanceof Release r) {
      fragments += r.bytes();
      if (fragments + contiguous > capacity) {
        throw new IllegalStateException("NUMA " + numa + " partition: more memory released than it has");
      }
    } else {
      throw new IllegalArgumentException("memory partition " + numa + " got an unknown message " + payload);
    }
  }

  /** Bytes the partition has, granted or not. */
  public long capacity() {
    return capacity;
  }

    /** Bytes not granted to any process. */
  public long free() {
    return contiguous + fragments;
  }

  public long contiguousFree() {
    return contiguous;
  }

  public long refused() {
    return refused;
  }
}
