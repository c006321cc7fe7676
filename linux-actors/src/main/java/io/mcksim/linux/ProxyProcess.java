package io.mcksim.linux;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.Signal;
import io.mcksim.config.LaunchCosts;
import io.mcksim.config.OffloadCosts;
import io.mcksim.config.RemoteFaultCosts;
import io.mcksim.config.SyscallCosts;
import io.mcksim.ikc.IkcPacket;
import io.mcksim.ikc.Offload;
import io.mcksim.workloads.FileDescriptors;
import io.mcksim.workloads.LinuxSyscalls;
import io.mcksim.workloads.ProcView;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The proxy process ({@code mcexec}) of one McKernel process: a pool of worker threads that run
 * offloaded system calls on Linux. A request mcctrl hands over goes to the lowest-numbered idle
 * worker, which wakes ({@code costs.offload.proxy-wakeup}), runs the call for its Linux service time
 * ({@code costs.syscall.linux}), and has mcctrl write the result into the waiting McKernel thread's
 * memory ({@code costs.offload.reply-write}). A worker does its work on a Linux CPU of the node (a
 * {@link LinuxService}), where it waits for the other workers that share that CPU, of this proxy and of
 * others, and where that CPU's noise preempts it. With every worker busy, requests queue (mcctrl's
 * per-process queue, kept here with the process's record) and a worker that finishes takes the next
 * at once, without going to sleep.
 *
 * <p>At time 0 (or, on a node that boots first, when the node's job runs mcexec: {@link Exec}) the proxy
 * of a launched program starts up ({@code costs.launch.mcexec}), has McKernel prepare the process and,
 * once acknowledged, schedule it on its CPUs ({@code costs.launch}).
 *
 * <p>The proxy mirrors the McKernel process's address space, but starts with none of it mapped. Before
 * a call runs, every page of its user buffer the proxy has not mapped yet is faulted in by mcctrl,
 * which first reads McKernel's page table: a page McKernel maps already ({@link Offload.PageTable}) is
 * mapped into the proxy at once ({@code remote-fault.map}, no IKC); only a page McKernel does not map
 * is a remote page fault: mcctrl asks McKernel, one page after another, and maps the same physical page
 * into the proxy ({@code costs.remote-fault}); a page is forwarded once. A page McKernel cannot resolve kills the
 * proxy with SIGBUS; from then on every request returns -ERESTARTSYS with the signal, and McKernel
 * kills the process.
 *
 * <p>The proxy keeps the descriptors the process opens (an open returns the lowest free one from 3).
 * An mmap McKernel forwards is a device file's: the driver maps the device memory for the proxy and
 * for McKernel, whose accesses then go straight to the device.
 * A read of a descriptor open on one of McKernel's /proc or /sys view files first gets its bytes from
 * McKernel through mcctrl (PROCFS_REQUEST and PROCFS_ANSWER over IKC), then copies them into the
 * buffer and returns their count.
 */
public final class ProxyProcess implements SimEntity {

  /** No such device: an mmap of a descriptor whose driver has no memory to map. */
  static final int ENODEV = 19;


  /** One call a worker serves, and the buffer pages it still has to fault in. */
  private static final class Work {
    final Offload.Dispatch request;
    /**
     * Which call of the proxy this is (counted from 1): a step's continuation names it, so that the
     * continuation of a step the Linux service failed (a crash, {@link LinuxService.Refused#held}) and
     * that still comes is not taken for a later call of the same thread.
     */
    final long call;
    /** The worker serving it. */
    int worker;
    long nextPage;
    final long endPage;
    /** For a read of a view file: the descriptor's open file, until McKernel has answered. */
    FileDescriptors.Open view;
    long ret;
    /** For a read of a pipe: the pipe, and whether the call has its result (bytes, end of file, -EINTR). */
    FileDescriptors.Pipe pipe;
    boolean pipeDone;

    Work(Offload.Dispatch request, long call) {
      this.request = request;
      this.call = call;
      IkcPacket p = request.request();
      long address = p.arg();
      // an open reads its path (one page); an mmap has no buffer; other calls touch their buffer
      long size = FileDescriptors.opens(p.number()) ? 1 : p.number() == FileDescriptors.MMAP ? 0 : p.arg2();
      this.nextPage = address > 0 && size > 0 ? address >>> 12 : 0;
      this.endPage = address > 0 && size > 0 ? (address + size - 1 >>> 12) + 1 : 0;
    }
  }

  /**
   * mcexec is run now, by the node's job once the node has booted: the proxy of a launched program starts
   * (see {@link #awaitExec}). Sent inside the node, never between JVMs.
   */
  public record Exec(int pid, int start) implements Fingerprinted {
    /** mcexec runs the program from its beginning. */
    public Exec(int pid) {
      this(pid, 0);
    }

    @Override
    public long fingerprint() {
      return pid ^ (long) start << 32;
    }
  }

  /**
   * A fault: mcexec is killed with SIGKILL. Its workers die with it: every call it held returns
   * -ERESTARTSYS with the signal, as does every later one; the release of its device has mcctrl send
   * McKernel CLEANUP_PROCESS, which destroys the process (every thread, whatever it is doing), and wait
   * for the answer (at most {@link Offload#RELEASE_WAIT_NS}); then its parent sees exit status 137.
   */
  public record Kill() implements Fingerprinted {
    @Override
    public long fingerprint() {
      return 0x5167L;
    }
  }

  /** To the parent that ran mcexec: process {@code pid} exited with {@code status} (128 + signal if killed). */
  public record Exited(int pid, int status) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return (long) pid << 16 ^ status;
    }
  }

  /** To the parent that ran mcexec: thread {@code tid} of process {@code pid} wrote a line to its stdout. */
  public record Output(int pid, int tid) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return (long) pid << 20 ^ tid;
    }
  }

  /** SIGKILL. */
  public static final int SIGKILL = 9;
  /** kill's number: McKernel's interrupt of an offloaded call (interrupt_syscall) comes as an offloaded kill. */
  static final int KILL = io.mcksim.workloads.LinuxSyscalls.number("kill");
  /** Interrupted system call: a read a signal interrupted. */
  static final int EINTR = 4;
  /** An I/O error: what a call the Linux service refused returns. */
  static final int EIO = 5;

  /** A step of call {@code call} of thread {@code tid} is done (the call's number is no part of its fingerprint). */
  private record Woke(int tid, long call) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return tid;
    }
  }

  /** A step of call {@code call} of thread {@code tid} is done (the call's number is no part of its fingerprint). */
  private record Mapped(int tid, long call) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return -tid;
    }
  }

  /** A step of call {@code call} of thread {@code tid} is done (the call's number is no part of its fingerprint). */
  private record Done(int tid, long call) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return tid + 1L << 32;
    }
  }

  private final int pid;
  private final int self;
  private final int mcctrl;
  private final int workers;
  private final OffloadCosts offload;
  private final RemoteFaultCosts faults;
  private final SyscallCosts syscalls;
  private final LaunchCosts launch;
  /** The McKernel CPUs of the program mcexec launches at time 0; empty for a fork's slot. */
  private final List<Integer> launchCpus;
  /** The Linux CPU (its {@link LinuxService} entity) each worker runs on. */
  private final java.util.function.IntUnaryOperator cpuOfWorker;
  private long launchedAt = -1;
  /** The program step the process starts from (mcexec's argument). */
  private int start;
  /** The entity that ran mcexec and waits for it (the job manager), or -1; how far away it is. */
  private int parent = -1;
  private long parentNs = 1;
  private boolean parentTold;
  /** Signals sent to mcexec from Linux at given virtual times ({@link #withSignals}). */
  private List<io.mcksim.workloads.Signals.Timed> signals = List.of();
  /** Whether the proxy waits for {@link Exec} instead of starting at time 0. */
  private boolean awaitExec;
  private int idle;
  /** Which workers are serving a call. */
  private final boolean[] busy;
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  /**
   * The call each worker serves, or null, and its thread id (a thread has at most one call offloaded at a
   * time): looked up by a scan of the tids, as a pool has a few dozen workers at most.
   */
  private final Work[] serving;
  private final int[] servingTid;
  /** Reads waiting on an empty pipe, first come first (made on first use). */
  private ArrayDeque<Work> pipeReaders;
  private long blockedReads;
  private long interrupts;
  /** Calls the workers took, counted; each {@link Work}'s number. */
  private long calls;
  /** Pages (address >> 12) this proxy has mapped. */
  private final Set<Long> mirror = new HashSet<>();
  /** What McKernel's page table of the process maps, as far as McKernel has told (made on first use). */
  private io.mcksim.workloads.PageRanges mckernelMapped;
  /** Buffer pages mirrored from McKernel's page table without a remote fault. */
  private long tableFaults;
  /** Descriptors the process opened through this proxy. */
  private final FileDescriptors fds = new FileDescriptors();
  private long viewReads;
  private long viewBytes;
  private int killedBy;
  /** Whether mcctrl's release handler waits for McKernel's answer to the dead proxy's clean-up. */
  private boolean releasing;
  /** Whether that wait ended by its timeout: McKernel never answered the clean-up. */
  private boolean releaseTimedOut;
  /** Whether mcexec has run; whether its process died before that (its watch is to be made again). */
  private boolean execed;
  private boolean watchLapsed;
  /** A planted bug, switched on by {@link #plantSilentWhenItsProcessDies} only. */
  private boolean plantedSilentWhenLost;
  private long asks;
  private long askOutcomes;
  private int parentPid;
  private int exitStatus = -1;
  private int exitSignal;
  private long exitTime = -1;
  private long served;
  private long queued;
  private long queueWaitNs;
  private long maxQueueWaitNs;
  private int maxQueueLength;
  private long remoteFaults;
  /** Its McKernel process's entity, watched, or -1; the watch's latency; whether the process died. */
  private int process = -1;
  private long processNs;
  private boolean processLost;
  private long relayed;
  private long acked;
  /** The number of the last call whose service time was looked up (none yet: -1), and that time. */
  private int lastCallNumber = -1;
  private long lastCallNs;

  /**
   * @param self    this proxy's entity id
   * @param mcctrl  mcctrl's entity id
   * @param workers the worker pool ({@code mcexec -t}); at least one
   * @param cpuOfWorker the {@link LinuxService} entity of the Linux CPU each worker runs on
   */
  public ProxyProcess(int pid, int self, int mcctrl, int workers, OffloadCosts offload,
      RemoteFaultCosts faults, SyscallCosts syscalls, LaunchCosts launch, List<Integer> launchCpus,
      java.util.function.IntUnaryOperator cpuOfWorker) {
    this.cpuOfWorker = cpuOfWorker;
    this.launch = launch;
    this.launchCpus = List.copyOf(launchCpus);
    if (workers < 1) {
      throw new IllegalArgumentException("mcexec -t: a proxy needs at least one worker thread, got "
          + workers);
    }
    this.pid = pid;
    this.self = self;
    this.mcctrl = mcctrl;
    this.workers = workers;
    this.idle = workers;
    this.busy = new boolean[workers];
    this.serving = new Work[workers];
    this.servingTid = new int[workers];
    this.offload = offload;
    this.faults = faults;
    this.syscalls = syscalls;
  }

  /**
   * The proxy starts when mcexec is run ({@link Exec}, from whoever runs the node's workload once the node
   * has booted) instead of at time 0. Call before the run.
   */
  public ProxyProcess awaitExec() {
    this.awaitExec = true;
    return this;
  }

  /**
   * The entity that runs mcexec and waits for it, {@code latencyNs} away: it learns the process's exit
   * status ({@link Exited}) and the lines its threads write to stdout ({@link Output}). Call before the run.
   */
  public ProxyProcess withParent(int entity, long latencyNs) {
    this.parent = entity;
    this.parentNs = Math.max(1, latencyNs);
    return this;
  }

  /**
   * mcexec watches its McKernel process, entity {@code entity} (the engine's deathwatch, {@code
   * latencyNs}): when the process dies with its kernel (a panic or hang of the instance), mcexec is
   * ended as the job's cleanup ends it, by SIGKILL (exit status 137), and every call it held fails. Call
   * before the run.
   */
  public ProxyProcess withProcess(int entity, long latencyNs) {
    this.process = entity;
    this.processNs = latencyNs;
    return this;
  }

  /**
   * Signals sent to mcexec from Linux at given virtual times (kill(1) by an operator or a batch system):
   * SIGKILL kills it ({@link Kill}); mcexec catches any other and relays it to its McKernel process
   * ({@link Offload.Signal}), whose default action then applies. Call before the run.
   */
  public ProxyProcess withSignals(List<io.mcksim.workloads.Signals.Timed> timed) {
    this.signals = List.copyOf(timed);
    return this;
  }

  @Override
  public void start(SimContext ctx) {
    if (process >= 0) {
      ctx.watch(process, processNs);
    }
    for (io.mcksim.workloads.Signals.Timed s : signals) {
      ctx.send(ctx.self(), Math.max(0, s.atNs() - ctx.now()), 0,
          s.signal() == SIGKILL ? new Kill() : new Offload.Signal(s.signal()));
    }
    if (!awaitExec) {
      exec(ctx);
    }
  }

  /** Whether its McKernel process died under it (with its kernel), which ended mcexec. */
  public boolean processLost() {
    return processLost;
  }

  /** mcexec starts up and asks McKernel for the process. */
  private void exec(SimContext ctx) {
    execed = true;
    if (!launchCpus.isEmpty()) {
      ctx.send(mcctrl, launch.mcexec(), 0, new Offload.Launch(pid, launchCpus));
    }
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (payload instanceof Exec x) {
      start = x.start();
      if (watchLapsed) {
        // the process slot's kernel died before mcexec ran: watch the incarnation mcexec runs on
        watchLapsed = false;
        ctx.watch(process, processNs);
      }
      exec(ctx);
    } else if (payload instanceof Kill) {
      killed(ctx);
    } else if (payload instanceof LinuxService.Refused r) {
      refused(ctx, r);
    } else if (payload instanceof Offload.Prepared) {
      if (killedBy != 0) {
        return;
      }
      ctx.send(mcctrl, launch.schedule(), 0, new Offload.Schedule(pid, launchCpus, start));
      launchedAt = ctx.now();
    } else if (payload instanceof Offload.Signal sig) {
      // mcexec relays signals sent to it to the McKernel process
      if (exitTime < 0 && killedBy == 0 && !launchCpus.isEmpty()) {
        ctx.send(mcctrl, faults.request(), 0, new Offload.RelaySignal(pid, sig.signal(), launchCpus.get(0)));
        relayed++;
      }
    } else if (payload instanceof Offload.SignalAcked) {
      acked++;
    } else if (payload instanceof Offload.Dispatch d && d.request().number() == KILL) {
      interrupt(ctx, (int) d.request().arg());
    } else if (payload instanceof Offload.Dispatch d) {
      if (killedBy != 0) {
        ctx.send(d.replyTo(), offload.replyWrite(), 0, new Offload.Return(d.request().tid(),
            Offload.ERESTARTSYS, killedBy));
      } else if (idle > 0) {
        idle--;
        start(ctx, d, idleWorker(), true);
      } else {
        queue.add(d);
        queue.add(ctx.now());
        queued++;
        maxQueueLength = Math.max(maxQueueLength, queue.size() / 2);
      }
    } else if (payload instanceof Woke w) {
      Work work = serving(w.tid(), w.call());
      if (work == null) {
        return; // the worker died with the proxy, or the service failed this step
      }
      IkcPacket p = work.request.request();
      FileDescriptors.Open view = p.number() == FileDescriptors.READ && p.ret() >= 0 ? fds.get(p.fd()) : null;
      if (view != null && view.isView()) {
        // mcctrl's read callback of a view file asks McKernel for the bytes
        work.view = view;
        onWorker(ctx, work, faults.request(), mcctrl, new Offload.ProcfsRequest(pid, w.tid(),
            p.cpu(), view.file().ordinal(), view.offset(), p.arg2(), self));
      } else {
        faultNextPage(ctx, work);
      }
    } else if (payload instanceof Offload.ProcfsAnswered a) {
      Work work = serving(a.tid());
      if (work == null) {
        return;
      }
      // the read returns what McKernel gave, or the error mcctrl's read callback met (the offset stays)
      work.ret = a.bytes();
      work.view.advance(Math.max(0, a.bytes()));
      viewReads++;
      viewBytes += Math.max(0, a.bytes());
      faultNextPage(ctx, work);
    } else if (payload instanceof Offload.FaultResolved f) {
      Work work = serving(f.tid());
      if (work == null) {
        return;
      }
      if (f.ok()) {
        mirror.add(f.address() >>> 12);
        onWorker(ctx, work, faults.map(), ctx.self(), new Mapped(f.tid(), work.call));
      } else {
        killedBy = Offload.SIGBUS;
        stopServing(f.tid());
        ctx.send(work.request.replyTo(), offload.replyWrite(), 0, new Offload.Return(f.tid(),
            Offload.ERESTARTSYS, killedBy));
        freeWorker(ctx, work.worker);
      }
    } else if (payload instanceof Mapped m) {
      Work work = serving(m.tid(), m.call());
      if (work != null) {
        faultNextPage(ctx, work);
      }
    } else if (payload instanceof Done done) {
      Work work = serving(done.tid(), done.call());
      if (work == null || waitsOnPipe(work)) {
        return;
      }
      serving[work.worker] = null;
      served++;
      if (parent >= 0 && work.request.request().number() == FileDescriptors.WRITE
          && work.request.request().fd() == 1) {
        ctx.send(parent, parentNs, 0, new Output(pid, done.tid()));
      }
      ctx.send(work.request.replyTo(), offload.replyWrite(), 0,
          new Offload.Return(done.tid(), result(ctx, work), 0));
      IkcPacket q = work.request.request();
      if (q.sleeps()) {
        // the result is written; the requester sleeps, so mcctrl wakes it over IKC
        ctx.send(mcctrl, offload.replyWrite(), 0, new Offload.WakeUp(q.pid(), q.tid(), q.cpu()));
      }
      freeWorker(ctx, work.worker);
    } else if (payload instanceof Offload.ProcessExited e) {
      endWorkers();
      exitStatus = e.status();
      exitSignal = e.signal();
      exitTime = ctx.now();
      if (!releasing) {
        tellParent(ctx, e.signal() != 0 ? 128 + e.signal() : e.status());
      }
    } else if (payload instanceof Offload.PageTable t) {
      pageTable(t);
    } else if (payload instanceof Offload.ProxyExeced) {
      mirror.clear();
      mckernelMapped = null;
    } else if (payload instanceof Offload.ProxyForked f) {
      parentPid = f.parentPid();
      fds.clear();
      killedBy = 0;
      mirror.clear();
      mckernelMapped = null;
      exitStatus = -1;
      exitSignal = 0;
      exitTime = -1;
    } else {
      throw new IllegalArgumentException("proxy of pid " + pid + " got an unknown message " + payload);
    }
  }

  /** SIGKILL: the workers die; every call held, and every later one, returns -ERESTARTSYS. */
  private void killed(SimContext ctx) {
    if (killedBy != 0 && exitTime >= 0) {
      return;
    }
    killedBy = SIGKILL;
    java.util.List<Work> held = new java.util.ArrayList<>();
    for (Work work : serving) {
      if (work != null) {
        held.add(work);
      }
    }
    held.sort(java.util.Comparator.comparingInt(w -> w.request.request().tid()));
    for (Work work : held) {
      ctx.send(work.request.replyTo(), offload.replyWrite(), 0, new Offload.Return(work.request.request().tid(),
          Offload.ERESTARTSYS, killedBy));
    }
    while (!queue.isEmpty()) {
      Offload.Dispatch next = (Offload.Dispatch) queue.poll();
      queue.poll();
      ctx.send(next.replyTo(), offload.replyWrite(), 0, new Offload.Return(next.request().tid(),
          Offload.ERESTARTSYS, killedBy));
    }
    endWorkers();
    // a process that died with its kernel needs no clean-up: mcctrl's notifier already freed its side
    boolean release = exitTime < 0 && !launchCpus.isEmpty() && !processLost;
    if (exitTime < 0) {
      exitSignal = SIGKILL;
      exitTime = ctx.now();
    }
    if (release && !releasing) {
      // the dead proxy's device is released: mcctrl's release handler has McKernel clean the process up
      // (CLEANUP_PROCESS) and waits for the answer; mcexec's exit is complete, and its parent told, when
      // the handler returns
      releasing = true;
      asks++;
      ctx.ask(mcctrl, faults.request(), 0, new Offload.Release(pid, launchCpus.get(0)), Offload.RELEASE_WAIT_NS);
    } else if (!releasing && !(processLost && plantedSilentWhenLost)) {
      tellParent(ctx, 128 + SIGKILL);
    }
  }

  /**
   * Plants a bug (chaos tests only): mcexec, ended by its watch when its process died with the kernel,
   * never exits, so its parent never reaps it.
   */
  public ProxyProcess plantSilentWhenItsProcessDies() {
    this.plantedSilentWhenLost = true;
    return this;
  }

  /**
   * The release handler returned: McKernel answered its CLEANUP_PROCESS, or the wait timed out (the
   * packet was lost, or McKernel is down) and the handler gave up (the driver's warning). mcexec's exit
   * completes.
   */
  @Override
  public void onSignal(SimContext ctx, Signal signal) {
    if (signal instanceof Signal.Terminated t) {
      // the watched process died with its kernel
      if (t.entity() == process && !execed) {
        watchLapsed = true; // not run yet: mcexec watches the process it runs on, when it runs
      } else if (t.entity() == process && exitTime < 0) {
        processLost = true;
        killed(ctx);
      }
      return;
    }
    if (!(signal instanceof Signal.AskOutcome)) {
      throw new IllegalArgumentException("proxy of pid " + pid + " got an unexpected " + signal);
    }
    askOutcomes++;
    if (!releasing) {
      return; // a second outcome of one ask: counted, for the checkers ({@link #askOutcomes})
    }
    releasing = false;
    if (!(signal instanceof Signal.Answered)) {
      releaseTimedOut = true;
    }
    tellParent(ctx, 128 + SIGKILL);
  }

  /** The Linux service refused a stage of a call: the call fails with EIO, the worker goes on. */
  private void refused(SimContext ctx, LinuxService.Refused r) {
    Work work = r.then() instanceof Done d ? serving(d.tid(), d.call())
        : r.then() instanceof Woke w ? serving(w.tid(), w.call())
        : r.then() instanceof Mapped m ? serving(m.tid(), m.call()) : null;
    if (work == null) {
      return;
    }
    int tid = work.request.request().tid();
    serving[work.worker] = null;
    ctx.send(work.request.replyTo(), offload.replyWrite(), 0, new Offload.Return(tid, -EIO, 0));
    IkcPacket q = work.request.request();
    if (q.sleeps()) {
      ctx.send(mcctrl, offload.replyWrite(), 0, new Offload.WakeUp(q.pid(), q.tid(), q.cpu()));
    }
    freeWorker(ctx, work.worker);
  }

  /**
   * Whether the call, about to return, is a read of an empty pipe that still has a writer: then its
   * worker waits in Linux's read, held, until a write (or the write end's close) gives it bytes or a
   * signal interrupts it. A read that finds bytes takes what it asked for, at most what the pipe holds.
   */
  private boolean waitsOnPipe(Work work) {
    IkcPacket p = work.request.request();
    if (work.pipeDone || p.number() != FileDescriptors.READ || p.ret() < 0) {
      return false;
    }
    FileDescriptors.Open end = fds.get(p.fd());
    FileDescriptors.Pipe pipe = end == null ? null : end.pipeToRead();
    if (pipe == null) {
      return false;
    }
    if (pipe.buffered() > 0 || !pipe.writable()) {
      work.ret = pipe.read(p.arg2());
      return false;
    }
    work.pipe = pipe;
    if (pipeReaders == null) {
      pipeReaders = new ArrayDeque<>();
    }
    pipeReaders.add(work);
    blockedReads++;
    return true;
  }

  /**
   * A write to a pipe, or the close of its write end, is done: the readers waiting on it, first come
   * first, take its bytes (or, once no writer is left, the end of file) and are woken.
   */
  private void feedPipe(SimContext ctx, FileDescriptors.Pipe pipe) {
    if (pipeReaders == null) {
      return;
    }
    for (java.util.Iterator<Work> it = pipeReaders.iterator(); it.hasNext(); ) {
      Work reader = it.next();
      if (reader.pipe != pipe || (pipe.buffered() == 0 && pipe.writable())) {
        continue;
      }
      it.remove();
      reader.ret = pipe.read(reader.request.request().arg2());
      wakeReader(ctx, reader);
    }
  }

  /** A waiting reader has its result: its worker wakes and the call returns. */
  private void wakeReader(SimContext ctx, Work reader) {
    reader.pipeDone = true;
    ctx.send(ctx.self(), offload.proxyWakeup(), 0, new Done(reader.request.request().tid(), reader.call));
  }

  /**
   * McKernel interrupts the offloaded call of thread {@code tid}, which a signal with a handler reached
   * (interrupt_syscall: an offloaded kill of the thread with signal 0, which mcexec turns into its local
   * signal to the worker serving it, kill_thread): a worker waiting in a pipe's read returns -EINTR. A
   * call that is not waiting runs to its end. The interrupt takes no worker of its own and is not answered.
   */
  private void interrupt(SimContext ctx, int tid) {
    interrupts++;
    if (pipeReaders == null) {
      return;
    }
    for (java.util.Iterator<Work> it = pipeReaders.iterator(); it.hasNext(); ) {
      Work reader = it.next();
      if (reader.request.request().tid() == tid) {
        it.remove();
        reader.ret = -EINTR;
        wakeReader(ctx, reader);
        return;
      }
    }
  }

  /**
   * The McKernel process has exited: mcexec exits too, and {@code exit_group} ends every thread of it.
   * Each worker still serving a call ends with it, whether it waits on a pipe, for McKernel's answer to
   * a remote fault or a view read (the fatal signal aborts mcctrl's {@code wait_event_interruptible},
   * and an answer that comes later finds no waiter: {@code mcctrl_ikc_send_wait} in {@code ikc.c}), or
   * runs on a Linux CPU, whose result then comes back to nobody. Requests still queued for a worker are
   * never taken: their threads are gone.
   */
  private void endWorkers() {
    pipeReaders = null;
    java.util.Arrays.fill(serving, null);
    java.util.Arrays.fill(busy, false);
    queue.clear();
    idle = workers;
  }

  /** The call thread {@code tid} has a worker on, if it is call {@code call}; else null. */
  private Work serving(int tid, long call) {
    Work work = serving(tid);
    return work != null && work.call == call ? work : null;
  }

  /** The parent learns the exit status, once. */
  private void tellParent(SimContext ctx, int status) {
    if (parent >= 0 && !parentTold) {
      parentTold = true;
      ctx.send(parent, parentNs, 0, new Exited(pid, status));
    }
  }

  /** Worker {@code worker} takes request {@code d}, waking first unless it was awake already. */
  private void start(SimContext ctx, Offload.Dispatch d, int worker, boolean wake) {
    Work work = new Work(d, ++calls);
    work.worker = worker;
    busy[worker] = true;
    serving[worker] = work;
    servingTid[worker] = d.request().tid();
    long wakeNs = (wake ? offload.proxyWakeup() : 0) + mirrorFromPageTable(work);
    if (needsNothingFromMcKernel(work)) {
      // nothing to ask McKernel for first: the woken worker runs the call at once, without giving up
      // its CPU in between
      onWorker(ctx, work, wakeNs + linuxNs(d.request().number()), ctx.self(),
          new Done(d.request().tid(), work.call));
    } else if (wakeNs > 0) {
      onWorker(ctx, work, wakeNs, ctx.self(), new Woke(d.request().tid(), work.call));
    } else {
      ctx.send(ctx.self(), 0, 0, new Woke(d.request().tid(), work.call));
    }
  }

  /**
   * mcctrl's fault handler finds the buffer's pages that McKernel maps already in its page table and maps
   * them into the proxy, each at {@code remote-fault.map} on the worker's CPU: the time it takes.
   */
  private long mirrorFromPageTable(Work work) {
    if (mckernelMapped == null) {
      return 0;
    }
    long mapped = 0;
    for (long page = work.nextPage; page < work.endPage; page++) {
      if (!mirror.contains(page) && mckernelMapped.contains(page << 12)) {
        mirror.add(page);
        mapped++;
      }
    }
    tableFaults += mapped;
    return mapped * faults.map();
  }

  /** McKernel's page table maps [start, end) now, or no longer (and the proxy's mapping of it is cleared). */
  private void pageTable(Offload.PageTable t) {
    if (mckernelMapped == null) {
      mckernelMapped = new io.mcksim.workloads.PageRanges();
    }
    if (t.mapped()) {
      mckernelMapped.add(t.start(), t.end());
    } else {
      mckernelMapped.remove(t.start(), t.end());
      long first = t.start() >>> 12;
      long end = (t.end() + 4095) >>> 12;
      mirror.removeIf(page -> page >= first && page < end);
    }
  }

  /** The call thread {@code tid} has in service, or null. */
  private Work serving(int tid) {
    for (int w = 0; w < serving.length; w++) {
      if (servingTid[w] == tid && serving[w] != null) {
        return serving[w];
      }
    }
    return null;
  }

  /** The call thread {@code tid} has in service, now no longer served; null if none. */
  private Work stopServing(int tid) {
    for (int w = 0; w < serving.length; w++) {
      if (servingTid[w] == tid && serving[w] != null) {
        Work work = serving[w];
        serving[w] = null;
        return work;
      }
    }
    return null;
  }

  private static final int PERF_EVENT_OPEN = LinuxSyscalls.number("perf_event_open");

  /** Whether a request's call needs neither a /proc or /sys view from McKernel nor a remote page fault. */
  private boolean needsNothingFromMcKernel(Work work) {
    IkcPacket p = work.request.request();
    if (p.number() == FileDescriptors.READ && p.ret() >= 0) {
      FileDescriptors.Open file = fds.get(p.fd());
      if (file != null && file.isView()) {
        return false;
      }
    }
    for (long page = work.nextPage; page < work.endPage; page++) {
      if (!mirror.contains(page)) {
        return false;
      }
    }
    return true;
  }

  private int idleWorker() {
    for (int w = 0; w < workers; w++) {
      if (!busy[w]) {
        return w;
      }
    }
    throw new IllegalStateException("proxy of pid " + pid + ": no idle worker, though " + idle + " counted");
  }

  /**
   * Faults in the next buffer page the proxy lacks, or runs the call when there is none; pages McKernel's
   * page table maps on the way are mirrored at a local fault's cost first.
   */
  private void faultNextPage(SimContext ctx, Work work) {
    long tableNs = 0;
    while (work.nextPage < work.endPage) {
      if (!mirror.contains(work.nextPage)) {
        if (mckernelMapped == null || !mckernelMapped.contains(work.nextPage << 12)) {
          break;
        }
        mirror.add(work.nextPage);
        tableFaults++;
        tableNs += faults.map();
      }
      work.nextPage++;
    }
    int tid = work.request.request().tid();
    if (work.nextPage < work.endPage) {
      long page = work.nextPage++;
      remoteFaults++;
      onWorker(ctx, work, tableNs + faults.request(), mcctrl, new Offload.FaultRequest(pid, tid,
          work.request.request().cpu(), page << 12, self));
      return;
    }
    onWorker(ctx, work, tableNs + linuxNs(work.request.request().number()), ctx.self(), new Done(tid, work.call));
  }

  /**
   * What the call returns: an open, the lowest free descriptor (remembered, with the view file it
   * names if any); a read of a view file, the bytes McKernel gave; anything else 0. A call known to
   * fail (its request carries the error, negated, as its result) returns it and changes nothing.
   */
  private long result(SimContext ctx, Work work) {
    IkcPacket p = work.request.request();
    if (p.ret() < 0) {
      return p.ret();
    }
    if (FileDescriptors.opens(p.number())) {
      return p.arg2() == FileDescriptors.DEVICE ? fds.openDevice() : fds.open(ProcView.File.ofId(p.arg2()));
    }
    if (p.number() == PERF_EVENT_OPEN) {
      return fds.open(ProcView.File.NONE); // McKernel's perf_event_open has mcexec hold the descriptor's number
    }
    if (p.number() == FileDescriptors.MMAP) {
      FileDescriptors.Open f = fds.get(p.fd());
      if (f == null || !f.device()) {
        return -ENODEV;
      }
      // the driver mapped the device's memory into the proxy too: its calls reach it without faults
      for (long page = p.arg() >>> 12; page < (p.arg() + p.arg2() + 4095) >>> 12; page++) {
        mirror.add(page);
      }
      return p.arg();
    }
    if (FileDescriptors.makesPipe(p.number())) {
      return fds.openPipe() != null ? 0 : -FileDescriptors.EMFILE;
    }
    FileDescriptors.Open file = fds.get(p.fd());
    FileDescriptors.Pipe written = file == null ? null : file.pipeToWrite();
    if (p.number() == FileDescriptors.CLOSE) {
      fds.close(p.fd());
    }
    if (written != null && p.number() == FileDescriptors.WRITE) {
      written.write(p.arg2());
      work.ret = p.arg2();
    }
    if (written != null) {
      feedPipe(ctx, written);
    }
    return work.ret;
  }

  /**
   * Linux's service time of the call numbered {@code number} ({@code costs.syscall.linux}). The last
   * call's is kept: a proxy serves runs of one call (a BSP rank's threads each write once per
   * iteration), and the name and cost need not be looked up for each.
   */
  private long linuxNs(int number) {
    if (number != lastCallNumber) {
      lastCallNs = syscalls.linux(LinuxSyscalls.name(number));
      lastCallNumber = number;
    }
    return lastCallNs;
  }

  /**
   * {@code ns} of the work of {@code work}'s worker, on its Linux CPU; then {@code then} goes to
   * {@code target}. Work too short to cross to the CPU first is done in place.
   */
  private void onWorker(SimContext ctx, Work work, long ns, int target, Object then) {
    if (ns > LinuxService.HOP) {
      ctx.send(cpuOfWorker.applyAsInt(work.worker), LinuxService.HOP, 0,
          new LinuxService.Job(ns, target, then));
    } else {
      ctx.send(target, ns, 0, then);
    }
  }

  private void freeWorker(SimContext ctx, int worker) {
    busy[worker] = false;
    while (!queue.isEmpty()) {
      Offload.Dispatch next = (Offload.Dispatch) queue.poll();
      long wait = ctx.now() - (Long) queue.poll();
      queueWaitNs += wait;
      maxQueueWaitNs = Math.max(maxQueueWaitNs, wait);
      if (killedBy != 0) {
        ctx.send(next.replyTo(), offload.replyWrite(), 0, new Offload.Return(next.request().tid(),
            Offload.ERESTARTSYS, killedBy));
        continue;
      }
      start(ctx, next, worker, false);
      return;
    }
    idle++;
  }

  public int pid() {
    return pid;
  }

  public int workers() {
    return workers;
  }

  public long served() {
    return served;
  }

  /** Requests that found every worker busy. */
  public long queued() {
    return queued;
  }

  /** Time queued requests waited for a worker, summed. */
  public long queueWaitNs() {
    return queueWaitNs;
  }

  public long maxQueueWaitNs() {
    return maxQueueWaitNs;
  }

  public int maxQueueLength() {
    return maxQueueLength;
  }

  /** Buffer pages mcctrl mirrored from McKernel's page table, without a remote fault. */
  public long pageTableFaults() {
    return tableFaults;
  }

  /** Remote page faults this proxy caused (pages forwarded, or refused): pages McKernel did not map. */
  public long remoteFaults() {
    return remoteFaults;
  }

  /** Reads of McKernel's /proc and /sys view files this proxy served. */
  public long viewReads() {
    return viewReads;
  }

  /** Bytes those reads returned. */
  public long viewBytes() {
    return viewBytes;
  }

  /** The descriptors open through this proxy, lowest first. */
  public java.util.Set<Integer> openFds() {
    return fds.fds();
  }

  /** The exit status the launcher sees, or -1 while the process runs (or died of a signal). */
  public int exitStatus() {
    return exitStatus;
  }

  /** The signal the process died of, or 0. */
  public int exitSignal() {
    return exitSignal;
  }

  /** When the process exited, or -1. */
  public long exitTime() {
    return exitTime;
  }

  /** When McKernel acknowledged the prepared process, or -1. */
  public long preparedAt() {
    return launchedAt;
  }

  /** For a forked child: the parent's pid; 0 for a process mcexec launched. */
  public int parentPid() {
    return parentPid;
  }

  /** Reads that waited on an empty pipe, holding their worker. */
  public long blockedReads() {
    return blockedReads;
  }

  /** Workers waiting in a pipe's read now. */
  public int workersWaitingOnPipes() {
    return pipeReaders == null ? 0 : pipeReaders.size();
  }

  /** Idle workers now (a worker waiting in a read is not idle). */
  public int idleWorkers() {
    return idle;
  }

  /** McKernel's interrupts of offloaded calls (interrupt_syscall) that reached this proxy. */
  public long interrupts() {
    return interrupts;
  }

  /** Signals relayed to McKernel, and acknowledged by it. */
  public long signalsRelayed() {
    return relayed;
  }

  public long signalsAcked() {
    return acked;
  }

  /**
   * Whether mcctrl's release handler gave up waiting for McKernel's answer to this dead proxy's
   * CLEANUP_PROCESS (the driver's "failed to send IKC msg" warning): McKernel may never have learnt
   * that the proxy is gone.
   */
  /** Asks this proxy made (its release handler's, {@link Offload.Release}). */
  public long asks() {
    return asks;
  }

  /** Outcomes of its asks it was given: the answer, the timeout or mcctrl's death, one per ask. */
  public long askOutcomes() {
    return askOutcomes;
  }

  public boolean releaseTimedOut() {
    return releaseTimedOut;
  }

  /** The signal that killed the proxy, or 0. */
  public int killedBy() {
    return killedBy;
  }
}
