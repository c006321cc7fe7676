package io.mcksim.ikc;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.config.IkcCostSettings;

/**
 * The reader's end of an IKC channel, embedded in the entity that reads (mcctrl on its Linux CPU, a
 * McKernel CPU). Each arriving packet raises an interrupt on the reader's CPU ({@link #ipiCost()} for
 * the host to charge), is checked against the channel's sequence, and holds its slot until the host
 * calls {@link #consumed}; then the slot goes back to the writer that filled it.
 *
 * <p>A packet whose sequence number is below the next expected one is a duplicate: counted and
 * discarded at once (it filled no slot). One above it means packets went missing: the gap is counted
 * and the sequence moves on.
 */
public final class IkcReceiver {

  /** What the reader should do with an arriving packet. */
  public enum Verdict { ACCEPT, DUPLICATE }

  private static final int[] NO_WRITERS = {};
  private static final long[] NO_SEQUENCES = {};

  private final ChannelSpec spec;
  private final IkcCostSettings costs;
  /**
   * Next sequence number expected, per writer entity: the first writer's in two fields (most channels
   * have one writer, and a machine has millions of channels), any others in two short arrays whose room
   * doubles as they first write (a reader with one writer or none shares the empty ones).
   */
  private int firstWriter = NONE;
  private long firstExpected;
  private int[] writers = NO_WRITERS;
  private long[] expectedSeq = NO_SEQUENCES;
  /** Writers in the two arrays (their room doubles as they fill). */
  private int others;
  /** No writer yet (no entity has this id, not even one outside the model). */
  private static final int NONE = Integer.MIN_VALUE;
  private int occupancy;
  private int peak;
  private long ipis;
  private long gaps;
  private long duplicates;
  private long accepted;

  public IkcReceiver(ChannelSpec spec, IkcCostSettings costs) {
    this.spec = spec;
    this.costs = costs;
  }

  /**
   * A packet from {@code writer} arrived; a duplicate needs no further handling (and no
   * {@link #consumed} call). Sequence numbers run per writer: a shared ring has one sender endpoint per
   * writing CPU.
   */
  public Verdict onPacket(IkcPacket packet, int writer) {
    ipis++;
    long expected = expectedFrom(writer);
    if (packet.seq() < expected) {
      duplicates++;
      return Verdict.DUPLICATE;
    }
    if (packet.seq() > expected) {
      gaps += packet.seq() - expected;
    }
    expect(writer, packet.seq() + 1);
    accepted++;
    occupancy++;
    peak = Math.max(peak, occupancy);
    return Verdict.ACCEPT;
  }

  private long expectedFrom(int writer) {
    if (writer == firstWriter) {
      return firstExpected;
    }
    for (int i = 0; i < others; i++) {
      if (writers[i] == writer) {
        return expectedSeq[i];
      }
    }
    return 0;
  }

  private void expect(int writer, long seq) {
    if (firstWriter == NONE || writer == firstWriter) {
      firstWriter = writer;
      firstExpected = seq;
      return;
    }
    for (int i = 0; i < others; i++) {
      if (writers[i] == writer) {
        expectedSeq[i] = seq;
        return;
      }
    }
    if (others == writers.length) {
      int room = Math.max(2, 2 * others);
      writers = java.util.Arrays.copyOf(writers, room);
      expectedSeq = java.util.Arrays.copyOf(expectedSeq, room);
    }
    writers[others] = writer;
    expectedSeq[others] = seq;
    others++;
  }

  /** A packet's trip on this channel. */
  public long latency() {
    return costs.latency();
  }

  /** The interrupt cost one arriving packet puts on the reader's CPU. */
  public long ipiCost() {
    return costs.ipi();
  }

  /** The host has handled a packet from {@code writer}: its slot is free again. */
  public void consumed(SimContext ctx, int writer) {
    if (occupancy == 0) {
      throw new IllegalStateException("channel " + spec.name() + ": consumed a packet it does not hold");
    }
    occupancy--;
    ctx.send(writer, costs.credit(), spec.id(), Credit.of(spec.id(), 1));
  }

  public int occupancy() {
    return occupancy;
  }

  /** The reader's share of the channel's statistics (writer-side fields are 0). */
  public ChannelStats stats() {
    return new ChannelStats(0, 0, 0, 0, peak, ipis, 0, 0, 0, 0, gaps, duplicates);
  }

  public long accepted() {
    return accepted;
  }

  public ChannelSpec spec() {
    return spec;
  }

  /** Writer and reader statistics of one channel, combined. */
  public static ChannelStats combine(ChannelStats a, ChannelStats b) {
    return new ChannelStats(a.packets() + b.packets(), a.bytes() + b.bytes(), a.stallNs() + b.stallNs(),
        Math.max(a.maxStallNs(), b.maxStallNs()), Math.max(a.peakOccupancy(), b.peakOccupancy()),
        a.ipis() + b.ipis(), a.dropped() + b.dropped(), a.delayed() + b.delayed(),
        a.duplicated() + b.duplicated(), a.clogged() + b.clogged(), a.gaps() + b.gaps(),
        a.duplicates() + b.duplicates());
  }
}
