package io.mcksim.ikc;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
import io.mcksim.config.IkcCostSettings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Test model: {@code pairs} channels, each with one writer and one reader entity, pair {@code p} in
 * domain {@code p % domains}. A writer produces {@code count} packets, one every {@code interval} ns
 * (open loop: it keeps producing while blocked, packets wait in order), or in closed loop (it produces
 * the next packet {@code interval} after the previous one was written, so a blocked writer stops
 * producing). A reader handles one packet at a time, each taking the interrupt plus {@code service}.
 */
final class ChannelModel implements SimModel {

  private record Tick(long k) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return k;
    }
  }

  private record Done(int writer) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return writer;
    }
  }

  final int pairs;
  final int domains;
  final ChannelSpec spec;
  final IkcCostSettings costs;
  final long count;
  final long interval;
  final long service;
  final boolean closedLoop;
  final List<FaultRule> faults;
  final long seed;
  final Writer[] writers;
  final Reader[] readers;

  ChannelModel(int pairs, int domains, int capacity, IkcCostSettings costs, long count, long interval,
      long service, boolean closedLoop, List<FaultRule> faults, long seed) {
    this.pairs = pairs;
    this.domains = domains;
    this.spec = new ChannelSpec(0, "test", ChannelSpec.Kind.IKC2LINUX, capacity, List.of(0), 0);
    this.costs = costs;
    this.count = count;
    this.interval = interval;
    this.service = service;
    this.closedLoop = closedLoop;
    this.faults = faults;
    this.seed = seed;
    this.writers = new Writer[pairs];
    this.readers = new Reader[pairs];
  }

  @Override
  public String name() {
    return "ikc-channels";
  }

  @Override
  public long seed() {
    return seed;
  }

  @Override
  public int entityCount() {
    return 2 * pairs;
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
    int pair = id / 2;
    if (id % 2 == 0) {
      writers[pair] = new Writer(id);
      return writers[pair];
    }
    readers[pair] = new Reader(id);
    return readers[pair];
  }

  final class Writer implements SimEntity {
    final IkcSender sender;
    long produced;
    int maxWaiting;
    boolean blocked;

    Writer(int id) {
      this.sender = new IkcSender(spec, spec.capacity(), id, id + 1, costs, faults, seed);
    }

    @Override
    public void start(SimContext ctx) {
      if (count > 0) {
        ctx.send(ctx.self(), 0, 0, new Tick(0));
      }
    }

    @Override
    public void onEvent(SimContext ctx, int source, long data, Object payload) {
      if (payload instanceof Tick t) {
        sender.send(ctx, IkcPacket.of(PacketType.SYSCALL_ONESIDE, 1, 1, 0, 39, t.k()));
        produced++;
        maxWaiting = Math.max(maxWaiting, sender.waiting());
        if (produced < count) {
          if (!closedLoop || sender.waiting() == 0) {
            ctx.send(ctx.self(), interval, 0, new Tick(produced));
          } else {
            blocked = true;
          }
        }
      } else if (payload instanceof Credit c) {
        sender.onCredit(ctx, c);
        if (blocked && sender.waiting() == 0) {
          blocked = false;
          ctx.send(ctx.self(), interval, 0, new Tick(produced));
        }
      }
    }
  }

  final class Reader implements SimEntity {
    final IkcReceiver receiver = new IkcReceiver(spec, costs);
    final ArrayDeque<IkcPacket> ring = new ArrayDeque<>();
    final List<Long> handledArgs = new ArrayList<>();
    long handled;
    long lastDone;
    boolean busy;
    int writer;

    Reader(int id) {
      this.writer = id - 1;
    }

    @Override
    public void onEvent(SimContext ctx, int source, long data, Object payload) {
      if (payload instanceof IkcPacket p) {
        if (receiver.onPacket(p, source) == IkcReceiver.Verdict.ACCEPT) {
          ring.add(p);
          startNext(ctx);
        }
      } else if (payload instanceof Done) {
        IkcPacket p = ring.poll();
        handled++;
        lastDone = ctx.now();
        if (handledArgs.size() < 100_000) {
          handledArgs.add(p.arg());
        }
        busy = false;
        receiver.consumed(ctx, writer);
        startNext(ctx);
      }
    }

    private void startNext(SimContext ctx) {
      if (!busy && !ring.isEmpty()) {
        busy = true;
        ctx.send(ctx.self(), receiver.ipiCost() + service, 0, new Done(writer));
      }
    }
  }
}
