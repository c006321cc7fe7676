package io.mcksim.ikc;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.serialization.SimMessage;

/**
 * One IKC packet, as McKernel's {@code ikc_scd_packet}: a fixed-size slot of a channel's ring, whatever
 * it carries. The fields hold what the kernels need for each {@link PacketType}; unused ones are 0.
 *
 * @param type    the message type
 * @param channel the channel it travels on (see {@link IkcTopology})
 * @param seq     the channel's sequence number, from 0; set by the sender's endpoint
 * @param pid     the process it concerns
 * @param tid     the thread it concerns
 * @param cpu     the McKernel CPU it concerns
 * @param number  the syscall number, signal number or {@link PacketType.Notice} ordinal
 * @param arg     first argument (a syscall argument, a faulting address, ...)
 * @param arg2    second argument (a size, a fault reason, ...)
 * @param ret     a result (a syscall's return value, an error number as a negative value)
 * @param fd      the file descriptor of an offloaded descriptor call (read, close, ...), else -1
 * @param sleeps  a SYSCALL_ONESIDE request whose thread sleeps instead of spinning (its status word in
 *                the request's shared memory): mcctrl wakes it with WAKE_UP_SYSCALL_THREAD once the
 *                result is written
 */
public record IkcPacket(PacketType type, int channel, long seq, int pid, int tid, int cpu, int number,
    long arg, long arg2, long ret, int fd, boolean sleeps) implements Fingerprinted, SimMessage {

  /** A packet whose requester (if any) spins. */
  public IkcPacket(PacketType type, int channel, long seq, int pid, int tid, int cpu, int number,
      long arg, long arg2, long ret, int fd) {
    this(type, channel, seq, pid, tid, cpu, number, arg, arg2, ret, fd, false);
  }

  /** A packet that names no file descriptor. */
  public IkcPacket(PacketType type, int channel, long seq, int pid, int tid, int cpu, int number,
      long arg, long arg2, long ret) {
    this(type, channel, seq, pid, tid, cpu, number, arg, arg2, ret, -1);
  }

  /** What one packet occupies in a ring, in bytes. */
  public static final int SIZE = 128;

  /** A packet of {@code type} with only the request fields set; the endpoint sets channel and seq. */
  public static IkcPacket of(PacketType type, int pid, int tid, int cpu, int number, long arg) {
    return new IkcPacket(type, -1, -1, pid, tid, cpu, number, arg, 0, 0);
  }

  /**
   * This packet on {@code channel} with sequence number {@code seq}: itself when it says so already (a
   * writer that stamps its packets up front, {@link IkcSender#nextSeq}, saves the copy).
   */
  IkcPacket on(int channel, long seq) {
    if (channel == this.channel && seq == this.seq) {
      return this;
    }
    return new IkcPacket(type, channel, seq, pid, tid, cpu, number, arg, arg2, ret, fd, sleeps);
  }

  private static long mix(long h, long x) {
    return h * 0x100000001B3L ^ x;
  }

  @Override
  public long fingerprint() {
    long h = type.ordinal();
    h = mix(h, channel);
    h = mix(h, seq);
    h = mix(h, pid);
    h = mix(h, tid);
    h = mix(h, cpu);
    h = mix(h, number);
    h = mix(h, arg);
    h = mix(h, arg2);
    h = mix(h, ret);
    h = fd == -1 ? h : h * 0x100000001B3L ^ fd;
    return sleeps ? h * 0x100000001B3L ^ 0x5EE9 : h;
  }
}
