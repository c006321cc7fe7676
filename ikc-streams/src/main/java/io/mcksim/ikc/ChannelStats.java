package io.mcksim.ikc;

/**
 * What one channel did, added up over its endpoints.
 *
 * @param packets      packets written into the ring (duplicates not counted again)
 * @param bytes        {@code packets x} {@link IkcPacket#SIZE}
 * @param stallNs      time writers waited for a free slot, summed over packets
 * @param maxStallNs   the longest single wait
 * @param peakOccupancy most slots in use at once: written and not yet seen freed by the writer
 * @param ipis         interrupts raised on the reader's CPU
 * @param dropped      faults injected, by kind
 * @param delayed      .
 * @param duplicated   .
 * @param clogged      packets held back by a clog
 * @param gaps         packets the reader found missing (sequence gaps)
 * @param duplicates   duplicates the reader found and discarded
 */
public record ChannelStats(long packets, long bytes, long stallNs, long maxStallNs, int peakOccupancy,
    long ipis, long dropped, long delayed, long duplicated, long clogged, long gaps, long duplicates) {

  /** Faults injected, all kinds. */
  public long injected() {
    return dropped + delayed + duplicated + clogged;
  }
}
