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
public final class IkcReceiver extends WriterSequences {

  /** What the reader should do with an arriving packet. */
  public enum Verdict { ACCEPT, DUPLICATE }

  private final ChannelSpec spec;
  private final IkcCostSettings costs;
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
    // the next number expected from the writer (0 from a new one)
    int slot = slot(writer, 0);
    long expected = sequence(slot);
    if (packet.seq() < expected) {
      duplicates++;
      return Verdict.DUPLICATE;
    }
    if (packet.seq() > expected) {
      gaps += packet.seq() - expected;
    }
    setSequence(slot, packet.seq() + 1);
    accepted++;
    occupancy++;
    peak = Math.max(peak, occupancy);
    return Verdict.ACCEPT;
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
