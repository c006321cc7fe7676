package io.mcksim.linux;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.config.IkcCostSettings;
import io.mcksim.config.OffloadCosts;
import io.mcksim.ikc.ChannelSpec;
import io.mcksim.ikc.Credit;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.ikc.IkcReceiver;
import io.mcksim.ikc.IkcSender;
import io.mcksim.ikc.Offload;
import io.mcksim.ikc.PacketType;
import io.mcksim.linux.noise.NoiseTimeline;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * {@code mcctrl}, the Linux kernel module on the IKC side of an OS instance: it reads the
 * McKernel-to-Linux channels. Its interrupt handler runs on the channel's Linux CPU and handles one
 * packet at a time: the interrupt ({@code costs.ikc.ipi}), then the dispatch
 * ({@code costs.offload.mcctrl-dispatch}) that finds the process and hands the request to its proxy;
 * the noise of that Linux CPU stretches the handler.
 * A packet that arrives while the handler is busy waits in the ring until the handler reads it; the
 * slot is freed when it is read.
 *
 * <p>For remote page faults it is also the writer of the Linux-to-McKernel channels: a proxy's fault
 * request goes into the ring of the McKernel CPU whose thread the proxy serves, and that CPU's answer
 * comes back through the handler like any packet and wakes the proxy. The wait for the answer ({@code
 * mcctrl_ikc_send_wait} in the driver) is the engine's ask of that CPU ({@link IkcSender#ask}, timeout
 * {@link Offload#FAULT_WAIT_NS}): exactly one of the answer, the timeout or the CPU's death comes, each at
 * its virtual time. A proxy's read of a /proc or /sys file McKernel provides goes the same way
 * (PROCFS_REQUEST, PROCFS_ANSWER), as a plain request and answer.
 *
 * <p>When a proxy dies before its process, the release of its device runs mcctrl's release handler
 * ({@link Offload.Release}, an ask): CLEANUP_PROCESS goes into the ring of the McKernel CPU the process was
 * scheduled on, and the handler waits for CLEANUP_PROCESS_RESP. The clean-up is that one packet, as in
 * the driver: lost, the handler's wait ends by its timeout, and McKernel never learns the proxy is gone.
 */
public final class Mcctrl implements SimEntity {

  /** What a request mcctrl fails returns: invalid (no OS to ask), or an I/O error (the worker's step failed). */
  static final int EINVAL = 22;
  static final int EIO = 5;

  /**
   * A fault: the Linux kernel mcctrl runs in goes down for good (a Linux panic). From then on mcctrl
   * handles nothing: IKC packets from McKernel (offload requests, remote faults) and the proxies' replies
   * are read by nobody, so a McKernel thread waiting for its offloaded call waits forever.
   */
  public record Halt() implements Fingerprinted {
    @Override
    public long fingerprint() {
      return 0x3c417L;
    }
  }

  private record Read(int channel, int writer) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return ((long) channel << 32) ^ writer;
    }
  }

  /** IHK's master packet handler accepted a CPU's connect: the reply goes back once it has run. */
  private record Accept(IkcPacket connect) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return connect.fingerprint();
    }
  }

  private final IkcReceiver[] receivers;
  /**
   * The Linux end of the instance's master channel toward McKernel (read by McKernel CPU 0), or null
   * when this mcctrl is not told of one; and how to make it anew for the next kernel.
   */
  private IkcSender toMaster;
  private java.util.function.Supplier<IkcSender> freshMaster;
  /** Master-channel packets read, by type. */
  private final long[] masterRead = new long[PacketType.values().length];
  /** The noise of each channel's Linux CPU, where the handler runs for its packets. */
  private final NoiseTimeline[] noise;
  /** Writer's ends of the Linux-to-McKernel channels, by McKernel CPU index. */
  private final IkcSender[] toMckernel;
  private final IkcCostSettings ikc;
  private final OffloadCosts offload;
  private final IntUnaryOperator proxyOfPid;
  private final IntUnaryOperator cpuEntityOfIndex;
  /** A proxy thread waiting in a remote fault: its proxy, and the McKernel CPU asked (by index). */
  private record FaultWait(int proxy, int cpu) {}

  /** Proxies waiting for a remote fault, by thread id. */
  private final java.util.Map<Integer, FaultWait> faultWaiters = new java.util.HashMap<>();
  /** Outcomes of the remote faults' asks: answered, the asked CPU died first, timed out. */
  private long faultsAnswered;
  private long faultsTargetDied;
  private long faultsTimedOut;
  /** Asks the writers the shutdown notifier destroyed had made. */
  private long retiredAsks;
  /** Release handlers waiting for McKernel's CLEANUP_PROCESS_RESP, by pid. */
  private final java.util.Map<Integer, io.mcksim.actors.engine.AskRef> releases = new java.util.HashMap<>();
  /**
   * Requests whose worker's step a crashed Linux service failed while it held them
   * ({@link LinuxService.Refused#held}): each still comes, once, and is dropped.
   */
  private final java.util.List<Object> failedSteps = new java.util.ArrayList<>();
  /** Proxies waiting for a /proc or /sys view read, by thread id. */
  private final java.util.Map<Integer, Integer> procfsWaiters = new java.util.HashMap<>();
  /**
   * When the interrupt handler on each Linux CPU that takes IKC interrupts is next free, by channel: the
   * channels whose interrupts go to one Linux CPU (the instance's IKC map) share one handler.
   */
  private final long[] handlerFreeAt;
  /** Per channel, the index of its reader CPU's entry in {@link #handlerFreeAt}. */
  private final int[] handlerOf;
  private long handled;
  private long refusedSteps;
  /** A planted bug, switched on by {@link #plantKeepsCleanupSlot} only. */
  private boolean plantedKeepsCleanupSlot;
  /** Whether Linux has gone down under mcctrl ({@link Halt}). */
  private boolean halted;
  /** Messages that reached mcctrl after Linux went down. */
  private long lost;
  /** WAKE_UP_SYSCALL_THREAD packets sent to McKernel. */
  private long wakeUps;
  private long handlerWaitNs;
  /** The OS instance's entity this mcctrl watches, its watch's latency, and how it remakes a channel. */
  private int instance = -1;
  private long instanceNs;
  private java.util.function.IntFunction<IkcSender> freshSender;
  /** Times the instance died under this mcctrl (its shutdown notifier ran), and the waiters it dropped. */
  private long instanceDeaths;
  private long droppedWaiters;
  /**
   * Whether the channels with McKernel are destroyed (the instance died) and not yet made anew: packets and
   * credits still coming from the dead kernel are read by nobody, and requests to it fail at once.
   */
  private boolean closed;
  /** What reached mcctrl from McKernel, or for it, while its channels were destroyed. */
  private long whileClosed;
  /** IKC packets among them: they reached mcctrl, read by nobody. */
  private long packetsWhileClosed;
  /**
   * The channels the shutdown notifier destroyed, their books kept: packets that had reached their rings,
   * and what their writers had sent.
   */
  private long retiredArrivals;
  private io.mcksim.ikc.ChannelStats retiredSent = new io.mcksim.ikc.ChannelStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  private final long[] notices = new long[PacketType.Notice.values().length];

  /**
   * @param channels         the instance's McKernel-to-Linux channels this mcctrl reads, by id
   * @param proxyOfPid       the proxy entity of a process
   * @param cpuEntityOfIndex the entity of McKernel CPU {@code i}
   * @param noiseOfLinuxCpu  a fresh noise timeline of a Linux CPU, for this mcctrl to own
   */
  public Mcctrl(List<ChannelSpec> channels, List<IkcSender> toMckernel, IkcCostSettings ikc,
      OffloadCosts offload, IntUnaryOperator proxyOfPid, IntUnaryOperator cpuEntityOfIndex,
      java.util.function.IntFunction<NoiseTimeline> noiseOfLinuxCpu) {
    this.toMckernel = toMckernel.toArray(new IkcSender[0]);
    int max = 0;
    for (ChannelSpec c : channels) {
      max = Math.max(max, c.id() + 1);
    }
    this.receivers = new IkcReceiver[max];
    this.noise = new NoiseTimeline[max];
    this.handlerOf = new int[max];
    java.util.Map<Integer, Integer> handlers = new java.util.TreeMap<>();
    for (ChannelSpec c : channels) {
      receivers[c.id()] = new IkcReceiver(c, ikc);
      noise[c.id()] = noiseOfLinuxCpu.apply(c.readerCpu());
      handlerOf[c.id()] = handlers.computeIfAbsent(c.readerCpu(), cpu -> handlers.size());
    }
    this.handlerFreeAt = new long[handlers.size()];
    this.ikc = ikc;
    this.offload = offload;
    this.proxyOfPid = proxyOfPid;
    this.cpuEntityOfIndex = cpuEntityOfIndex;
  }

  /**
   * mcctrl watches OS instance {@code entity} (the engine's deathwatch, {@code latencyNs}); when it dies,
   * mcctrl runs its shutdown notifier, remaking each channel to McKernel CPU {@code i} with
   * {@code freshSender}. Call before the run.
   */
  public Mcctrl withInstance(int entity, long latencyNs, java.util.function.IntFunction<IkcSender> freshSender) {
    this.instance = entity;
    this.instanceNs = latencyNs;
    this.freshSender = freshSender;
    return this;
  }

  /**
   * The instance's master channel: McKernel's CPUs connect their channels over it when they come up
   * ({@link PacketType#CONNECT}); mcctrl, as the listener IHK's master packet handler runs ({@code
   * ihk_ikc_accept} in IHK's {@code ikc/master.c} calls mcctrl's {@code connect_handler_ikc2mckernel} or
   * {@code connect_handler_ikc2linux}, {@code executer/kernel/mcctrl/ikc.c}), accepts and answers
   * {@link PacketType#CONNECT_REPLY} through {@code toMaster}. Its reading end must be one of the
   * channels given to the constructor; {@code fresh} remakes {@code toMaster} for the kernel IHK boots
   * next. Call before the run.
   */
  public Mcctrl withMasterChannel(IkcSender toMaster, java.util.function.Supplier<IkcSender> fresh) {
    this.toMaster = toMaster;
    this.freshMaster = fresh;
    return this;
  }

  /** Master-channel packets of {@code type} mcctrl read (the CPUs' connects). */
  public long masterPacketsRead(PacketType type) {
    return masterRead[type.ordinal()];
  }

  @Override
  public void start(SimContext ctx) {
    if (instance >= 0) {
      ctx.watch(instance, instanceNs);
    }
  }

  /**
   * The instance died (a panic or a hang its supervisor saw). As the driver's shutdown notifier does
   * ({@code mcctrl_os_shutdown_notifier} in {@code executer/kernel/mcctrl/driver.c}, which calls {@code
   * destroy_ikc_channels} in {@code ikc.c}), mcctrl destroys its IKC channels with that kernel and frees
   * the wake-up descriptors of the requests waiting for an answer from it, without waking their waiters:
   * a proxy thread in a remote page fault or a /proc read stays blocked until mcexec is signalled
   * (here, until its process's death ends the proxy). The channels are made anew, with every credit,
   * for the kernel IHK boots next ({@code prepare_ikc_channels} at the boot notifier).
   */
  @Override
  public void onSignal(SimContext ctx, io.mcksim.actors.engine.Signal signal) {
    if (signal instanceof io.mcksim.actors.engine.Signal.AskOutcome outcome) {
      faultAskEnded(ctx, outcome);
      return;
    }
    if (!(signal instanceof io.mcksim.actors.engine.Signal.Terminated t) || t.entity() != instance) {
      return;
    }
    instanceDeaths++;
    droppedWaiters += faultWaiters.size() + procfsWaiters.size();
    faultWaiters.clear();
    procfsWaiters.clear();
    for (int c = 0; c < receivers.length; c++) {
      if (receivers[c] != null) {
        retiredArrivals += receivers[c].stats().ipis();
        receivers[c] = new IkcReceiver(receivers[c].spec(), ikc);
      }
    }
    for (int i = 0; i < toMckernel.length; i++) {
      retiredSent = IkcReceiver.combine(retiredSent, toMckernel[i].stats());
      retiredAsks += toMckernel[i].asks();
      toMckernel[i] = freshSender.apply(i);
    }
    if (toMaster != null) {
      retiredSent = IkcReceiver.combine(retiredSent, toMaster.stats());
      toMaster = freshMaster.get();
    }
    closed = true;
  }

  /**
   * A remote fault's ask of a McKernel CPU ended. The answer is the REMOTE_PAGE_FAULT_ANSWER packet,
   * which the interrupt handler reads like any packet. The asked CPU's death (a panic, or stopped with its
   * instance) tells mcctrl at its virtual time that no answer will come: the wait's descriptor is
   * dropped, and, as in the driver, whose shutdown notifier frees such descriptors without waking their
   * waiters ({@code destroy_ikc_channels} in {@code ikc.c}), the faulting mcexec thread is not woken: it
   * waits in {@code wait_event_interruptible} until mcexec is signalled (here, mcexec's watch of its
   * process ends it by SIGKILL: its calls return -ERESTARTSYS, exit status 137). A timeout changes nothing
   * either ({@link Offload#FAULT_WAIT_NS}: the driver's wait has none).
   */
  private void faultAskEnded(SimContext ctx, io.mcksim.actors.engine.Signal.AskOutcome outcome) {
    if (outcome instanceof io.mcksim.actors.engine.Signal.Answered a && a.payload() instanceof IkcPacket p) {
      faultsAnswered++;
      onEvent(ctx, a.target(), a.data(), p);
    } else if (outcome instanceof io.mcksim.actors.engine.Signal.TargetDied d) {
      faultsTargetDied++;
      faultWaiters.values().removeIf(w -> cpuEntityOfIndex.applyAsInt(w.cpu()) == d.target());
    } else if (outcome instanceof io.mcksim.actors.engine.Signal.TimedOut) {
      faultsTimedOut++;
    } else {
      throw new IllegalArgumentException("mcctrl: an unexpected ask outcome " + outcome);
    }
  }

  /** Remote faults mcctrl asked McKernel CPUs to resolve (each an ask; a request an IKC fault dropped is none). */
  public long faultAsks() {
    long n = retiredAsks;
    for (IkcSender s : toMckernel) {
      n += s.asks();
    }
    return n;
  }

  /** Outcomes of those asks: answered, the asked CPU died first, timed out (one per ask). */
  public long faultsAnswered() {
    return faultsAnswered;
  }

  public long faultsTargetDied() {
    return faultsTargetDied;
  }

  public long faultsTimedOut() {
    return faultsTimedOut;
  }

  /** Proxy threads still waiting in a remote fault (whose wait's descriptor is still held). */
  public int faultWaiters() {
    return faultWaiters.size();
  }

  /**
   * While the channels are destroyed: whatever comes from the dead kernel is dropped; a proxy's remote
   * fault or /proc read fails at once, as {@code mcctrl_ikc_send_wait} does without the OS's data
   * ({@code -EINVAL}; the fault handler {@code rus_vm_fault} in {@code syscall.c} then gives the
   * faulting mcexec thread SIGBUS); anything else for McKernel is dropped. The kernel IHK boots next
   * uses the new channels from its first connect over the master channel (or, where the node has none,
   * from the next launch, mcexec on that kernel), and mcctrl watches that kernel: the engine's restart is
   * a new incarnation, which a watch of the old one does not cover.
   */
  private boolean whileClosed(SimContext ctx, Object payload) {
    if (payload instanceof Offload.Launch
        || payload instanceof IkcPacket p && p.type() == PacketType.CONNECT) {
      // the kernel IHK booted next is a new incarnation of the instance (a restart in place): watch it,
      // so that its own failure runs the notifier again
      closed = false;
      ctx.watch(instance, instanceNs);
      return false;
    }
    whileClosed++;
    if (payload instanceof IkcPacket) {
      packetsWhileClosed++;
    }
    if (payload instanceof Offload.FaultRequest || payload instanceof Offload.ProcfsRequest) {
      fail(ctx, payload, EINVAL);
    }
    return true;
  }

  /**
   * A proxy's remote fault or /proc read fails with {@code errno}: the fault handler gives the faulting
   * mcexec thread SIGBUS ({@code VM_FAULT_SIGBUS}, which the proxy's call ends with); the read returns
   * {@code -errno}.
   */
  private void fail(SimContext ctx, Object request, int errno) {
    if (request instanceof Offload.FaultRequest f) {
      ctx.send(f.proxy(), ikc.ipi(), 0, new Offload.FaultResolved(f.tid(), f.address(), false));
    } else if (request instanceof Offload.ProcfsRequest q) {
      ctx.send(q.proxy(), ikc.ipi(), 0, new Offload.ProcfsAnswered(q.tid(), -errno));
    } else {
      throw new IllegalArgumentException("mcctrl cannot fail " + request);
    }
  }

  /**
   * The Linux service refused the worker's step that carries a proxy's request into mcctrl (it was down,
   * or it crashed while it held the step): the request never reaches McKernel, and mcctrl's ioctl
   * returns the I/O error to the worker, so the fault or read fails as above with {@code -EIO}. A held
   * step's request still comes later and is dropped.
   */
  private void refused(SimContext ctx, LinuxService.Refused r) {
    if (r.held()) {
      failedSteps.add(r.then());
    }
    refusedSteps++;
    fail(ctx, r.then(), EIO);
  }

  /**
   * Plants a bug (chaos tests only): the interrupt handler reads McKernel's CLEANUP_PROCESS_RESP but never
   * frees its slot in the ring, so the McKernel CPU that wrote it never gets that credit back.
   */
  public Mcctrl plantKeepsCleanupSlot() {
    this.plantedKeepsCleanupSlot = true;
    return this;
  }

  /** Proxies' steps into mcctrl the Linux service refused. */
  public long refusedSteps() {
    return refusedSteps;
  }

  /** Packets, credits and requests that reached mcctrl while its channels with McKernel were destroyed. */
  public long whileClosed() {
    return whileClosed;
  }

  /** Times the watched instance died under this mcctrl. */
  public long instanceDeaths() {
    return instanceDeaths;
  }

  /** Requests waiting for McKernel's answer whose descriptors the shutdown notifier freed. */
  public long droppedWaiters() {
    return droppedWaiters;
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (halted) {
      lost++;
      return;
    }
    if (payload instanceof Halt) {
      halted = true;
      return;
    }
    if (payload instanceof LinuxService.Refused r) {
      refused(ctx, r);
      return;
    }
    if (failedSteps.remove(payload)) {
      return; // a step the crashed service failed: its request was failed already
    }
    if (closed && whileClosed(ctx, payload)) {
      return;
    }
    if (payload instanceof IkcPacket p) {
      IkcReceiver receiver = receivers[p.channel()];
      if (receiver.onPacket(p, source) == IkcReceiver.Verdict.DUPLICATE) {
        return;
      }
      int h = handlerOf[p.channel()];
      long start = Math.max(ctx.now(), handlerFreeAt[h]);
      handlerWaitNs += start - ctx.now();
      handlerFreeAt[h] = noise[p.channel()].finish(start, ikc.ipi() + offload.mcctrlDispatch());
      handled++;
      if (plantedKeepsCleanupSlot && p.type() == PacketType.CLEANUP_PROCESS_RESP) {
        // the planted bug: the handler never frees this packet's slot in the ring
      } else if (start == ctx.now()) {
        receiver.consumed(ctx, source);
      } else {
        ctx.send(ctx.self(), start - ctx.now(), 0, new Read(p.channel(), source));
      }
      long handOver = handlerFreeAt[h] - ctx.now();
      if (p.type() == PacketType.SYSCALL_ONESIDE) {
        ctx.send(proxyOfPid.applyAsInt(p.pid()), handOver, 0,
            new Offload.Dispatch(p, cpuEntityOfIndex.applyAsInt(p.cpu())));
      } else if (p.type() == PacketType.EVENTFD) {
        notices[p.number()]++; // ihklib's eventfd: panic, hang or out of memory
      } else if (p.type() == PacketType.SEND_SIGNAL_ACK) {
        ctx.send(proxyOfPid.applyAsInt(p.pid()), handOver, 0, new Offload.SignalAcked(p.number()));
      } else if (p.type() == PacketType.CLEANUP_PROCESS_RESP) {
        io.mcksim.actors.engine.AskRef release = releases.remove(p.pid());
        if (release != null) {
          ctx.reply(release, handOver, 0, new Offload.Released(p.pid()));
        }
      } else if (p.type() == PacketType.PREPARE_PROCESS_ACKED) {
        ctx.send(proxyOfPid.applyAsInt(p.pid()), handOver, 0, new Offload.Prepared(p.pid()));
      } else if (p.type() == PacketType.REMOTE_PAGE_FAULT_ANSWER) {
        FaultWait waiter = faultWaiters.remove(p.tid());
        if (waiter == null) {
          throw new IllegalStateException("mcctrl: a fault answer for thread " + p.tid()
              + ", which no proxy waits for");
        }
        ctx.send(waiter.proxy(), handOver, 0, new Offload.FaultResolved(p.tid(), p.arg(), p.ret() == 0));
      } else if (p.type() == PacketType.CONNECT) {
        masterRead[p.type().ordinal()]++;
        ctx.send(ctx.self(), handOver, 0, new Accept(p));
      } else if (p.type() == PacketType.PROCFS_ANSWER) {
        Integer proxy = procfsWaiters.remove(p.tid());
        if (proxy == null) {
          throw new IllegalStateException("mcctrl: a procfs answer for thread " + p.tid()
              + ", which no proxy waits for");
        }
        ctx.send(proxy, handOver, 0, new Offload.ProcfsAnswered(p.tid(), p.ret()));
      } else {
        throw new IllegalArgumentException("mcctrl does not handle " + p.type() + " packets yet");
      }
    } else if (payload instanceof Read r) {
      receivers[r.channel()].consumed(ctx, r.writer());
    } else if (payload instanceof Offload.FaultRequest f) {
      // the proxy's fault, already in mcctrl: write the request into the thread's CPU's ring and wait
      // for the answer (mcctrl_ikc_send_wait): an ask of that CPU
      faultWaiters.put(f.tid(), new FaultWait(f.proxy(), f.cpu()));
      toMckernel[f.cpu()].ask(ctx, new IkcPacket(PacketType.REMOTE_PAGE_FAULT, -1, -1, f.pid(),
          f.tid(), f.cpu(), 0, f.address(), 0, 0), Offload.FAULT_WAIT_NS);
    } else if (payload instanceof Offload.ProcfsRequest q) {
      // mcctrl's read callback of a view file: PROCFS_REQUEST into the reader's CPU's ring
      procfsWaiters.put(q.tid(), q.proxy());
      toMckernel[q.cpu()].send(ctx, new IkcPacket(PacketType.PROCFS_REQUEST, -1, -1, q.pid(), q.tid(),
          q.cpu(), q.file(), q.offset(), q.size(), 0));
    } else if (payload instanceof Offload.WakeUp w) {
      toMckernel[w.cpu()].send(ctx, new IkcPacket(PacketType.WAKE_UP_SYSCALL_THREAD, -1, -1, w.pid(),
          w.tid(), w.cpu(), 0, 0, 0, 0));
      wakeUps++;
    } else if (payload instanceof Offload.Launch l) {
      int first = l.cpus().get(0);
      toMckernel[first].send(ctx, new IkcPacket(PacketType.PREPARE_PROCESS, -1, -1, l.pid(), l.pid(),
          first, l.cpus().size(), 0, 0, 0));
    } else if (payload instanceof Offload.RelaySignal r) {
      toMckernel[r.cpu()].send(ctx, new IkcPacket(PacketType.SEND_SIGNAL, -1, -1, r.pid(), r.pid(),
          r.cpu(), r.signal(), 0, 0, 0));
    } else if (payload instanceof Offload.Release r) {
      // the dead proxy's device is released: the release handler has McKernel clean the process up
      if (ctx.currentAsk() == null) {
        throw new IllegalArgumentException("mcctrl: a release of pid " + r.pid() + " must come as an ask");
      }
      releases.put(r.pid(), ctx.currentAsk());
      toMckernel[r.cpu()].send(ctx, new IkcPacket(PacketType.CLEANUP_PROCESS, -1, -1, r.pid(), r.pid(),
          r.cpu(), 0, 0, 0, 0));
    } else if (payload instanceof Offload.Schedule sc) {
      for (int cpu : sc.cpus()) {
        toMckernel[cpu].send(ctx, new IkcPacket(PacketType.SCHEDULE_PROCESS, -1, -1, sc.pid(), sc.pid(),
            cpu, 0, sc.start(), 0, 0));
      }
    } else if (payload instanceof Accept a) {
      IkcPacket c = a.connect();
      toMaster.send(ctx, new IkcPacket(PacketType.CONNECT_REPLY, -1, -1, 0, 0, c.cpu(), c.number(), 0, 0, 0));
    } else if (payload instanceof Credit c) {
      if (toMaster != null && c.channel() == toMaster.channel()) {
        toMaster.onCredit(ctx, c);
        return;
      }
      for (IkcSender sender : toMckernel) {
        if (sender.channel() == c.channel()) {
          sender.onCredit(ctx, c);
          return;
        }
      }
      throw new IllegalStateException("mcctrl: a credit for channel " + c.channel()
          + ", which it does not write");
    } else {
      throw new IllegalArgumentException("mcctrl got an unknown message " + payload);
    }
  }

  /** Status notices McKernel raised (panic, hang, out of memory), as Linux saw them. */
  public long notices(PacketType.Notice notice) {
    return notices[notice.ordinal()];
  }

  /** Packets handled so far. */
  /** WAKE_UP_SYSCALL_THREAD packets sent to McKernel CPUs for requesters that slept. */
  public long wakeUps() {
    return wakeUps;
  }

  public long handled() {
    return handled;
  }

  /** Time packets waited in the ring for the busy interrupt handler, summed. */
  public long handlerWaitNs() {
    return handlerWaitNs;
  }

  public IkcReceiver receiver(int channel) {
    return receivers[channel];
  }

  /**
   * IKC packets that reached this mcctrl's rings (duplicates included), those the shutdown notifier
   * destroyed and those that came while they were destroyed included.
   */
  public long ikcArrivals() {
    long n = retiredArrivals + packetsWhileClosed;
    for (IkcReceiver r : receivers) {
      n += r == null ? 0 : r.stats().ipis();
    }
    return n;
  }

  /** What the writers of the Linux-to-McKernel channels the shutdown notifier destroyed had sent, together. */
  public io.mcksim.ikc.ChannelStats retiredSent() {
    return retiredSent;
  }

  /** The writer's ends of the Linux-to-McKernel channels, by McKernel CPU index (read only). */
  public List<IkcSender> senders() {
    if (toMaster == null) {
      return List.of(toMckernel);
    }
    List<IkcSender> all = new java.util.ArrayList<>(List.of(toMckernel));
    all.add(toMaster);
    return all;
  }

  /** Whether Linux has gone down under mcctrl ({@link Halt}). */
  public boolean halted() {
    return halted;
  }

  /** Messages that reached mcctrl after Linux went down: nobody read them. */
  public long lost() {
    return lost;
  }
}
