package io.mcksim.ikc;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
import io.mcksim.config.IkcCostSettings;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A benchmark model: {@code channels} IKC channels, each with one writer that writes {@code packets}
 * packets as fast as its ring lets it (a blocked writer waits) and one reader that handles one packet
 * at a time in {@code service} ns plus the interrupt. Channel {@code c} lives in domain
 * {@code c % domains}.
 */
public final class IkcFlood implements SimModel {

  private record Next() implements Fingerprinted {
    @Override
    public long fingerprint() {
      return 1;
    }
  }

  private record Handled() implements Fingerprinted {
    @Override
    public long fingerprint() {
      return 2;
    }
  }

  private static final Next NEXT = new Next();
  private static final Handled HANDLED = new Handled();

  private final int channels;
  private final int domains;
  private final ChannelSpec spec;
  private final IkcCostSettings costs;
  private final long packets;
  private final long service;
  private final Reader[] readers;
  private final Writer[] writers;

  public IkcFlood(int channels, int domains, int capacity, IkcCostSettings costs, long packets, long service) {
    this.channels = channels;
    this.domains = domains;
    this.spec = new ChannelSpec(0, "flood", ChannelSpec.Kind.IKC2LINUX, capacity, List.of(0), 0);
    this.costs = costs;
    this.packets = packets;
    this.service = service;
    this.readers = new Reader[channels];
    this.writers = new Writer[channels];
  }

  @Override
  public String name() {
    return "ikc-flood";
  }

  @Override
  public long seed() {
    return 0;
  }

  @Override
  public int entityCount() {
    return 2 * channels;
  }

  @Override
  public int domainCount() {
    return domains;
  }

  @Override
  public int domainOf(int entity) {
    return (entity / 2) % domains;
  }

  @Override
  public long lookahead() {
    return Math.min(costs.latency(), costs.credit());
  }

  @Override
  public long localLookahead() {
    return lookahead();
  }

  @Override
  public SimEntity createEntity(int id) {
    if (id % 2 == 0) {
      writers[id / 2] = new Writer(id);
      return writers[id / 2];
    }
    readers[id / 2] = new Reader(id - 1);
    return readers[id / 2];
  }

  /** Statistics of channel {@code c}, writer and reader combined; read after the run. */
  public ChannelStats stats(int c) {
    return IkcReceiver.combine(writers[c].sender.stats(), readers[c].receiver.stats());
  }

  /** Packets handled by all readers; read after the run. */
  public long handled() {
    long sum = 0;
    for (Reader r : readers) {
      sum += r.handled;
    }
    return sum;
  }

  private final class Writer implements SimEntity {
    final IkcSender sender;
    long written;

    Writer(int id) {
      sender = new IkcSender(spec, spec.capacity(), id, id + 1, costs, List.of(), 0);
    }

    @Override
    public void start(SimContext ctx) {
      if (packets > 0) {
        ctx.send(ctx.self(), 0, 0, NEXT);
      }
    }

    @Override
    public void onEvent(SimContext ctx, int source, long data, Object payload) {
      if (payload instanceof Credit c) {
        sender.onCredit(ctx, c);
      }
      while (written < packets && sender.waiting() == 0) {
        sender.send(ctx, IkcPacket.of(PacketType.SYSCALL_ONESIDE, 1, 1, 0, 0, written++));
      }
    }
  }

  private final class Reader implements SimEntity {
    final IkcReceiver receiver = new IkcReceiver(spec, costs);
    final int writer;
    final ArrayDeque<IkcPacket> ring = new ArrayDeque<>();
    boolean busy;
    long handled;

    Reader(int writer) {
      this.writer = writer;
    }

    @Override
    public void onEvent(SimContext ctx, int source, long data, Object payload) {
      if (payload instanceof IkcPacket p) {
        if (receiver.onPacket(p, source) == IkcReceiver.Verdict.ACCEPT) {
          ring.add(p);
        }
      } else {
        ring.poll();
        handled++;
        busy = false;
        receiver.consumed(ctx, writer);
      }
      if (!busy && !ring.isEmpty()) {
        busy = true;
        ctx.send(ctx.self(), receiver.ipiCost() + service, 0, HANDLED);
      }
    }
  }
}
