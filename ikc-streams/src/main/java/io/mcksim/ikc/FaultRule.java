package io.mcksim.ikc;

/**
 * A fault to inject into IKC traffic, at the writer's end of a channel.
 *
 * <p>A rule matches packets by channel id ({@code -1}: any) and type ({@code null}: any). With a
 * positive {@code probability}, each matching packet draws from the writer's random stream for the
 * channel (seeded by the run seed, the writer's entity id and the channel), so runs replay exactly.
 * With probability 0, the rule fires once, on the first matching packet at or after {@code at}.
 *
 * <ul>
 *   <li>{@link Fault#DROP}: the packet is lost before it reaches the ring; its sequence number is
 *       spent, so the reader sees a gap.</li>
 *   <li>{@link Fault#DELAY}: the packet arrives {@code delay} ns late.</li>
 *   <li>{@link Fault#DUPLICATE}: the packet arrives twice; the reader sees the second as a
 *       duplicate and discards it.</li>
 *   <li>{@link Fault#CLOG}: the channel delivers nothing from {@code at} for {@code duration} ns;
 *       what is sent meanwhile arrives when the clog ends. With a positive {@code probability}, each
 *       matching packet may instead start a clog of {@code duration} ns at the time it is written
 *       (the ring is FIFO, so what follows waits behind it).</li>
 * </ul>
 */
public record FaultRule(Fault fault, int channel, PacketType type, double probability, long at,
    long duration, long delay) {

  /** The kinds of IKC faults. */
  public enum Fault { DROP, DELAY, DUPLICATE, CLOG }

  public FaultRule {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("IKC fault " + fault + ": probability must lie in [0, 1], got "
          + probability);
    }
    if (at < 0 || duration < 0 || delay < 0) {
      throw new IllegalArgumentException("IKC fault " + fault + ": times must not be negative");
    }
    if (fault == Fault.CLOG && duration == 0) {
      throw new IllegalArgumentException("IKC fault CLOG needs a duration");
    }
  }

  public static FaultRule withProbability(Fault fault, int channel, PacketType type, double p, long delay) {
    return new FaultRule(fault, channel, type, p, 0, 0, delay);
  }

  public static FaultRule at(Fault fault, int channel, PacketType type, long at, long delay) {
    return new FaultRule(fault, channel, type, 0, at, 0, delay);
  }

  public static FaultRule clog(int channel, long at, long duration) {
    return new FaultRule(Fault.CLOG, channel, null, 0, at, duration, 0);
  }

  boolean matches(int ch, PacketType t) {
    return (channel < 0 || channel == ch) && (type == null || type == t);
  }
}
