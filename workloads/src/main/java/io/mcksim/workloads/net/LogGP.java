package io.mcksim.workloads.net;

/**
 * One link class of a LogGP network: a message of {@code m} bytes takes {@link #overheadNs} of its
 * sender's CPU, then {@link #transitNs(long)} on the wire, then {@link #overheadNs} of its receiver's
 * CPU; one CPU starts two sends at least {@link #gapNs} apart.
 *
 * @param latencyNs  L
 * @param overheadNs o, paid by the sender and again by the receiver
 * @param gapNs      g
 * @param perByteNs  G, per byte after the first
 */
public record LogGP(long latencyNs, long overheadNs, long gapNs, double perByteNs) {

  public LogGP {
    if (latencyNs < 1 || overheadNs < 0 || gapNs < 0 || !(perByteNs >= 0)) {
      throw new IllegalArgumentException("LogGP needs L >= 1ns and o, g, G >= 0; got L=" + latencyNs
          + "ns, o=" + overheadNs + "ns, g=" + gapNs + "ns, G=" + perByteNs + "ns/B");
    }
  }

  /** From the end of the send overhead to the arrival: L + (m - 1) G, rounded to the ns. */
  public long transitNs(long bytes) {
    return latencyNs + Math.round(Math.max(0, bytes - 1) * perByteNs);
  }

  /** One message on idle CPUs, from the start of its send to the end of its receive: 2o + L + (m-1)G. */
  public long pointToPointNs(long bytes) {
    return 2 * overheadNs + transitNs(bytes);
  }

  /**
   * A round in which every rank sends one message and then receives one: the point-to-point time,
   * unless the gap between a CPU's sends is longer.
   */
  public long roundNs(long bytes) {
    return Math.max(gapNs, pointToPointNs(bytes));
  }
}
