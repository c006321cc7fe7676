package io.mcksim.mckernel;

import io.mcksim.actors.engine.AskRef;
import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.ikc.IkcReceiver;
import io.mcksim.ikc.PacketType;
import io.mcksim.workloads.Signals;

/**
 * The packets Linux sends one McKernel CPU, each through its interrupt handler here: the interrupt,
 * then the handler's work (preparing a process, {@code costs.launch.prepare}; rendering a /proc or
 * /sys file, as a local read; resolving a remote page fault, {@code costs.remote-fault.resolve}, half
 * on the way there, half on the way back), which a computation running here loses
 * ({@link CpuClock#interrupt}). What the handler does takes effect when it is done; answers go into
 * this CPU's ring to Linux.
 *
 * <ul>
 *   <li>PREPARE_PROCESS: McKernel creates the process and acknowledges (PREPARE_PROCESS_ACKED);
 *   <li>SCHEDULE_PROCESS: the process's threads on this CPU may run;
 *   <li>SEND_SIGNAL: the process's action for the signal applies (its handler, ignore, or the default
 *       action of {@link Signals}); acknowledged (SEND_SIGNAL_ACK);
 *   <li>CLEANUP_PROCESS: the process's proxy is gone and mcctrl released its device: McKernel answers
 *       (CLEANUP_PROCESS_RESP), then destroys the process if it still lives ({@code terminate_host}:
 *       SIGKILL to every thread);
 *   <li>PROCFS_REQUEST: mcctrl's read callback for a /proc or /sys view file: the process renders it
 *       (PROCFS_ANSWER);
 *   <li>REMOTE_PAGE_FAULT: the proxy touched memory of the process it has not mapped: the process
 *       resolves it (REMOTE_PAGE_FAULT_ANSWER). mcctrl's wait for it is an ask of this CPU (the engine's
 *       ask, {@link io.mcksim.ikc.IkcSender#ask}): the answer is written as the ask's reply, so that if
 *       this CPU dies first, mcctrl learns of the death at its virtual time.
 * </ul>
 */
final class IkcInterrupts {

  /** McKernel has created the process: acknowledge to mcctrl. */
  record Prepared(int pid) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return pid;
    }
  }

  /** The process's threads on this CPU may run, from their program's step {@code start} (mcexec's argument). */
  record Scheduled(int pid, int start) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return ~pid ^ (long) start << 32;
    }
  }

  /** A relayed signal, after the interrupt that brought it. */
  record Deliver(int pid, int signal) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return ((long) pid << 32) ^ signal;
    }
  }

  /** A CLEANUP_PROCESS, after the interrupt that brought it. */
  record Cleanup(int pid) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return ~((long) pid << 24);
    }
  }

  private final McKernelCpu cpu;
  private final IkcReceiver fromLinux;
  /** mcctrl's asks this CPU is resolving a remote fault for, by the faulting thread (one fault each). */
  private java.util.Map<Integer, AskRef> faultAsks;

  IkcInterrupts(McKernelCpu cpu, IkcReceiver fromLinux) {
    this.cpu = cpu;
    this.fromLinux = fromLinux;
  }

  /** Packets that reached this CPU's ring from Linux, duplicates included. */
  long arrivals() {
    return fromLinux.stats().ipis();
  }

  /** mcctrl's remote-fault asks this CPU holds, not yet answered. */
  int faultAsksOpen() {
    return faultAsks == null ? 0 : faultAsks.size();
  }

  /** The interrupt a packet from Linux raises here. */
  long ipiCost() {
    return fromLinux.ipiCost();
  }

  /** A packet from Linux, written by entity {@code source}: its interrupt handler runs. */
  void onPacket(SimContext ctx, int source, IkcPacket p) {
    if (fromLinux.onPacket(p, source) == IkcReceiver.Verdict.DUPLICATE) {
      return;
    }
    cpu.counters.packets++;
    fromLinux.consumed(ctx, source);
    long ipi = fromLinux.ipiCost();
    switch (p.type()) {
      case PREPARE_PROCESS -> handle(ctx, ipi + cpu.launch.prepare(), new Prepared(p.pid()));
      case SCHEDULE_PROCESS -> handle(ctx, ipi, new Scheduled(p.pid(), (int) p.arg()));
      case SEND_SIGNAL -> handle(ctx, ipi, new Deliver(p.pid(), p.number()));
      case CLEANUP_PROCESS -> handle(ctx, ipi, new Cleanup(p.pid()));
      case WAKE_UP_SYSCALL_THREAD -> handle(ctx, ipi, new OffloadClient.Woken(p.tid()));
      case PROCFS_REQUEST -> {
        long read = cpu.syscalls.local("read");
        cpu.clock.interrupt(ctx, ipi + read);
        cpu.toProcess(ctx, p.pid(), ipi, new McProcess.Render(p, read));
      }
      case REMOTE_PAGE_FAULT -> {
        AskRef ask = ctx.currentAsk();
        if (ask != null) {
          if (faultAsks == null) {
            faultAsks = new java.util.HashMap<>();
          }
          faultAsks.put(p.tid(), ask);
        }
        long resolve = cpu.faults.resolve();
        cpu.clock.interrupt(ctx, ipi + resolve);
        long there = resolve / 2;
        cpu.toProcess(ctx, p.pid(), ipi + there, new McProcess.Resolve(p, resolve - there));
      }
      default -> throw new IllegalArgumentException("McKernel CPU " + cpu.index + " does not handle "
          + p.type() + " packets yet");
    }
  }

  /** A handler that takes {@code cost} here, then does {@code done} on this CPU. */
  private void handle(SimContext ctx, long cost, Object done) {
    cpu.clock.interrupt(ctx, cost);
    ctx.send(ctx.self(), cost, 0, done);
  }

  void onPrepared(SimContext ctx, Prepared p) {
    cpu.toLinux.send(ctx, new IkcPacket(PacketType.PREPARE_PROCESS_ACKED, -1, -1, p.pid(), p.pid(),
        cpu.index, 0, 0, 0, 0));
  }

  void onDeliver(SimContext ctx, Deliver d) {
    // the process's action for the signal applies: its handler, ignored, or the default action
    cpu.toProcess(ctx, d.pid(), new McProcess.Signal(d.pid(), 0, d.signal(), -1, 0));
    cpu.toLinux.send(ctx, new IkcPacket(PacketType.SEND_SIGNAL_ACK, -1, -1, d.pid(), d.pid(), cpu.index,
        d.signal(), 0, 0, 0));
  }

  /** The release's clean-up: answered first, then the process, if it still lives, is destroyed. */
  void onCleanup(SimContext ctx, Cleanup c) {
    cpu.toLinux.send(ctx, new IkcPacket(PacketType.CLEANUP_PROCESS_RESP, -1, -1, c.pid(), c.pid(), cpu.index,
        0, 0, 0, 0));
    cpu.toProcess(ctx, c.pid(), new McProcess.HostGone());
  }

  /** The process rendered the /proc or /sys file: the answer goes to Linux. */
  void onRendered(SimContext ctx, McProcess.Rendered r) {
    IkcPacket q = r.request();
    cpu.counters.procfsAnswer();
    cpu.toLinux.send(ctx, new IkcPacket(PacketType.PROCFS_ANSWER, -1, -1, q.pid(), q.tid(), cpu.index,
        q.number(), q.arg(), q.arg2(), r.bytes()));
  }

  /** The process resolved the remote page fault (or found no area: -EFAULT): the answer goes to Linux. */
  void onResolved(SimContext ctx, McProcess.Resolved r) {
    IkcPacket q = r.request();
    IkcPacket answer = new IkcPacket(PacketType.REMOTE_PAGE_FAULT_ANSWER, -1, -1, q.pid(), q.tid(),
        cpu.index, 0, q.arg(), 0, r.ok() ? 0 : -14);
    AskRef ask = faultAsks == null ? null : faultAsks.remove(q.tid());
    if (ask != null) {
      cpu.toLinux.reply(ctx, ask, answer);
    } else {
      cpu.toLinux.send(ctx, answer);
    }
  }
}
