package io.mcksim.ikc;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
import io.mcksim.actors.engine.StreamTransport;
import io.mcksim.config.IkcCostSettings;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * IKC traffic for benchmarks and tests: {@code channels} channels, each with one writer and one
 * reader entity; channel {@code c} lives in domain {@code c % domains}. A writer produces
 * {@code packets} packets, one every {@code interval} ns: in open loop it keeps producing while the
 * ring is full (packets wait in order); in closed loop it produces the next packet {@code interval}
 * after the previous one was written, so a blocked writer stops producing. A reader handles one
 * packet at a time, each taking the interrupt plus {@code service} ns.
 *
 * <p>On the actor engine the packets travel through the {@link IkcTransport} (by default with its
 * standard buffers; {@link #withTransport} sets others). Channels of different domains never talk, so
 * the lookahead between domains is a second, as between the nodes of a chaos campaign; inside a
 * domain it is the shortest hop, min(latency, credit).
 */
public final class IkcFlood implements SimModel {

  private record Tick(long k) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return k;
    }
  }

  private record Handled(int writer) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return writer;
    }
  }

  /** Packet arguments a reader keeps, in the order handled, for order checks. */
  public static final int KEPT_ARGS = 100_000;

  private final int channels;
  private final int domains;
  private final ChannelSpec spec;
  private final IkcCostSettings costs;
  private final long packets;
  private final long interval;
  private final long service;
  private final boolean closedLoop;
  private final List<FaultRule> faults;
  private final long seed;
  private final Writer[] writers;
  private final Reader[] readers;
  private StreamTransport transport = new IkcTransport();

  /** A closed-loop flood: writers write as fast as their rings let them. */
  public IkcFlood(int channels, int domains, int capacity, IkcCostSettings costs, long packets,
      long service) {
    this(channels, domains, capacity, costs, packets, 0, service, true, List.of(), 0);
  }

  public IkcFlood(int channels, int domains, int capacity, IkcCostSettings costs, long packets,
      long interval, long service, boolean closedLoop, List<FaultRule> faults, long seed) {
    this.channels = channels;
    this.domains = domains;
    this.spec = new ChannelSpec(0, "flood", ChannelSpec.Kind.IKC2LINUX, capacity, List.of(0), 0);
    this.costs = costs;
    this.packets = packets;
    this.interval = interval;
    this.service = service;
    this.closedLoop = closedLoop;
    this.faults = List.copyOf(faults);
    this.seed = seed;
    this.writers = new Writer[channels];
    this.readers = new Reader[channels];
  }

  @Override
  public String name() {
    return "ikc-flood";
  }

  @Override
  public long seed() {
    return seed;
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

  /** The lookahead between domains: their channels never talk. */
  static final long APART = 1_000_000_000L;

  @Override
  public long lookahead() {
    return Math.max(APART, localLookahead());
  }

  @Override
  public long localLookahead() {
    return Math.min(costs.latency(), costs.credit());
  }

  /** Packets travel through {@code transport} on the actor engine (set before the run). */
  public IkcFlood withTransport(StreamTransport transport) {
    this.transport = transport;
    return this;
  }

  @Override
  public StreamTransport streamTransport() {
    return transport;
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

  /** Packets channel {@code c}'s reader handled. */
  public long handled(int c) {
    return readers[c].handled;
  }

  /** The arguments of the first {@link #KEPT_ARGS} packets channel {@code c} handled, in order. */
  public List<Long> handledArgs(int c) {
    Reader r = readers[c];
    return Arrays.stream(r.handledArgs, 0, r.kept).boxed().toList();
  }

  /** When channel {@code c}'s reader finished its last packet. */
  public long lastDone(int c) {
    return readers[c].lastDone;
  }

  /** Most packets channel {@code c}'s writer ever had waiting for a slot. */
  public int maxWaiting(int c) {
    return writers[c].maxWaiting;
  }

  private final class Writer implements SimEntity {
    final IkcSender sender;
    long produced;
    int maxWaiting;
    boolean blocked;

    Writer(int id) {
      this.sender = new IkcSender(spec, spec.capacity(), id, id + 1, costs, faults, seed);
    }

    @Override
    public void start(SimContext ctx) {
      if (packets > 0) {
        ctx.send(ctx.self(), 0, 0, new Tick(0));
      }
    }

    @Override
    public void onEvent(SimContext ctx, int source, long data, Object payload) {
      if (payload instanceof Tick t) {
        // stamped with the channel and the sequence number it will be written with, as a McKernel CPU
        // stamps its offloads: the writer sends it as it is, without a copy
        sender.send(ctx, new IkcPacket(PacketType.SYSCALL_ONESIDE, sender.channel(), sender.nextSeq()
            + sender.waiting(), 1, 1, 0, 39, t.k(), 0, 0));
        produced++;
        maxWaiting = Math.max(maxWaiting, sender.waiting());
        if (produced < packets) {
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

  private final class Reader implements SimEntity {
    final IkcReceiver receiver = new IkcReceiver(spec, costs);
    final ArrayDeque<IkcPacket> ring = new ArrayDeque<>();
    /** The first {@link #KEPT_ARGS} arguments handled, {@code kept} of them: primitives, grown by doubling. */
    long[] handledArgs = new long[16];
    int kept;
    final int writer;
    /** The reader's one end-of-service event: immutable, so made once. */
    final Handled done;
    long handled;
    long lastDone;
    boolean busy;

    Reader(int writer) {
      this.writer = writer;
      this.done = new Handled(writer);
    }

    @Override
    public void onEvent(SimContext ctx, int source, long data, Object payload) {
      if (payload instanceof IkcPacket p) {
        if (receiver.onPacket(p, source) == IkcReceiver.Verdict.ACCEPT) {
          ring.add(p);
        }
      } else {
        IkcPacket p = ring.poll();
        handled++;
        lastDone = ctx.now();
        if (kept < KEPT_ARGS) {
          if (kept == handledArgs.length) {
            handledArgs = Arrays.copyOf(handledArgs, Math.min(KEPT_ARGS, 2 * kept));
          }
          handledArgs[kept++] = p.arg();
        }
        busy = false;
        receiver.consumed(ctx, writer);
      }
      if (!busy && !ring.isEmpty()) {
        busy = true;
        ctx.send(ctx.self(), receiver.ipiCost() + service, 0, done);
      }
    }
  }
}
