package io.mcksim.mckernel;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.config.LaunchCosts;
import io.mcksim.config.McKernelCosts;
import io.mcksim.config.OffloadCosts;
import io.mcksim.config.RemoteFaultCosts;
import io.mcksim.config.SyscallCosts;
import io.mcksim.ikc.Credit;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.ikc.IkcReceiver;
import io.mcksim.ikc.IkcSender;
import io.mcksim.ikc.Offload;
import io.mcksim.workloads.LatencyLog;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.ProcView;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.ProgramCursor;
import io.mcksim.workloads.net.RankMember;
import io.mcksim.workloads.net.RankSync;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * One McKernel CPU: it runs the threads on its run queue one at a time, cooperatively and without a
 * tick: a thread runs until it exits, yields, or sleeps (in an offloaded call while another thread is
 * runnable, in a futex wait, at a BSP barrier), then the next starts.
 *
 * <p>A program's threads wait here until mcexec's launch reaches this CPU (PREPARE_PROCESS on the
 * process's first CPU, then SCHEDULE_PROCESS on each), then join the run queue.
 *
 * <p>While more than one thread is runnable, a timer tick takes its cost from the running thread's
 * computation ({@code costs.mckernel}); it does not preempt. {@code sched_yield} hands the CPU to the
 * next runnable thread.
 *
 * <p>A system call McKernel handles takes its local cost ({@code costs.syscall.local}). Any other is
 * offloaded: the thread marshals the request ({@code marshal}), writes it into this CPU's ring to
 * Linux ({@code ikc-enqueue}; a full ring makes it wait), and spins, holding the CPU, until mcctrl has
 * written the result into its memory; then it resumes ({@code resume}). If another thread is
 * runnable, it sleeps instead and the CPU runs that one; its result then comes with an IKC wake-up
 * (WAKE_UP_SYSCALL_THREAD: one more trip and interrupt) and it resumes when the CPU gets to it. A
 * hybrid call (read, ioctl, ...) goes the offload way but on a descriptor McKernel serves itself
 * (perf, xpmem), and a local call whose handler also asks Linux makes that request the offload way after
 * its local cost ({@link SyscallHandlers}). A read of a /proc or /sys file McKernel provides ({@link ProcView}) comes
 * back here as a PROCFS_REQUEST while the reader spins: the interrupt, the process renders the file
 * (the cost of a local read), and the PROCFS_ANSWER goes into this CPU's ring to Linux.
 *
 * <p>Per syscall name, the CPU logs each call's latency from the moment the thread issues it to the
 * moment it is back in user space.
 *
 * <p>This class is the entity and its public face; the work is done by its parts, one object each:
 * {@link ThreadExecution} (the run queue, the running thread and its operations), {@link CpuClock}
 * (the next step, and how long work takes under the tick and interrupts), {@link OffloadClient}
 * (offloaded calls: the request, spinning or sleeping, the result, the wake-up), {@link IkcInterrupts}
 * (packets from Linux and their handlers), {@link CpuHealth} (running, panicked, hung or halted) and
 * {@link CpuLifecycle} (IHK's bring-up and stop), {@link AddressSpaces} (touches and the ranges known
 * mapped) and {@link CpuCounters} (counts, logs, performance counters). Each message type goes to one
 * handler ({@link #HANDLERS}). Collections are made on first use, so an idle CPU is a few hundred bytes.
 */
public final class McKernelCpu implements SimEntity {

  /** What the performance counters count, in this order (pmc_init, pmc_start, pmc_stop, pmc_reset). */
  public static final List<String> PMC_EVENTS = CpuCounters.PMC_EVENTS;

  /** A thread of a McKernel process: its program and where it is in it. */
  public static final class McThread {
    final int pid;
    final int tid;
    final Program program;
    private ProgramCursor cursor;
    int exitStatus = -1;
    int exitSignal;
    long exitTime = -1;
    int lastForkResult;
    /** The pid of the process whose fork made its process, or 0 (launched by mcexec). */
    int parentPid;
    /** The tid of the thread it spawned last, or 0. */
    int lastSpawned;
    /** What its last futex, kill, tgkill or offloaded call returned (a count, 0, or a negative error number). */
    int lastResult;
    /** Signals whose handler it ran (delivered to it). */
    int signalsHandled;
    /** A signal with a handler reached it while it marshalled an offloaded call: interrupt the call once sent. */
    boolean interruptOffload;
    /** The call it slept in is one McKernel handles here (a futex wait): it resumes at the call's local cost. */
    boolean localResume;
    long startTime = -1;
    /** An offloaded call it sleeps in (instead of spinning), and whether its reply has come. */
    String pendingCall;
    long pendingCallStart;
    boolean awaitingResume;
    /** The call under way opens a descriptor McKernel keeps (device, perf, xpmem), or null. */
    FdKind opening;
    /** The requests to Linux of the local call under way whose handler asks Linux, or null; how many went. */
    List<Op.Syscall> toLinux;
    int toLinuxSent;
    /** The offloaded call under way maps device memory here: start and end. */
    long[] mappingDevice;
    /** Its global rank in a BSP application, or -1; whether it is the rank's first thread. */
    int rank = -1;
    boolean first;
    /** The launch of the application it belongs to (0, or the n-th of a job requeued n times). */
    int epoch;
    /** The key of its own stream of quantum lengths, and the draws taken from it. */
    long drawKey;
    long quanta;

    public McThread(int pid, int tid, Program program) {
      this.pid = pid;
      this.tid = tid;
      this.program = program;
      this.cursor = new ProgramCursor(program);
      this.drawKey = tid;
    }

    /**
     * Makes it thread {@code thread} of global rank {@code rank} of a BSP application; its quanta come
     * from the stream of that seat, so a thread draws alike under every OS model.
     */
    public void inRank(int rank, int thread) {
      inRank(rank, thread, 0);
    }

    /** The same in launch {@code epoch} of a job that was requeued: its ranks start over. */
    public void inRank(int rank, int thread, int epoch) {
      this.rank = rank;
      this.first = thread == 0;
      this.epoch = epoch;
      this.drawKey = RankMember.seatKey(rank, thread);
    }

    /** Its global rank in a BSP application, or -1. */
    public int rank() {
      return rank;
    }

    Op next() {
      return cursor.next();
    }

    /** Whether its next op is a computation. */
    boolean computesNext() {
      return cursor.computesNext();
    }

    /** How many of its next ops are the same computation, repeated ({@link ProgramCursor#computeRepeats}). */
    long computeRepeats() {
      return cursor.computeRepeats();
    }

    /** The computation {@link #computeRepeats} counts. */
    Op.Compute repeatedCompute() {
      return cursor.repeatedCompute();
    }

    /** Takes {@code n} of those computations. */
    void skipRepeats(long n) {
      cursor.skipRepeats(n);
    }

    /** The work of the computations it does next, one after another: the least time they take. */
    long computeAhead() {
      return cursor.computeAhead();
    }

    /** The thread starts at its program's {@code start}-th top-level step. */
    void startAt(int start) {
      cursor.skip(start);
    }

    /** A signal cut its computation: the {@code ns} of work left run after the handler. */
    void resumeAfterHandler(long ns) {
      cursor.interrupt(Program.named(program.name() + ".interrupted").compute(ns).build());
    }

    /** A signal's handler runs next; then the thread goes on where it was. */
    void interrupt(Program handler) {
      cursor.interrupt(handler);
      signalsHandled++;
    }

    /**
     * What its last futex, kill, tgkill or offloaded call returned: a count or 0, or a negative error
     * number (-ESRCH, -EINTR).
     */
    public int lastResult() {
      return lastResult;
    }

    /** Signals delivered to it whose handler it ran (or will run next). */
    public int signalsHandled() {
      return signalsHandled;
    }

    /** execve: the thread goes on with a new program. */
    void replaceProgram(Program image) {
      cursor = new ProgramCursor(image);
    }

    public int pid() {
      return pid;
    }

    public int tid() {
      return tid;
    }

    /** The exit status, or -1 while it runs. */
    public int exitStatus() {
      return exitStatus;
    }

    /** When it first ran, or -1. */
    public long startTime() {
      return startTime;
    }

    /** What its last fork returned: the child's pid, or a negative error number. */
    public int lastForkResult() {
      return lastForkResult;
    }

    /** The signal that killed it, or 0. */
    public int exitSignal() {
      return exitSignal;
    }

    /** When it exited, or -1. */
    public long exitTime() {
      return exitTime;
    }
  }

  /** A fault: the kernel on this CPU panics (it stops for good and raises the status notice). */
  public record Panic() implements Fingerprinted {
    @Override
    public long fingerprint() {
      return 0x9a41cL;
    }
  }

  /** A fault: the kernel on this CPU hangs (it stops silently; its monitor word no longer moves). */
  public record Hang() implements Fingerprinted {
    @Override
    public long fingerprint() {
      return 0x4a46L;
    }
  }

  /** IHK stops this CPU (its instance is shut down or destroyed): the CPU and its threads stop. */
  public record Halt() implements Fingerprinted {
    @Override
    public long fingerprint() {
      return 0x4a17L;
    }
  }

  /**
   * A fault on the other side: the Linux this kernel forwards calls to without a proxy (Hobbes's remote
   * calls over the shared buffer, mOS's migrations) has gone down, and the kernel sees it. From now on a
   * forwarded call fails at once on this CPU, and one under way fails now: the thread goes on. McKernel's
   * offloaded calls are not affected (they wait in the IKC ring for a proxy that no longer answers).
   */
  public record LinuxGone() implements Fingerprinted {
    @Override
    public long fingerprint() {
      return 0x619eL;
    }
  }

  /** ihkmond reads this CPU's monitor word (round {@code round} of its polls). */
  public record ReadMonitor(long round) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return round;
    }
  }

  /**
   * The monitor word as read: {@code state} PANIC, KERNEL (a kernel path that does not return: the
   * counter stays), HALTED, IDLE or USER, and the counter the running kernel bumps.
   */
  public record MonitorWord(int cpu, long round, String state, long counter) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return (round * 31 + cpu) * 31 + state.hashCode() + counter * 7;
    }
  }

  /** A fault on this CPU's ring to Linux: its writer applies {@code rule} from now on. */
  public record IkcFault(io.mcksim.ikc.FaultRule rule) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return ((rule.fault().ordinal() * 31L + rule.channel()) * 31 + rule.at()) * 31 + rule.duration()
          + rule.delay() * 7;
    }
  }

  /** McKernel's status notice (ihklib's eventfd): the kernel on CPU {@code cpu} shows {@code status}. */
  public record StatusNotice(int cpu, String status) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return cpu * 131L + status.hashCode();
    }
  }

  /** What the CPU does with one type of message. */
  @FunctionalInterface
  private interface Handler<M> {
    void handle(McKernelCpu cpu, SimContext ctx, int source, M message);
  }

  private static <M> Map.Entry<Class<?>, Handler<?>> on(Class<M> type, Handler<M> handler) {
    return Map.entry(type, handler);
  }

  /** The handler of each message type the CPU takes. */
  private static final Map<Class<?>, Handler<?>> HANDLERS = Map.ofEntries(
      on(IkcPacket.class, (cpu, ctx, from, m) -> {
        if (cpu.lifecycle == null || !cpu.lifecycle.onMasterPacket(ctx, from, m)) {
          cpu.interrupts.onPacket(ctx, from, m);
        }
      }),
      on(Credit.class, (cpu, ctx, from, m) -> {
        if (cpu.lifecycle == null || !cpu.lifecycle.onMasterCredit(ctx, m)) {
          cpu.toLinux.onCredit(ctx, m);
        }
      }),
      on(IkcFault.class, (cpu, ctx, from, m) -> cpu.toLinux.arm(m.rule())),
      on(IkcInterrupts.Prepared.class, (cpu, ctx, from, m) -> cpu.interrupts.onPrepared(ctx, m)),
      on(IkcInterrupts.Scheduled.class, (cpu, ctx, from, m) -> cpu.execution.launch(ctx, m.pid(), m.start())),
      on(IkcInterrupts.Deliver.class, (cpu, ctx, from, m) -> cpu.interrupts.onDeliver(ctx, m)),
      on(IkcInterrupts.Cleanup.class, (cpu, ctx, from, m) -> cpu.interrupts.onCleanup(ctx, m)),
      on(McProcess.Rendered.class, (cpu, ctx, from, m) -> cpu.interrupts.onRendered(ctx, m)),
      on(McProcess.Resolved.class, (cpu, ctx, from, m) -> cpu.interrupts.onResolved(ctx, m)),
      on(Offload.Return.class, (cpu, ctx, from, m) -> cpu.offloadClient.onReturn(ctx, m)),
      on(Offload.Ran.class, (cpu, ctx, from, m) -> cpu.execution.onRan(ctx, m)),
      on(LinuxGone.class, (cpu, ctx, from, m) -> cpu.execution.onLinuxGone(ctx)),
      on(OffloadClient.Woken.class, (cpu, ctx, from, m) -> cpu.offloadClient.onWoken(ctx, m)),
      on(ThreadExecution.Placed.class, (cpu, ctx, from, m) -> cpu.execution.onPlaced(ctx, m)),
      on(ProcessTable.Forked.class, (cpu, ctx, from, m) -> cpu.execution.onForked(ctx, m)),
      on(McProcess.Execed.class, (cpu, ctx, from, m) -> cpu.execution.onExeced(ctx, m)),
      on(McProcess.Kill.class, (cpu, ctx, from, m) -> cpu.execution.kill(ctx, m.pid(), m.signal())),
      on(McProcess.Touched.class, (cpu, ctx, from, m) -> cpu.addressSpaces.onTouched(ctx, m)),
      on(McProcess.FutexDone.class, (cpu, ctx, from, m) -> cpu.execution.onFutexDone(ctx, m)),
      on(McProcess.SignalSent.class, (cpu, ctx, from, m) -> cpu.execution.onSignalSent(ctx, m)),
      on(McProcess.Deliver.class, (cpu, ctx, from, m) -> cpu.execution.onDeliver(ctx, m)),
      on(McProcess.Cached.class,
          (cpu, ctx, from, m) -> cpu.addressSpaces.mapped(m.pid(), m.start(), m.end())),
      on(McProcess.Invalidate.class,
          (cpu, ctx, from, m) -> cpu.addressSpaces.unmapped(m.pid(), m.start(), m.end())));

  /**
   * {@link #HANDLERS} by message type, looked up once per type and then kept with the class itself: a CPU
   * takes several messages per call, and a map probe for each was a measurable share of a big run.
   */
  private static final ClassValue<Handler<?>> HANDLER_OF = new ClassValue<>() {
    @Override
    protected Handler<?> computeValue(Class<?> type) {
      return HANDLERS.get(type);
    }
  };

  final int index;
  final SyscallTable table;
  final SyscallCosts syscalls;
  final OffloadCosts offload;
  final RemoteFaultCosts faults;
  final McKernelCosts mckernel;
  final LaunchCosts launch;
  /** The writer's end of this CPU's channel to mcctrl. */
  final IkcSender toLinux;
  private final IntUnaryOperator processOfPid;
  /** The smallest delay between two entities of the node: used for messages to processes and CPUs. */
  final long hop;
  private final List<McThread> threads;
  final CpuCounters counters;
  final CpuClock clock;
  final ThreadExecution execution;
  final AddressSpaces addressSpaces;
  final OffloadClient offloadClient;
  final IkcInterrupts interrupts;
  final CpuHealth health;
  /** Made on first use: only a CPU on a node IHK boots has a lifecycle. */
  CpuLifecycle lifecycle;
  /** The threads' part in a BSP application's supersteps, or null. */
  private RankMember<McThread> member;
  /** Another OS design's routes for system calls, or null for McKernel's table. */
  private java.util.function.Function<String, CallRoute> routes;
  private int linuxCpu = -1;
  private long drawSeed;
  /** What McKernel's kprintf wrote on this CPU, made on first use. */
  private List<KernelLine> kmsg;

  /**
   * @param index   this CPU's McKernel number
   * @param toLinux the writer's end of this CPU's channel to mcctrl
   * @param threads the threads that start on this CPU at time 0, in order
   */
  public McKernelCpu(int index, SyscallTable table, SyscallCosts syscalls, OffloadCosts offload,
      IkcSender toLinux, IkcReceiver fromLinux, RemoteFaultCosts faults, McKernelCosts scheduler,
      LaunchCosts launch, IntUnaryOperator processOfPid, long hop, List<McThread> threads) {
    this(index, table, syscalls, offload, toLinux, fromLinux, faults, scheduler, launch, processOfPid, hop,
        threads, null, null);
  }

  /**
   * @param cpuEntities the entity of each McKernel CPU of the instance, by McKernel number, where new
   *                    threads and forked children may go; null: this CPU only
   * @param initialLoad the threads each of them starts with
   */
  public McKernelCpu(int index, SyscallTable table, SyscallCosts syscalls, OffloadCosts offload,
      IkcSender toLinux, IkcReceiver fromLinux, RemoteFaultCosts faults, McKernelCosts scheduler,
      LaunchCosts launch, IntUnaryOperator processOfPid, long hop, List<McThread> threads,
      int[] cpuEntities, int[] initialLoad) {
    this.index = index;
    this.table = table;
    this.syscalls = syscalls;
    this.offload = offload;
    this.faults = faults;
    this.mckernel = scheduler;
    this.launch = launch;
    this.toLinux = toLinux;
    this.processOfPid = processOfPid;
    this.hop = hop;
    this.threads = List.copyOf(threads);
    this.counters = new CpuCounters(scheduler);
    this.clock = new CpuClock(scheduler, counters);
    this.execution = new ThreadExecution(this, threads, cpuEntities, initialLoad);
    this.addressSpaces = new AddressSpaces(this);
    this.offloadClient = new OffloadClient(this);
    this.interrupts = new IkcInterrupts(this, fromLinux);
    this.health = new CpuHealth(this);
  }

  /**
   * This CPU is physical CPU {@code physical} of a node IHK boots: it answers IHK's bring-up and stop
   * ({@link io.mcksim.ihk.Lwk}) after the scenario's lifecycle {@code costs}. Call before the model runs.
   */
  public McKernelCpu withLifecycle(io.mcksim.config.LifecycleCosts costs, int physical) {
    lifecycle().costs = costs;
    lifecycle().physical = physical;
    return this;
  }

  /** IHK's side of this CPU (its bring-up and stop), made on first use. */
  CpuLifecycle lifecycle() {
    if (lifecycle == null) {
      lifecycle = new CpuLifecycle(this);
    }
    return lifecycle;
  }

  /**
   * This CPU connects its IKC channels over the instance's master channel when IHK brings it up
   * ({@link CpuLifecycle}): {@code toMaster} is its end toward Linux (mcctrl reads it); {@code
   * fromMaster}, on CPU 0 only (else null), the McKernel end where Linux's replies arrive;
   * {@code connectsToLinux}, whether it is the first CPU mapped to its Linux CPU, which connects that
   * channel. Call before the model runs, with {@link #withLifecycle}.
   */
  public McKernelCpu withMasterChannel(IkcSender toMaster, IkcReceiver fromMaster, boolean connectsToLinux,
      IntUnaryOperator cpuEntityOfIndex) {
    CpuLifecycle l = lifecycle();
    l.toMaster = toMaster;
    l.fromMaster = fromMaster;
    l.connectsToLinux = connectsToLinux;
    l.cpuEntityOfIndex = cpuEntityOfIndex;
    return this;
  }

  /** Master-channel packets of {@code type} this CPU read: CPU 0 reads Linux's connect replies. */
  public long masterPacketsRead(io.mcksim.ikc.PacketType type) {
    return lifecycle == null ? 0 : lifecycle.masterRead(type);
  }

  /**
   * The IHK side that a panic's status notice reaches, {@code latencyNs} after the panic. Call before
   * the model runs.
   */
  public McKernelCpu withMonitor(int entity, long latencyNs) {
    health.monitor = entity;
    health.noticeNs = Math.max(1, latencyNs);
    return this;
  }

  /** Whether the kernel on this CPU has stopped (panic, hang, halted). */
  public boolean stopped() {
    return health.state() != CpuHealth.State.RUNNING;
  }

  /** Remote faults mcctrl asked this CPU to resolve that it has not answered yet (each an ask it holds). */
  public int remoteFaultsInFlight() {
    return interrupts.faultAsksOpen();
  }

  /** IKC packets that reached this CPU (duplicates and those that found it stopped included). */
  public long ikcArrivals() {
    return interrupts.arrivals() + health.packetsWhileStopped + (lifecycle == null ? 0 : lifecycle.masterArrivals());
  }

  /** What this CPU wrote on IKC: its channel to Linux and its connects on the master channel. */
  public io.mcksim.ikc.ChannelStats ikcSent() {
    io.mcksim.ikc.ChannelStats master = lifecycle == null ? null : lifecycle.masterSent();
    return master == null ? toLinux.stats() : IkcReceiver.combine(toLinux.stats(), master);
  }

  /** IKC packets that reached this CPU after it had stopped: arrived, read by nobody. */
  public long packetsWhileStopped() {
    return health.packetsWhileStopped;
  }

  /** Whether a thread is still running, runnable or waiting here (launched and not ended). */
  public boolean hasLiveThreads() {
    return execution.running() != null || execution.hasQueued() || !offloadClient.sleepers().isEmpty()
        || !execution.parkedThreads().isEmpty();
  }

  /** The pids of the threads still running, runnable or waiting here, lowest first. */
  public java.util.SortedSet<Integer> livePids() {
    java.util.SortedSet<Integer> pids = new java.util.TreeSet<>();
    if (execution.running() != null) {
      pids.add(execution.running().pid());
    }
    for (McThread t : execution.queuedThreads()) {
      pids.add(t.pid());
    }
    for (McThread t : offloadClient.sleepers()) {
      pids.add(t.pid());
    }
    for (McThread t : execution.parkedThreads()) {
      pids.add(t.pid());
    }
    return pids;
  }

  @Override
  public void start(SimContext ctx) {
    execution.start(ctx);
  }

  /**
   * Lets this CPU's threads take part in the supersteps of a BSP application ({@code collective} ops),
   * and draw their {@code quantum} ops from their streams of run seed {@code seed}. Call before the model
   * runs.
   */
  public McKernelCpu withRanks(RankMember.Ranks ranks, long seed) {
    int leads = threads.stream().filter(t -> t.first).mapToInt(t -> t.rank).findFirst().orElse(-1);
    this.member = new RankMember<>(ranks, SEAT, (start, work) -> start + work, leads);
    this.drawSeed = seed;
    return this;
  }

  /** A McKernel thread's seat in its rank. */
  private static final RankMember.Seat<McThread> SEAT = new RankMember.Seat<>() {
    @Override
    public int rank(McThread t) {
      return t.rank;
    }

    @Override
    public boolean first(McThread t) {
      return t.first;
    }

    @Override
    public int epoch(McThread t) {
      return t.epoch;
    }
  };

  /** The threads' part in BSP supersteps, or null when they belong to no BSP application. */
  RankMember<McThread> member() {
    return member;
  }

  /** The length of thread {@code t}'s next {@code quantum} op. */
  long quantum(McThread t, Op.Quantum q) {
    return RankMember.quantum(q, drawSeed, t.drawKey, t.quanta++);
  }

  /** Per superstep of the rank whose first thread runs here: when its threads went on. */
  public long[] rankReleases() {
    return member == null ? new long[0] : member.releases();
  }

  /**
   * A line McKernel's kprintf wrote on this CPU at {@code ns}, into the instance's kernel log (what
   * {@code ihkosctl kmsg} shows), prefixed with the CPU's number as McKernel does.
   */
  public record KernelLine(long ns, String text) {}

  /** McKernel's kprintf on this CPU: {@code text} goes to the kernel log, after the CPU's number. */
  void kprintf(SimContext ctx, String text) {
    if (kmsg == null) {
      kmsg = new java.util.ArrayList<>(2);
    }
    kmsg.add(new KernelLine(ctx.now(), String.format(java.util.Locale.ROOT, "[%3d]: %s", index, text)));
  }

  /** The lines McKernel's kprintf wrote on this CPU, oldest first. */
  public List<KernelLine> kmsg() {
    return kmsg == null ? List.of() : List.copyOf(kmsg);
  }

  /** Calls this CPU's threads sent to Linux (offloaded or, under another design, forwarded). */
  public long offloadedCalls() {
    return counters.offloadedCalls;
  }

  /** Calls that failed because the kernel does not have them (ENOSYS). */
  public long failedCalls() {
    return counters.failedCalls();
  }

  /**
   * Runs the system calls of this CPU's threads by another OS design's routes instead of McKernel's
   * table; calls forwarded to Linux go to the Linux CPU entity {@code linuxCpu}. Call before the model
   * runs.
   */
  public McKernelCpu withRoutes(java.util.function.Function<String, CallRoute> routes, int linuxCpu) {
    this.routes = routes;
    this.linuxCpu = linuxCpu;
    return this;
  }

  /** Where call {@code s} of thread {@code t} goes. */
  CallRoute route(McThread t, Op.Syscall s) {
    return routes == null ? SyscallHandlers.route(table, s, offloadClient.kindOf(t.pid, s.args().fd()))
        : routes.apply(s.name());
  }

  /** The Linux CPU entity forwarded calls go to. */
  int linuxCpuOf() {
    if (linuxCpu < 0) {
      throw new IllegalStateException("McKernel CPU " + index + " forwards a call but has no Linux CPU");
    }
    return linuxCpu;
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if ((lifecycle != null || CpuLifecycle.takes(payload)) && lifecycle().handles(ctx, payload)
        || !health.handles(ctx, source, payload)) {
      return;
    }
    if (payload == null) {
      if (member != null && RankSync.isSync(data)) {
        McThread released = member.onEvent(ctx, data);
        if (released != null) {
          execution.released(ctx, released);
        }
        return;
      }
      if (CpuClock.isStep(data)) {
        execution.onStep(ctx, data);
        return;
      }
    }
    @SuppressWarnings("unchecked")
    Handler<Object> handler = payload == null ? null : (Handler<Object>) HANDLER_OF.get(payload.getClass());
    if (handler == null) {
      throw new IllegalArgumentException("McKernel CPU " + index + " got an unknown message " + payload);
    }
    handler.handle(this, ctx, source, payload);
  }

  /** Sends {@code message} to process {@code pid}, one hop away. */
  void toProcess(SimContext ctx, int pid, Object message) {
    toProcess(ctx, pid, hop, message);
  }

  /** Sends {@code message} to process {@code pid}, arriving after {@code delay}. */
  void toProcess(SimContext ctx, int pid, long delay, Object message) {
    ctx.send(processOfPid.applyAsInt(pid), delay, 0, message);
  }

  public int index() {
    return index;
  }

  /** Per syscall name, the latencies of the calls this CPU's threads made. */
  public Map<String, LatencyLog> latencies() {
    return counters.latencies();
  }

  /** The threads that started here at time 0. */
  public List<McThread> threads() {
    return threads;
  }

  /** Threads started here by forks (children) and by spawn-thread (clone). */
  public List<McThread> spawned() {
    return execution.spawnedThreads();
  }

  /** Units of work done in each FTQ quantum, in order. */
  public LatencyLog ftqCounts() {
    return counters.ftqCounts();
  }

  /** How long each computation took, ticks included. */
  public LatencyLog computeTimes() {
    return counters.computeTimes();
  }

  /** /proc and /sys view reads this CPU answered (PROCFS_ANSWER packets). */
  public long procfsAnswers() {
    return counters.procfsAnswers();
  }

  /** Offloaded calls whose thread slept and was woken over IKC. */
  public long wakeUps() {
    return counters.wakeUps();
  }

  /** The performance counters as the last {@code pmc_stop} left them, in {@link #PMC_EVENTS} order. */
  public long[] performanceCounters() {
    return counters.performanceCounters();
  }

  /** Demand page faults its threads took. */
  public long pageFaults() {
    return counters.pageFaults();
  }

  /** Time the oversubscription tick took from running threads, summed. */
  public long tickNs() {
    return counters.tickNs;
  }

  /** Time interrupt handlers (IKC packets, wake-ups) took from running computations, summed. */
  public long irqNs() {
    return counters.irqNs;
  }

  /** Time spent spinning on offloaded calls, summed. */
  public long spinNs() {
    return counters.spinNs;
  }

  public IkcSender toLinux() {
    return toLinux;
  }
}
