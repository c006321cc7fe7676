package io.mcksim.ikc;

import io.mcksim.actors.engine.AskRef;
import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.VirtualTime;
import io.mcksim.config.IkcCostSettings;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A writer's end of an IKC channel, embedded in the entity that writes (a McKernel CPU, mcctrl).
 *
 * <p>The writer holds the ring's free slots as credits. With a credit it writes at once: the packet
 * reaches the reader after {@code latency}. Without one it waits, in virtual time, until the reader
 * frees a slot and the writer sees it ({@code credit} later); packets wait in order, and each wait is
 * measured. The ring is FIFO: a packet never overtakes an earlier one, so a delayed packet delays
 * those behind it. A shared ring (several McKernel CPUs writing to one Linux CPU) is split evenly among its
 * writers: each holds {@code capacity / writers} slots, at least one.
 *
 * <p>Packets travel as streamed events ({@link SimContext#sendStreamed}): on the actor engine, through
 * the node's Pekko stream, bounded and backpressured; the ring's credits bound what is in flight.
 *
 * <p>An idle sender holds a few fields and no buffers; its queue is made on first need, and what fault
 * injection needs (the rules, their random stream, their counts) only for a sender that has rules.
 */
public final class IkcSender {

  /** The faults to inject into a sender's packets, and what they did. */
  private static final class Faults {
    final List<FaultRule> rules;
    final long seed;
    final int selfEntity;
    SplittableRandom random;
    boolean[] fired;
    long dropped;
    long delayed;
    long duplicated;
    long clogged;

    Faults(List<FaultRule> rules, long seed, int selfEntity) {
      this.rules = rules;
      this.seed = seed;
      this.selfEntity = selfEntity;
    }
  }

  /**
   * The faults of every sender without rules: shared, as nothing in it ever changes (its counts and
   * draws change only when one of its rules fires).
   */
  private static final Faults NONE = new Faults(List.of(), 0, 0);

  private final ChannelSpec spec;
  private final int readerEntity;
  private final IkcCostSettings costs;
  private Faults faults;
  /** The run seed and the writer's entity, for the fault stream of rules armed later. */
  private final long seed;
  private final int selfEntity;

  private final int share;
  private int credits;
  /** When the last packet written reaches the reader: a ring is FIFO, no packet overtakes another. */
  private long lastArrival;
  private int peakInUse;
  /** The packets waiting for a slot; made on first need. */
  private Waiting waiting;

  private long packets;
  /** Packets written as asks of the reader ({@link #ask}), and as answers to its asks ({@link #reply}). */
  private long asks;
  private long replies;
  private long stallNs;
  private long maxStallNs;

  /**
   * @param spec         the channel
   * @param share        the ring slots this writer may fill (its credits)
   * @param selfEntity   the writing entity's id (seeds the fault stream)
   * @param readerEntity the entity that reads the channel
   * @param rules        faults to inject ({@code List.of()} for none)
   * @param seed         the run seed
   */
  public IkcSender(ChannelSpec spec, int share, int selfEntity, int readerEntity, IkcCostSettings costs,
      List<FaultRule> rules, long seed) {
    if (share < 1) {
      throw new IllegalArgumentException("channel " + spec.name() + ": a writer needs at least one slot");
    }
    this.spec = spec;
    this.share = share;
    this.credits = share;
    this.readerEntity = readerEntity;
    this.costs = costs;
    this.faults = rules.isEmpty() ? NONE : new Faults(List.copyOf(rules), seed, selfEntity);
    this.seed = seed;
    this.selfEntity = selfEntity;
  }

  /**
   * Adds {@code rule} to this writer's rules from now on (a fault struck while the channel runs); what
   * the rules already did is kept.
   */
  public void arm(FaultRule rule) {
    List<FaultRule> rules = new java.util.ArrayList<>(faults.rules);
    rules.add(rule);
    Faults armed = new Faults(List.copyOf(rules), seed, selfEntity);
    armed.random = faults.random;
    armed.fired = faults.fired == null ? null : java.util.Arrays.copyOf(faults.fired, rules.size());
    armed.dropped = faults.dropped;
    armed.delayed = faults.delayed;
    armed.duplicated = faults.duplicated;
    armed.clogged = faults.clogged;
    faults = armed;
  }

  /** This writer's share of a ring of {@code capacity} written by {@code writers} writers. */
  public static int share(int capacity, int writers) {
    return Math.max(1, capacity / Math.max(1, writers));
  }

  /**
   * A packet written as an ask of the reader ({@code timeoutNs} set) or as the answer to the reader's ask
   * ({@code answers} set): the ring carries it like any packet.
   */
  private record Asked(IkcPacket packet, long timeoutNs, AskRef answers) {}

  /** Writes {@code packet} now, or as soon as a slot is free. */
  public void send(SimContext ctx, IkcPacket packet) {
    enqueue(ctx, packet);
  }

  /**
   * Writes {@code packet} as an ask of the reader ({@link SimContext#ask}, with {@code timeoutNs}), now or
   * as soon as a slot is free: the writer gets exactly one outcome, the reader's answer (written back
   * with {@link #reply} on the reader's ring), the timeout, or the reader's death at its virtual time.
   * The packet travels as every packet does (credits, FIFO, the fault rules); a packet a rule drops is
   * no ask at all: nobody ever sees it. A duplicate is a plain copy, which the reader ignores.
   */
  public void ask(SimContext ctx, IkcPacket packet, long timeoutNs) {
    enqueue(ctx, new Asked(packet, timeoutNs, null));
  }

  /**
   * Writes {@code packet} as the answer to {@code ask} (an ask of this writer's entity, made by the ring's
   * reader), now or as soon as a slot is free. A dropped answer leaves the ask to its timeout or this
   * entity's death.
   */
  public void reply(SimContext ctx, AskRef ask, IkcPacket packet) {
    enqueue(ctx, new Asked(packet, 0, ask));
  }

  private void enqueue(SimContext ctx, Object packet) {
    if (credits > 0 && (waiting == null || waiting.count == 0)) {
      write(ctx, packet, ctx.now());
      return;
    }
    if (waiting == null) {
      waiting = new Waiting();
    }
    waiting.add(packet, ctx.now());
  }

  /** The reader freed slots this writer filled: write what waits. */
  public void onCredit(SimContext ctx, Credit credit) {
    credits += credit.slots();
    Waiting w = waiting;
    while (credits > 0 && w != null && w.count > 0) {
      long since = w.headSince();
      write(ctx, w.poll(), since);
    }
  }

  /**
   * The packets waiting for a slot, in order, and since when each waits: a ring of two columns, from
   * {@link #head}, {@link #count} of them (no object per waiting packet beyond the packet itself).
   */
  private static final class Waiting {
    /** Room for one at first (a writer of a big machine rarely has more waiting), then twice as many. */
    private Object[] packets = new Object[1];
    private long[] since = new long[1];
    private int head;
    int count;

    void add(Object packet, long now) {
      if (count == packets.length) {
        grow();
      }
      int at = (head + count) % packets.length;
      packets[at] = packet;
      since[at] = now;
      count++;
    }

    long headSince() {
      return since[head];
    }

    Object poll() {
      Object p = packets[head];
      packets[head] = null;
      head = head + 1 == packets.length ? 0 : head + 1;
      count--;
      return p;
    }

    private void grow() {
      int n = packets.length;
      Object[] p = new Object[2 * n];
      long[] s = new long[2 * n];
      for (int i = 0; i < count; i++) {
        p[i] = packets[(head + i) % n];
        s[i] = since[(head + i) % n];
      }
      packets = p;
      since = s;
      head = 0;
    }
  }

  /** Packets this writer wrote as asks of the reader (a dropped one is none). */
  public long asks() {
    return asks;
  }

  /** Packets this writer wrote as answers to the reader's asks (a dropped one is none). */
  public long replies() {
    return replies;
  }

  /**
   * The sequence number the next packet this writer writes gets (packets written and dropped so far):
   * a packet made with it and {@link #channel()}, and written at once, travels as it is, not as a copy.
   */
  public long nextSeq() {
    return packets + faults.dropped;
  }

  /** The channel this writer writes into. */
  public int channel() {
    return spec.id();
  }

  /** Ring slots this writer may fill now: its share, less the packets the reader has not read yet. */
  public int credits() {
    return credits;
  }

  /** The ring slots this writer may fill at most. */
  public int share() {
    return share;
  }

  /** Packets waiting for a slot. */
  public int waiting() {
    return waiting == null ? 0 : waiting.count;
  }

  private void write(SimContext ctx, Object written, long since) {
    long stall = ctx.now() - since;
    stallNs += stall;
    maxStallNs = Math.max(maxStallNs, stall);
    Asked asked = written instanceof Asked a ? a : null;
    IkcPacket packet = asked == null ? (IkcPacket) written : asked.packet();
    // the channel's sequence numbers count every packet written, dropped ones too
    IkcPacket p = packet.on(spec.id(), nextSeq());
    long delay = costs.latency();
    boolean duplicate = false;
    for (int i = 0; i < faults.rules.size(); i++) {
      FaultRule r = faults.rules.get(i);
      if (!r.matches(spec.id(), p.type()) || !fires(ctx, r, i)) {
        continue;
      }
      switch (r.fault()) {
        case DROP -> {
          faults.dropped++;
          return;
        }
        case DELAY -> {
          faults.delayed++;
          delay = VirtualTime.after(delay, r.delay());
        }
        case DUPLICATE -> {
          faults.duplicated++;
          duplicate = true;
        }
        case CLOG -> {
          faults.clogged++;
          long end = VirtualTime.after(r.probability() > 0 ? ctx.now() : r.at(), r.duration());
          delay = Math.max(delay, VirtualTime.after(end - ctx.now(), costs.latency()));
        }
        default -> throw new IllegalStateException(r.fault().toString());
      }
    }
    // FIFO: a delayed or clogged packet holds back the ones behind it (head-of-line)
    long arrival = Math.max(VirtualTime.after(ctx.now(), delay), lastArrival);
    lastArrival = arrival;
    delay = arrival - ctx.now();
    credits--;
    peakInUse = Math.max(peakInUse, share - credits);
    packets++;
    if (asked == null) {
      ctx.sendStreamed(readerEntity, delay, spec.id(), p);
    } else if (asked.answers() == null) {
      asks++;
      ctx.ask(readerEntity, delay, spec.id(), p, asked.timeoutNs());
    } else {
      replies++;
      ctx.reply(asked.answers(), delay, spec.id(), p);
    }
    if (duplicate) {
      ctx.sendStreamed(readerEntity, delay, spec.id(), p);
    }
  }

  private boolean fires(SimContext ctx, FaultRule r, int index) {
    if (r.fault() == FaultRule.Fault.CLOG && r.probability() == 0) {
      return ctx.now() >= r.at() && ctx.now() < VirtualTime.after(r.at(), r.duration());
    }
    if (r.probability() > 0) {
      if (faults.random == null) {
        faults.random = new RandomStreams(faults.seed).stream(faults.selfEntity, "ikc.faults/" + spec.id());
      }
      return faults.random.nextDouble() < r.probability();
    }
    if (faults.fired == null) {
      faults.fired = new boolean[faults.rules.size()];
    }
    if (!faults.fired[index] && ctx.now() >= r.at()) {
      faults.fired[index] = true;
      return true;
    }
    return false;
  }

  /** This writer's share of the channel's statistics (reader-side fields are 0). */
  public ChannelStats stats() {
    return new ChannelStats(packets, packets * IkcPacket.SIZE, stallNs, maxStallNs, peakInUse, 0,
        faults.dropped, faults.delayed, faults.duplicated, faults.clogged, 0, 0);
  }
}
