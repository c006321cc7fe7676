package io.mcksim.mckernel;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.config.LifecycleCosts;
import io.mcksim.ihk.Lwk;
import io.mcksim.ikc.Credit;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.ikc.IkcReceiver;
import io.mcksim.ikc.IkcSender;
import io.mcksim.ikc.PacketType;
import java.util.function.IntUnaryOperator;

/**
 * One McKernel CPU as IHK brings it up and stops it ({@link Lwk}): the CPU an OS instance boots is this
 * McKernel CPU, not a copy of it. Bringing it up ({@link Lwk.BringUp}) takes {@code boot-per-cpu} and
 * answers {@link Lwk.Online} (or {@link Lwk.Failed} at an injected fault), and a CPU IHK had stopped runs
 * again; stopping it ({@link Lwk.Stop}, the instance's shutdown) takes {@code shutdown-per-cpu}, halts it
 * ({@link CpuHealth}) and answers {@link Lwk.Stopped}. Lifecycle messages are handled whatever the CPU's
 * state: a panicked or hung CPU is still stopped by the shutdown that follows.
 *
 * <p>On a node with mcctrl ({@link McKernelCpu#withMasterChannel}) a CPU coming up connects its IKC
 * channels over the instance's master channel, as McKernel's {@code init_host_ikc2mckernel} and {@code
 * init_host_ikc2linux} do ({@code kernel/host.c}, called from {@code post_init} on the boot CPU and
 * {@code ap_wait} on the others): a {@link PacketType#CONNECT} for its channel from Linux (port 501),
 * then, if it is the first CPU mapped to its Linux CPU, one for the channel to that Linux CPU (port
 * 503), each waiting for Linux's {@link PacketType#CONNECT_REPLY}. The replies are read by the master
 * channel's McKernel end, CPU 0, which wakes the waiting CPU ({@code ihk_ikc_master_reply_handler} in
 * IHK's {@code ikc/master.c}: the waiter polls its status word). The CPU is online once connected, and
 * not before {@code boot-per-cpu} has passed: that calibrated cost includes the connects, so a boot
 * whose handshakes take less (every boot without IKC faults) takes exactly as long as before.
 */
final class CpuLifecycle {

  /** CPU 0 saw the reply to this CPU's connect to {@code port}. */
  record Connected(int port) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return port;
    }
  }

  private final McKernelCpu cpu;
  /** The scenario's lifecycle costs, or null: the CPU is not on a node that IHK boots. */
  LifecycleCosts costs;
  /** The physical CPU this McKernel CPU runs on. */
  int physical = -1;
  /** Its end of the master channel toward Linux, or null: the node has no mcctrl to connect to. */
  IkcSender toMaster;
  /** CPU 0 only: the master channel's McKernel end, where Linux's replies arrive. */
  IkcReceiver fromMaster;
  /** Whether this CPU connects the channel to its Linux CPU (the first CPU mapped to it does). */
  boolean connectsToLinux;
  IntUnaryOperator cpuEntityOfIndex;
  /** The bring-up waiting for its connects, and when it began; null when none. */
  private Lwk.BringUp pending;
  private long pendingSince;
  /** Master-channel packets this CPU read, by type. */
  private long[] masterRead;

  /** What this CPU wrote on the master channel (its connects), or null when it has no end there. */
  io.mcksim.ikc.ChannelStats masterSent() {
    return toMaster == null ? null : toMaster.stats();
  }

  /** Master-channel packets that reached this CPU (CPU 0: Linux's connect replies), duplicates included. */
  long masterArrivals() {
    return fromMaster == null ? 0 : fromMaster.stats().ipis();
  }

  CpuLifecycle(McKernelCpu cpu) {
    this.cpu = cpu;
  }

  /** Whether {@code payload} is a lifecycle message: one {@link #handles} takes. */
  static boolean takes(Object payload) {
    return payload instanceof Lwk.BringUp || payload instanceof Connected || payload instanceof Lwk.Stop;
  }

  /** Whether {@code payload} was a lifecycle message, now handled. */
  boolean handles(SimContext ctx, Object payload) {
    if (payload instanceof Lwk.BringUp b) {
      if (b.fail()) {
        ctx.send(b.replyTo(), Lwk.bringUpTime(costs()), 0,
            new Lwk.Failed(b.generation(), physical, b.index(), Lwk.INJECTED_FAILURE));
      } else if (toMaster != null) {
        cpu.health.bringUp();
        pending = b;
        pendingSince = ctx.now();
        connect(ctx, PacketType.PORT_IKC2MCKERNEL);
      } else {
        cpu.health.bringUp();
        online(ctx, b, Lwk.bringUpTime(costs()));
      }
      return true;
    }
    if (payload instanceof Connected c) {
      if (c.port() == PacketType.PORT_IKC2MCKERNEL && connectsToLinux) {
        connect(ctx, PacketType.PORT_IKC2LINUX);
      } else if (pending != null) {
        long up = pendingSince + Lwk.bringUpTime(costs());
        online(ctx, pending, Math.max(costs().message(), up - ctx.now()));
        pending = null;
      }
      return true;
    }
    if (payload instanceof Lwk.Stop s) {
      pending = null;
      cpu.health.halt();
      ctx.send(s.replyTo(), Lwk.stopTime(costs()), 0, new Lwk.Stopped(s.generation(), physical));
      return true;
    }
    return false;
  }

  private void online(SimContext ctx, Lwk.BringUp b, long delay) {
    ctx.send(b.replyTo(), delay, 0, new Lwk.Online(b.generation(), physical, b.index()));
  }

  private void connect(SimContext ctx, int port) {
    toMaster.send(ctx, IkcPacket.of(PacketType.CONNECT, 0, 0, cpu.index, port, 0));
  }

  /** Whether {@code p} travelled on the master channel, and is now handled (CPU 0 reads it). */
  boolean onMasterPacket(SimContext ctx, int source, IkcPacket p) {
    if (fromMaster == null || p.channel() != fromMaster.spec().id()) {
      return false;
    }
    if (fromMaster.onPacket(p, source) == IkcReceiver.Verdict.DUPLICATE) {
      return true;
    }
    if (masterRead == null) {
      masterRead = new long[PacketType.values().length]; // only CPU 0 reads the master channel
    }
    masterRead[p.type().ordinal()]++;
    fromMaster.consumed(ctx, source);
    if (p.type() != PacketType.CONNECT_REPLY) {
      throw new IllegalArgumentException("McKernel's master channel handler does not take " + p.type());
    }
    // the handler marks the waiter's status word, which the waiting CPU polls
    long wake = fromMaster.ipiCost() + (p.cpu() == cpu.index ? 0 : cpu.hop);
    ctx.send(p.cpu() == cpu.index ? ctx.self() : cpuEntityOfIndex.applyAsInt(p.cpu()), Math.max(1, wake), 0,
        new Connected(p.number()));
    return true;
  }

  /** Whether {@code credit} is for this CPU's end of the master channel, and is now taken. */
  boolean onMasterCredit(SimContext ctx, Credit credit) {
    if (toMaster == null || credit.channel() != toMaster.channel()) {
      return false;
    }
    toMaster.onCredit(ctx, credit);
    return true;
  }

  /** Master-channel packets of {@code type} this CPU read (CPU 0 reads them all). */
  long masterRead(PacketType type) {
    return masterRead == null ? 0 : masterRead[type.ordinal()];
  }

  private LifecycleCosts costs() {
    if (costs == null) {
      throw new IllegalStateException("McKernel CPU " + cpu.index + " is on a node IHK does not boot");
    }
    return costs;
  }
}
