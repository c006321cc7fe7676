package io.mcksim.ikc;

/**
 * The IKC message types the two kernels exchange ({@code SCD_MSG_*} in McKernel), with the direction
 * each travels in.
 */
public enum PacketType {
  /** McKernel asks Linux to run a system call (the offload request). */
  SYSCALL_ONESIDE(Direction.TO_LINUX),
  /** Linux wakes a McKernel thread that went to sleep waiting for its offloaded call. */
  WAKE_UP_SYSCALL_THREAD(Direction.TO_MCKERNEL),
  /** Linux asks McKernel to resolve a fault on a user page the proxy touched. */
  REMOTE_PAGE_FAULT(Direction.TO_MCKERNEL),
  REMOTE_PAGE_FAULT_ANSWER(Direction.TO_LINUX),
  /** Linux relays a signal to a McKernel thread. */
  SEND_SIGNAL(Direction.TO_MCKERNEL),
  SEND_SIGNAL_ACK(Direction.TO_LINUX),
  /** Process set-up at mcexec launch. */
  PREPARE_PROCESS(Direction.TO_MCKERNEL),
  PREPARE_PROCESS_ACKED(Direction.TO_LINUX),
  SCHEDULE_PROCESS(Direction.TO_MCKERNEL),
  /** Process tear-down after the proxy exits. */
  CLEANUP_PROCESS(Direction.TO_MCKERNEL),
  CLEANUP_PROCESS_RESP(Direction.TO_LINUX),
  /** /proc and /sys of a McKernel process, served by McKernel. */
  PROCFS_REQUEST(Direction.TO_MCKERNEL),
  PROCFS_ANSWER(Direction.TO_LINUX),
  SYSFS_REQ_SHOW(Direction.TO_MCKERNEL),
  SYSFS_RESP_SHOW(Direction.TO_LINUX),
  /** A status notice from McKernel: panic, hang or out of memory (see {@link Notice}). */
  EVENTFD(Direction.TO_LINUX),
  /**
   * On the master channel: a McKernel CPU asks to connect one of its channels ({@code
   * IHK_IKC_MASTER_MSG_CONNECT}, IHK's {@code ikc/master.c}); {@link IkcPacket#number()} is the port
   * ({@link #PORT_IKC2MCKERNEL} or {@link #PORT_IKC2LINUX}), {@link IkcPacket#cpu()} the CPU.
   */
  CONNECT(Direction.TO_LINUX),
  /** On the master channel: Linux accepted the connection ({@code IHK_IKC_MASTER_MSG_CONNECT_REPLY}). */
  CONNECT_REPLY(Direction.TO_MCKERNEL);

  /** The port of a McKernel CPU's channel from Linux ({@code init_host_ikc2mckernel}, kernel/host.c). */
  public static final int PORT_IKC2MCKERNEL = 501;
  /** The port of a channel to a Linux CPU ({@code init_host_ikc2linux}, kernel/host.c). */
  public static final int PORT_IKC2LINUX = 503;

  /** Which way a packet type travels. */
  public enum Direction { TO_LINUX, TO_MCKERNEL }

  /** What an {@link #EVENTFD} packet announces; carried in {@link IkcPacket#number()}. */
  public enum Notice { PANIC, HANG, OUT_OF_MEMORY }

  private final Direction direction;

  PacketType(Direction direction) {
    this.direction = direction;
  }

  public Direction direction() {
    return direction;
  }
}
