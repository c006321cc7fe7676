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
import io.mcksim.ikc.PacketType;
import io.mcksim.workloads.FileDescriptors;
import io.mcksim.workloads.LatencyLog;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.PageRanges;
import io.mcksim.workloads.ProcView;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.ProgramCursor;
import io.mcksim.workloads.net.RankMember;
import io.mcksim.workloads.net.RankSync;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;

/**
 * One McKernel CPU: it runs the threads on its run queue one at a time, cooperatively and without a
 * tick: a thread runs until it exits (this model has no blocking calls yet), then the next starts.
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
 * (WAKE_UP_SYSCALL_THREAD: one more trip and interrupt) and it resumes when the CPU gets to it. A hybrid call (read, open, ...)
 * on a regular file goes the offload way, as descriptors McKernel serves itself are not modelled. A
 * read of a /proc or /sys file McKernel provides ({@link ProcView}) comes back here as a PROCFS_REQUEST
 * while the reader spins: the interrupt, the process renders the file (the cost of a local read), and
 * the PROCFS_ANSWER goes into this CPU's ring to Linux.
 *
 * <p>Per syscall name, the CPU logs each call's latency from the moment the thread issues it to the
 * moment it is back in user space.
 */
public final class McKernelCpu implements SimEntity {

  private enum Phase { RUN, LOCAL_CALL, MARSHAL, SPIN, FORK, TOUCH, EXEC, RESUME }

  private record Step(long token) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return token;
    }
  }

  /** A thread (cloned, or a forked child's) another CPU placed here. */
  private record Placed(McThread thread) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return thread.tid * 13L;
    }
  }

  /** The IKC wake-up of a thread that slept in its offloaded call has arrived. */
  private record Woken(int tid) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return tid * 7L;
    }
  }

  /** Signals whose default action is to ignore them. */
  private static final java.util.Set<Integer> IGNORED_BY_DEFAULT = java.util.Set.of(17, 23, 28);

  /** A relayed signal, after the interrupt that brought it. */
  private record Deliver(int pid, int signal) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return ((long) pid << 32) ^ signal;
    }
  }

  /** McKernel has created the process: acknowledge to mcctrl. */
  private record Prepared(int pid) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return pid;
    }
  }

  /** The process's threads on this CPU may run. */
  private record Scheduled(int pid) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return ~pid;
    }
  }

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
    long startTime = -1;
    /** An offloaded call it sleeps in (instead of spinning), and whether its reply has come. */
    String pendingCall;
    long pendingCallStart;
    boolean awaitingResume;
    /** The offloaded call under way opens a device file. */
    boolean openingDevice;
    /** The offloaded call under way maps device memory here: start and end. */
    long[] mappingDevice;
    /** Its global rank in a BSP application, or -1; whether it is the rank's first thread. */
    int rank = -1;
    boolean first;
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
     * from the stream of that seat (so a thread draws alike under every OS model).
     */
    public void inRank(int rank, int thread) {
      this.rank = rank;
      this.first = thread == 0;
      this.drawKey = RankMember.seatKey(rank, thread);
    }

    /** Its global rank in a BSP application, or -1. */
    public int rank() {
      return rank;
    }

    Op next() {
      return cursor.next();
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

  private final int index;
  private final SyscallTable table;
  private final SyscallCosts syscalls;
  private final OffloadCosts offload;
  private final IkcSender toLinux;
  private final IkcReceiver fromLinux;
  private final IntUnaryOperator processOfPid;
  private final RemoteFaultCosts faults;
  private final McKernelCosts mckernel;
  private final LaunchCosts launch;
  /** Threads of programs mcexec has not had scheduled yet. */
  private final List<McThread> unlaunched = new java.util.ArrayList<>();
  /** Per process: ranges known mapped, so touching them needs no question (a TLB, in effect). */
  private final Map<Integer, PageRanges> mappedCache = new TreeMap<>();
  private long touchStart;
  /** How long each computation took, ticks included: an FWQ's per-iteration samples. */
  private final LatencyLog computeTimes = new LatencyLog();
  /** Units of work done in each FTQ quantum. */
  private final LatencyLog ftqCounts = new LatencyLog();
  private int spawnCounter;
  /** What the performance counters count, in this order (pmc_init, pmc_start, pmc_stop, pmc_reset). */
  public static final List<String> PMC_EVENTS = List.of("cycles", "local_syscalls", "offloaded_syscalls",
      "page_faults", "ikc_packets", "noise_ns");
  private long localCalls;
  /** Per process, the descriptors its threads here opened on device files (the proxy holds them). */
  private final Map<Integer, java.util.Set<Integer>> deviceFds = new TreeMap<>();
  private long offloadedCalls;
  private long packets;
  /** The counters, and the totals when counting last started (null while stopped). */
  private final long[] pmc = new long[PMC_EVENTS.size()];
  private long[] pmcBase;
  /** Entity ids of the instance's McKernel CPUs, by McKernel number. */
  private final int[] cpuEntities;
  /** Threads each McKernel CPU starts with, by McKernel number. */
  private final int[] initialLoad;
  /** Threads this CPU has placed on each McKernel CPU, by McKernel number. */
  private final int[] placed;
  /** Where the child of the fork under way goes. */
  private int forkTarget;
  private long pageFaults;
  /** Threads sleeping in an offloaded call while others ran, by tid. */
  private final Map<Integer, McThread> sleeping = new TreeMap<>();
  private long wakeUps;
  private long procfsAnswers;
  /** Threads killed by a signal, whose late replies are void. */
  private final java.util.Set<Integer> killed = new java.util.HashSet<>();
  /** The smallest delay between two entities of the node: used for address-space notices. */
  private final long hop;
  private final ArrayDeque<McThread> runQueue = new ArrayDeque<>();
  private final List<McThread> threads;
  /** Threads forked children started here. */
  private final List<McThread> spawned = new java.util.ArrayList<>();
  private final Map<String, LatencyLog> latencies = new TreeMap<>();

  private McThread current;
  /** The threads' part in a BSP application's supersteps, or null. */
  private RankMember<McThread> member;
  private long drawSeed;
  private Phase phase = Phase.RUN;
  private long token;
  private String callName;
  private long callStart;
  private Op.Syscall call;
  private long busyNs;
  /** The current thread's computation in progress, if any. */
  private boolean computing;
  private boolean computeTicking;
  private long computeStart;
  private long computeWork;
  /** The part of the computation planned last: from when, and how much work was left then. */
  private long segmentStart;
  private long segmentWork;
  /** Interrupt time the current computation has lost. */
  private long computeIrqNs;
  private long tickNs;
  private long irqNs;
  private long spinNs;

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
    this.cpuEntities = cpuEntities;
    this.initialLoad = initialLoad;
    this.placed = cpuEntities == null ? null : new int[cpuEntities.length];
    this.mckernel = scheduler;
    this.launch = launch;
    this.index = index;
    this.fromLinux = fromLinux;
    this.faults = faults;
    this.processOfPid = processOfPid;
    this.hop = hop;
    this.table = table;
    this.syscalls = syscalls;
    this.offload = offload;
    this.toLinux = toLinux;
    this.threads = List.copyOf(threads);
    unlaunched.addAll(threads);
  }

  @Override
  public void start(SimContext ctx) {
    if (!runQueue.isEmpty()) {
      current = runQueue.poll();
      continueAfter(ctx, 0);
    }
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
  };

  /** Per superstep of the rank whose first thread runs here: when its threads went on. */
  public long[] rankReleases() {
    return member == null ? new long[0] : member.releases();
  }

  /** Calls this CPU's threads offloaded to Linux. */
  public long offloadedCalls() {
    return offloadedCalls;
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (payload == null && member != null && RankSync.isSync(data)) {
      McThread released = member.onEvent(ctx, data);
      if (released != null) {
        runQueue.add(released);
        runNextOrTick(ctx);
      }
      return;
    }
    if (payload instanceof Step s) {
      if (s.token() == token) {
        onStep(ctx);
      }
    } else if (payload instanceof Offload.Return r) {
      if (killed.contains(r.tid())) {
        return; // the thread died of a signal while its call was on Linux
      }
      McThread sleeper = sleeping.get(r.tid());
      if (r.signal() == 0) {
        returned(ctx, sleeper != null ? sleeper : current, r.ret());
      }
      if (sleeper != null) {
        if (r.signal() != 0) {
          sleeping.remove(r.tid());
          sleeper.exitSignal = r.signal();
          sleeper.exitTime = ctx.now();
          killed.add(r.tid());
          ctx.send(processOfPid.applyAsInt(sleeper.pid), hop, 0,
              new McProcess.ThreadExited(sleeper.tid, -1, r.signal()));
        } else {
          // the requester slept: mcctrl wakes it with WAKE_UP_SYSCALL_THREAD over IKC
          wakeUps++;
          ctx.send(ctx.self(), fromLinux.latency() + fromLinux.ipiCost(), 0, new Woken(r.tid()));
        }
        return;
      }
      if (phase != Phase.SPIN || current == null || r.tid() != current.tid) {
        throw new IllegalStateException("McKernel CPU " + index + " got a syscall result for thread "
            + r.tid() + " it does not wait for");
      }
      spinNs += ctx.now() - callStart;
      if (r.signal() != 0) {
        // the proxy is gone: McKernel kills the process with the proxy's signal
        current.exitSignal = r.signal();
        current.exitTime = ctx.now();
        ctx.send(processOfPid.applyAsInt(current.pid), hop, 0,
            new McProcess.ThreadExited(current.tid, -1, r.signal()));
        phase = Phase.RUN;
        current = runQueue.poll();
        if (current != null) {
          continueAfter(ctx, 0);
        }
        return;
      }
      phase = Phase.RESUME;
      continueAfter(ctx, inKernel(ctx, offload.resume()));
    } else if (payload instanceof ProcessTable.Forked f) {
      if (killed.contains(f.tid())) {
        return;
      }
      if (phase != Phase.FORK || current == null || f.tid() != current.tid) {
        throw new IllegalStateException("McKernel CPU " + index + " got a fork result for thread "
            + f.tid() + " it does not wait for");
      }
      current.lastForkResult = f.childPid();
      if (f.childPid() > 0) {
        McThread child = new McThread(f.childPid(), f.childPid(), f.child());
        if (forkTarget == index) {
          runQueue.add(child);
          spawned.add(child);
        } else {
          ctx.send(cpuEntities[forkTarget], hop, 0, new Placed(child));
        }
      } else if (forkTarget != index) {
        placed[forkTarget]--; // no child after all
      }
      computing = false;
      phase = Phase.RESUME;
      continueAfter(ctx, inKernel(ctx, offload.resume()));
    } else if (payload instanceof IkcPacket p) {
      onPacket(ctx, source, p);
    } else if (payload instanceof Placed pl) {
      spawned.add(pl.thread());
      runQueue.add(pl.thread());
      runNextOrTick(ctx);
    } else if (payload instanceof Woken w) {
      packets++; // WAKE_UP_SYSCALL_THREAD, an IKC packet of its own
      interrupt(ctx, fromLinux.ipiCost()); // and its interrupt
      McThread t = sleeping.remove(w.tid());
      if (t != null) {
        t.awaitingResume = true;
        runQueue.add(t);
        runNextOrTick(ctx);
      }
    } else if (payload instanceof McProcess.Execed x) {
      if (killed.contains(x.tid())) {
        return;
      }
      phase = Phase.RESUME;
      continueAfter(ctx, launch.prepare());
    } else if (payload instanceof McProcess.Touched t) {
      onTouched(ctx, t);
    } else if (payload instanceof McProcess.Cached c) {
      cacheOf(c.pid()).add(c.start(), c.end());
    } else if (payload instanceof McProcess.Invalidate inv) {
      cacheOf(inv.pid()).remove(inv.start(), inv.end());
    } else if (payload instanceof Deliver d) {
      // no handlers are modelled: a signal whose default action ends the process ends it
      if (!IGNORED_BY_DEFAULT.contains(d.signal())) {
        ctx.send(processOfPid.applyAsInt(d.pid()), hop, 0, new McProcess.KillProcess(d.signal()));
      }
      toLinux.send(ctx, new IkcPacket(PacketType.SEND_SIGNAL_ACK, -1, -1, d.pid(), d.pid(), index,
          d.signal(), 0, 0, 0));
    } else if (payload instanceof McProcess.Kill k) {
      kill(ctx, k.pid(), k.signal());
    } else if (payload instanceof Prepared pr) {
      toLinux.send(ctx, new IkcPacket(PacketType.PREPARE_PROCESS_ACKED, -1, -1, pr.pid(), pr.pid(),
          index, 0, 0, 0, 0));
    } else if (payload instanceof Scheduled sc) {
      for (java.util.Iterator<McThread> it = unlaunched.iterator(); it.hasNext(); ) {
        McThread t = it.next();
        if (t.pid == sc.pid()) {
          it.remove();
          runQueue.add(t);
        }
      }
      runNextOrTick(ctx);
    } else if (payload instanceof McProcess.Resolved r) {
      IkcPacket q = r.request();
      toLinux.send(ctx, new IkcPacket(PacketType.REMOTE_PAGE_FAULT_ANSWER, -1, -1, q.pid(), q.tid(),
          index, 0, q.arg(), 0, r.ok() ? 0 : -14));
    } else if (payload instanceof McProcess.Rendered r) {
      IkcPacket q = r.request();
      procfsAnswers++;
      toLinux.send(ctx, new IkcPacket(PacketType.PROCFS_ANSWER, -1, -1, q.pid(), q.tid(), index,
          q.number(), q.arg(), q.arg2(), r.bytes()));
    } else if (payload instanceof Credit c) {
      toLinux.onCredit(ctx, c);
    } else {
      throw new IllegalArgumentException("McKernel CPU " + index + " got an unknown message " + payload);
    }
  }

  /**
   * A packet from Linux. Its interrupt handler runs on this CPU: the interrupt, then the handler's work
   * (preparing a process; rendering a /proc or /sys file, as a local read; resolving a remote page
   * fault, {@code costs.remote-fault.resolve}, half on the way there, half on the way back); a
   * computation running here loses that time. Answers go into this CPU's ring to Linux.
   */
  private void onPacket(SimContext ctx, int source, IkcPacket p) {
    if (fromLinux.onPacket(p, source) == IkcReceiver.Verdict.DUPLICATE) {
      return;
    }
    packets++;
    fromLinux.consumed(ctx, source);
    long ipi = fromLinux.ipiCost();
    switch (p.type()) {
      case PREPARE_PROCESS -> {
        interrupt(ctx, ipi + launch.prepare());
        ctx.send(ctx.self(), ipi + launch.prepare(), 0, new Prepared(p.pid()));
      }
      case SCHEDULE_PROCESS -> {
        interrupt(ctx, ipi);
        ctx.send(ctx.self(), ipi, 0, new Scheduled(p.pid()));
      }
      case SEND_SIGNAL -> {
        interrupt(ctx, ipi);
        ctx.send(ctx.self(), ipi, 0, new Deliver(p.pid(), p.number()));
      }
      case PROCFS_REQUEST -> {
        // mcctrl's read callback for a /proc or /sys view file: the process renders it
        interrupt(ctx, ipi + syscalls.local("read"));
        ctx.send(processOfPid.applyAsInt(p.pid()), ipi, 0, new McProcess.Render(p, syscalls.local("read")));
      }
      case REMOTE_PAGE_FAULT -> {
        interrupt(ctx, ipi + faults.resolve());
        long there = faults.resolve() / 2;
        ctx.send(processOfPid.applyAsInt(p.pid()), ipi + there, 0,
            new McProcess.Resolve(p, faults.resolve() - there));
      }
      default -> throw new IllegalArgumentException("McKernel CPU " + index + " does not handle "
          + p.type() + " packets yet");
    }
  }

  /**
   * The SYSCALL_ONESIDE packet of an offloaded call: the buffer's address and size, the descriptor; for
   * an open of a path McKernel's /proc or /sys view provides, the view file's id in place of the size
   * (the proxy reads the path from the process's memory and opens mcctrl's file). A call known to fail
   * carries its error, negated, as the result, so that the proxy changes nothing.
   */
  private IkcPacket request(Op.Syscall s, int pid, int tid) {
    long second = s.args().size();
    if (FileDescriptors.opens(s.number())) {
      second = FileDescriptors.isDevice(s.args().path()) ? FileDescriptors.DEVICE
          : ProcView.lookup(s.args().path(), pid).ordinal();
    } else if (s.number() == FileDescriptors.MMAP) {
      second = s.args().length();
    }
    return new IkcPacket(PacketType.SYSCALL_ONESIDE, -1, -1, pid, tid, index, s.number(),
        s.args().address(), second, -s.args().errno(), s.args().fd());
  }

  private void onStep(SimContext ctx) {
    switch (phase) {
      case LOCAL_CALL, RESUME -> {
        latencies.computeIfAbsent(callName, k -> new LatencyLog()).add(ctx.now() - callStart);
        phase = Phase.RUN;
        if (callName.equals("sched_yield") && !runQueue.isEmpty()) {
          // cooperative: the CPU goes to the next runnable thread, this one to the back
          runQueue.add(current);
          current = runQueue.poll();
        }
        run(ctx);
      }
      case MARSHAL -> {
        toLinux.send(ctx, request(call, current.pid, current.tid));
        if (runQueue.isEmpty()) {
          phase = Phase.SPIN;
        } else {
          // another thread can run: the caller sleeps instead of spinning, and Linux will wake it
          current.pendingCall = callName;
          current.pendingCallStart = callStart;
          sleeping.put(current.tid, current);
          current = runQueue.poll();
          phase = Phase.RUN;
          run(ctx);
        }
      }
      case RUN -> {
        if (computing) {
          computeTimes.add(ctx.now() - computeStart);
          tickNs += ctx.now() - computeStart - computeWork - computeIrqNs;
        }
        computing = false;
        run(ctx);
      }
      default -> throw new IllegalStateException("McKernel CPU " + index + ": step while " + phase);
    }
  }

  /**
   * Runs the current thread's next operation. Threads that exit at once hand the CPU on to the next in
   * a loop, not a recursion: a run queue of any length takes no stack.
   */
  private void run(SimContext ctx) {
    Op op;
    while (true) {
      if (current.startTime < 0) {
        current.startTime = ctx.now();
      }
      if (current.awaitingResume) {
        current.awaitingResume = false;
        callName = current.pendingCall;
        callStart = current.pendingCallStart;
        phase = Phase.RESUME;
        continueAfter(ctx, inKernel(ctx, offload.resume()));
        return;
      }
      op = current.next();
      if (op != null && !(op instanceof Op.Exit)) {
        break;
      }
      current.exitStatus = op == null ? Program.IMPLICIT_EXIT_STATUS : ((Op.Exit) op).status();
      current.exitTime = ctx.now();
      ctx.send(processOfPid.applyAsInt(current.pid), hop, 0,
          new McProcess.ThreadExited(current.tid, current.exitStatus, 0));
      current = runQueue.poll();
      if (current == null) {
        return;
      }
    }
    if (op instanceof Op.Quantum q) {
      op = new Op.Compute(RankMember.quantum(q, drawSeed, current.drawKey, current.quanta++));
    }
    if (op instanceof Op.Collective) {
      // the thread waits off the CPU for its rank's release; the next runnable thread runs
      if (member == null) {
        throw new IllegalStateException("McKernel CPU " + index + ": thread " + current.tid
            + " runs a collective but belongs to no BSP application");
      }
      McThread waiting = current;
      current = runQueue.poll();
      member.arrive(ctx, waiting);
      if (current != null) {
        run(ctx);
      }
      return;
    }
    if (op instanceof Op.Compute c) {
      busyNs += c.ns();
      // oversubscribed: the tick runs and takes its cost from the work
      computing = true;
      computeStart = ctx.now();
      computeWork = c.ns();
      computeIrqNs = 0;
      computeTicking = !runQueue.isEmpty();
      planCompute(ctx, ctx.now(), c.ns());
    } else if (op instanceof Op.FixedTime f) {
      // FTQ: no noise here but the tick while the CPU is oversubscribed
      long carry = 0;
      long t = ctx.now();
      for (int k = 0; k < f.quanta(); k++) {
        long ticks = runQueue.isEmpty() ? 0 : mckernel.ticksIn(t, t + f.quantumNs());
        long work = f.quantumNs() - ticks * mckernel.tickCost() + carry;
        ftqCounts.add(work / f.unitNs());
        carry = work % f.unitNs();
        t += f.quantumNs();
      }
      continueAfter(ctx, t - ctx.now());
    } else if (op instanceof Op.Syscall s) {
      call = s;
      callName = s.name();
      callStart = ctx.now();
      boolean counter = s.name().startsWith("pmc_");
      if (counter) {
        performanceCounters(ctx.now(), s.name());
      }
      // a device file's memory is mapped by its Linux driver: the mmap goes to the proxy
      boolean deviceMap = s.number() == FileDescriptors.MMAP && s.args().fd() >= 0 && s.args().length() > 0
          && deviceFds.getOrDefault(current.pid, java.util.Set.of()).contains(s.args().fd());
      current.mappingDevice = deviceMap
          ? new long[] {s.args().address(), s.args().address() + s.args().length()} : null;
      current.openingDevice = FileDescriptors.opens(s.number()) && FileDescriptors.isDevice(s.args().path());
      if (!deviceMap && table.classify(s.number()) == Dispatch.LOCAL) {
        localCalls += counter ? 0 : 1;
        phase = Phase.LOCAL_CALL;
        noteAddressSpace(ctx, s);
        continueAfter(ctx, inKernel(ctx, syscalls.local(s.name())));
      } else {
        offloadedCalls++;
        phase = Phase.MARSHAL;
        continueAfter(ctx, inKernel(ctx, offload.marshal() + offload.ikcEnqueue()));
      }
    } else if (op instanceof Op.Touch t) {
      long start = t.address() & -4096L;
      long end = (t.address() + t.length() + 4095) & -4096L;
      if (cacheOf(current.pid).covers(start, end)) {
        continueAfter(ctx, 0); // mapped: the access costs nothing beyond the computation around it
      } else {
        phase = Phase.TOUCH;
        touchStart = ctx.now();
        ctx.send(processOfPid.applyAsInt(current.pid), hop, 0,
            new McProcess.Touch(current.tid, t.address(), t.length()));
      }
    } else if (op instanceof Op.SpawnThread st) {
      // clone: the new thread joins this CPU's run queue; the caller goes on
      int tid = current.pid * 100_000 + (index + 1) * 1_000 + (++spawnCounter % 1_000);
      McThread t = new McThread(current.pid, tid, st.program());
      int target = placeNew();
      if (target == index) {
        runQueue.add(t);
        spawned.add(t);
      } else {
        ctx.send(cpuEntities[target], hop, 0, new Placed(t));
      }
      ctx.send(processOfPid.applyAsInt(current.pid), hop, 0,
          new McProcess.ThreadSpawned(tid, target == index ? ctx.self() : cpuEntities[target]));
      callName = "clone";
      callStart = ctx.now();
      phase = Phase.LOCAL_CALL;
      continueAfter(ctx, inKernel(ctx, syscalls.local("clone")));
    } else if (op instanceof Op.Exec x) {
      // execve: McKernel sets up the new image, the proxy loads it too
      callName = "execve";
      callStart = ctx.now();
      phase = Phase.EXEC;
      current.replaceProgram(x.image());
      cacheOf(current.pid).clear();
      ctx.send(processOfPid.applyAsInt(current.pid), hop, 0,
          new McProcess.Exec(current.tid, McProcess.DEFAULT_DATA_BYTES));
    } else if (op instanceof Op.Fork f) {
      // McKernel copies the address space and has the proxy fork too; the thread waits for both
      callName = "fork";
      callStart = ctx.now();
      phase = Phase.FORK;
      forkTarget = placeNew();
      ctx.send(processOfPid.applyAsInt(current.pid), hop, 0, new McProcess.ForkRequest(current.tid,
          ctx.self(), f.child(), forkTarget == index ? ctx.self() : cpuEntities[forkTarget]));
    } else {
      throw new UnsupportedOperationException("McKernel CPU " + index + ": " + op.getClass().getSimpleName()
          + " operations are not modelled yet (thread " + current.tid + " of pid " + current.pid + ")");
    }
  }

  /**
   * The touched range is mapped now: each demand fault costs {@code costs.mckernel.page-fault}, and
   * the time spent asking counts toward it. A touch outside every area, or one memory ran out for,
   * ends the process (SIGSEGV, SIGKILL); running out of memory is also announced to Linux.
   */
  private void onTouched(SimContext ctx, McProcess.Touched t) {
    if (killed.contains(t.tid())) {
      return;
    }
    if (phase != Phase.TOUCH || current == null || t.tid() != current.tid) {
      throw new IllegalStateException("McKernel CPU " + index + " got a touch result for thread "
          + t.tid() + " it does not wait for");
    }
    if (t.signal() != 0) {
      if (t.outOfMemory()) {
        toLinux.send(ctx, new IkcPacket(PacketType.EVENTFD, -1, -1, current.pid, current.tid, index,
            PacketType.Notice.OUT_OF_MEMORY.ordinal(), t.start(), t.length(), 0));
      }
      // the whole process ends; this thread stays where it is until the kill reaches it
      ctx.send(processOfPid.applyAsInt(current.pid), hop, 0, new McProcess.KillProcess(t.signal()));
      return;
    }
    long start = t.start() & -4096L;
    long end = (t.start() + t.length() + 4095) & -4096L;
    cacheOf(current.pid).add(start, end);
    pageFaults += t.faults();
    long cost = t.faults() * mckernel.pageFault();
    phase = Phase.RUN;
    continueAfter(ctx, Math.max(0, cost - (ctx.now() - touchStart)));
  }

  private PageRanges cacheOf(int pid) {
    return mappedCache.computeIfAbsent(pid, k -> new PageRanges());
  }

  /** Ends every thread of {@code pid} on this CPU: the running one, and those waiting to run. */
  private void kill(SimContext ctx, int pid, int signal) {
    List<McThread> victims = new java.util.ArrayList<>();
    for (java.util.Iterator<McThread> it = runQueue.iterator(); it.hasNext(); ) {
      McThread t = it.next();
      if (t.pid == pid) {
        it.remove();
        victims.add(t);
      }
    }
    for (java.util.Iterator<McThread> it = unlaunched.iterator(); it.hasNext(); ) {
      McThread t = it.next();
      if (t.pid == pid) {
        it.remove();
        victims.add(t);
      }
    }
    for (java.util.Iterator<McThread> it = sleeping.values().iterator(); it.hasNext(); ) {
      McThread t = it.next();
      if (t.pid == pid) {
        it.remove();
        victims.add(t);
      }
    }
    boolean currentDies = current != null && current.pid == pid;
    if (currentDies) {
      victims.add(current);
    }
    for (McThread t : victims) {
      t.exitSignal = signal;
      t.exitTime = ctx.now();
      killed.add(t.tid);
      ctx.send(processOfPid.applyAsInt(pid), hop, 0, new McProcess.ThreadExited(t.tid, -1, signal));
    }
    if (currentDies) {
      token++; // whatever the dead thread had scheduled is void
      computing = false;
      phase = Phase.RUN;
      current = runQueue.poll();
      if (current != null) {
        run(ctx);
      }
    }
  }

  /**
   * A second thread became runnable while the current one computes without the tick: from now on the
   * tick runs, so the rest of the work stretches.
   */
  private void startTicking(SimContext ctx) {
    if (!computing || computeTicking || runQueue.isEmpty()) {
      return;
    }
    long remaining = workLeft(ctx.now());
    computeTicking = true;
    // an interrupt handler still running keeps the CPU until it is done
    planCompute(ctx, Math.max(ctx.now(), segmentStart), remaining);
  }

  /**
   * An interrupt handler ran on this CPU for {@code cost} from now (an IKC packet's interrupt and
   * what the handler does): a computation that runs here loses that time and ends later.
   */
  private void interrupt(SimContext ctx, long cost) {
    if (!computing || phase != Phase.RUN || cost == 0) {
      return;
    }
    long remaining = workLeft(ctx.now());
    irqNs += cost;
    computeIrqNs += cost;
    // handlers run one after another: this one starts when any still running is done
    planCompute(ctx, Math.max(ctx.now(), segmentStart) + cost, remaining);
  }

  /** Work of the current computation still to do at {@code now}. */
  private long workLeft(long now) {
    long elapsed = Math.max(0, now - segmentStart);
    long lost = computeTicking ? mckernel.ticksIn(segmentStart, now) * mckernel.tickCost() : 0;
    return Math.max(0, segmentWork - Math.max(0, elapsed - lost));
  }

  /** The computation goes on from {@code from} with {@code work} left, under the tick if it runs. */
  private void planCompute(SimContext ctx, long from, long work) {
    segmentStart = from;
    segmentWork = work;
    long end = computeTicking ? mckernel.stretch(from, work) : from + work;
    continueAfter(ctx, end - ctx.now());
  }

  /** An mmap or munmap at a fixed address changes the process's areas, unless it is known to fail. */
  private void noteAddressSpace(SimContext ctx, Op.Syscall s) {
    if (s.args().fails()) {
      return;
    }
    long start = s.args().address();
    long length = s.args().length() > 0 ? s.args().length() : s.args().size();
    if (s.name().equals("brk") && start > 0) {
      ctx.send(processOfPid.applyAsInt(current.pid), hop, 0, new McProcess.Brk(start));
      return;
    }
    if (start <= 0 || length <= 0) {
      return;
    }
    if (s.name().equals("mmap")) {
      ctx.send(processOfPid.applyAsInt(current.pid), hop, 0, new McProcess.MapRegion(start, length));
    } else if (s.name().equals("munmap")) {
      cacheOf(current.pid).remove(start, start + length);
      ctx.send(processOfPid.applyAsInt(current.pid), hop, 0, new McProcess.UnmapRegion(start, length));
    }
  }

  /**
   * How long {@code ns} of kernel work for the running thread (a local call, marshalling, resuming)
   * takes from now: under the tick while another thread is runnable, which takes its cost from it.
   */
  private long inKernel(SimContext ctx, long ns) {
    if (runQueue.isEmpty()) {
      return ns;
    }
    long took = mckernel.stretch(ctx.now(), ns) - ctx.now();
    tickNs += took - ns;
    return took;
  }

  private void continueAfter(SimContext ctx, long delay) {
    ctx.send(ctx.self(), delay, 0, new Step(++token));
  }

  public int index() {
    return index;
  }

  /** Per syscall name, the latencies of the calls this CPU's threads made. */
  /**
   * Threads joined the run queue: an idle CPU runs the first of them; a busy one starts its tick, now
   * that more than one thread is runnable.
   */
  private void runNextOrTick(SimContext ctx) {
    if (current == null && !runQueue.isEmpty()) {
      current = runQueue.poll();
      phase = Phase.RUN;
      run(ctx);
    } else {
      startTicking(ctx);
    }
  }

  /**
   * Where a new thread or a forked child goes, as McKernel's clone picks the allowed CPU with the
   * shortest run queue: here, the CPU with the fewest threads as far as this CPU knows (those each
   * started with, plus those it has placed there; this CPU counting itself busy), nearest after this
   * one on ties. Every McKernel CPU of the instance is allowed, as by default.
   */
  private int placeNew() {
    if (cpuEntities == null || cpuEntities.length <= 1) {
      return index;
    }
    int n = cpuEntities.length;
    int best = -1;
    int bestLoad = Integer.MAX_VALUE;
    for (int k = 1; k <= n; k++) {
      int c = (index + k) % n;
      int load = initialLoad[c] + placed[c] + (c == index ? Math.max(1, runQueue.size() + 1) : 0);
      if (load < bestLoad) {
        bestLoad = load;
        best = c;
      }
    }
    if (best != index) {
      placed[best]++;
    }
    return best;
  }

  public Map<String, LatencyLog> latencies() {
    return latencies;
  }

  /** The threads that started here at time 0. */
  public List<McThread> threads() {
    return threads;
  }

  /** Threads started here by forks (children) and by spawn-thread (clone). */
  public List<McThread> spawned() {
    return spawned;
  }

  /** Units of work done in each FTQ quantum, in order. */
  public LatencyLog ftqCounts() {
    return ftqCounts;
  }

  /** How long each computation took, ticks included. */
  public LatencyLog computeTimes() {
    return computeTimes;
  }

  /** /proc and /sys view reads this CPU answered (PROCFS_ANSWER packets). */
  public long procfsAnswers() {
    return procfsAnswers;
  }

  /** Offloaded calls whose thread slept and was woken over IKC. */
  public long wakeUps() {
    return wakeUps;
  }

  /** Demand page faults its threads took. */
  /**
   * McKernel's performance-counter calls, on this CPU's counters: {@code pmc_init} clears them and stops
   * counting, {@code pmc_start} counts from now, {@code pmc_stop} adds what happened since the start,
   * {@code pmc_reset} clears them (and goes on counting if counting). A call counts from its start.
   */
  private void performanceCounters(long now, String name) {
    switch (name) {
      case "pmc_init" -> {
        java.util.Arrays.fill(pmc, 0);
        pmcBase = null;
      }
      case "pmc_start" -> {
        if (pmcBase == null) {
          pmcBase = totals(now);
        }
      }
      case "pmc_stop" -> {
        if (pmcBase != null) {
          long[] t = totals(now);
          for (int i = 0; i < pmc.length; i++) {
            pmc[i] += i == 0 ? mckernel.cycles(t[0] - pmcBase[0]) : t[i] - pmcBase[i];
          }
          pmcBase = null;
        }
      }
      case "pmc_reset" -> {
        java.util.Arrays.fill(pmc, 0);
        if (pmcBase != null) {
          pmcBase = totals(now);
        }
      }
      default -> throw new IllegalArgumentException("unknown performance-counter call " + name);
    }
  }

  /**
   * What McKernel learns from an offloaded call's result: a device file's descriptor, or that the
   * driver mapped device memory, which the thread's accesses now reach directly (no fault, no offload).
   */
  private void returned(SimContext ctx, McThread t, long result) {
    if (t == null) {
      return;
    }
    if (t.openingDevice && result >= 0) {
      deviceFds.computeIfAbsent(t.pid, k -> new java.util.TreeSet<>()).add((int) result);
    }
    if (t.mappingDevice != null && result >= 0) {
      cacheOf(t.pid).add(t.mappingDevice[0], t.mappingDevice[1]);
      ctx.send(processOfPid.applyAsInt(t.pid), hop, 0,
          new McProcess.MapDevice(t.mappingDevice[0], t.mappingDevice[1] - t.mappingDevice[0]));
    }
    t.openingDevice = false;
    t.mappingDevice = null;
  }

  /** What the counters count, as totals since time 0 (time for cycles). */
  private long[] totals(long now) {
    return new long[] {now, localCalls, offloadedCalls, pageFaults, packets, irqNs + tickNs};
  }

  /** The performance counters as the last {@code pmc_stop} left them, in {@link #PMC_EVENTS} order. */
  public long[] performanceCounters() {
    return pmc.clone();
  }

  public long pageFaults() {
    return pageFaults;
  }

  /** Time the oversubscription tick took from running threads, summed. */
  public long tickNs() {
    return tickNs;
  }

  /** Time interrupt handlers (IKC packets, wake-ups) took from running computations, summed. */
  public long irqNs() {
    return irqNs;
  }

  /** Time spent spinning on offloaded calls, summed. */
  public long spinNs() {
    return spinNs;
  }

  public IkcSender toLinux() {
    return toLinux;
  }
}
