package io.mcksim.mckernel;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.RunAhead;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.ikc.Offload;
import io.mcksim.mckernel.McKernelCpu.McThread;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.Program;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The threads of one McKernel CPU and the running one's operations. Threads wait here until mcexec's
 * launch reaches this CPU ({@link #launch}), then join the run queue; the CPU runs them one at a time,
 * cooperatively: a thread runs until it exits, yields ({@code sched_yield}) or sleeps in an offloaded
 * call, then the next starts. The running thread's operation is in one of a few phases, each ended by
 * the CPU's next step or by the message it waits for: computing and FTQ (with the {@link CpuClock}),
 * local calls, offloaded calls (with the {@link OffloadClient}), touches (with {@link AddressSpaces}),
 * clone, fork and exec.
 *
 * <p>A new thread or a forked child goes where McKernel's clone would put it ({@link #placeNew}).
 *
 * <p>The run queue's first thread is a field of its own, and the threads behind it a queue made on
 * first use: a CPU with one thread (a BSP rank's, say) queues it each time it becomes runnable and needs
 * no collection for that. The lists of threads are made on first use; the list of threads waiting for
 * their launch goes once they have all launched.
 */
final class ThreadExecution {

  /** What the running thread is doing. */
  enum Phase { RUN, LOCAL_CALL, MARSHAL, SPIN, FORK, TOUCH, EXEC, RESUME, FORWARD, AWAY, REPLY }

  /** A thread (cloned, or a forked child's) another CPU placed here. */
  record Placed(McThread thread) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return thread.tid * 13L;
    }
  }

  private final McKernelCpu cpu;
  /** Entity ids of the instance's McKernel CPUs, by McKernel number (null: this CPU only). */
  private final int[] cpuEntities;
  /** Threads each McKernel CPU starts with, by McKernel number. */
  private final int[] initialLoad;
  /** Threads this CPU has placed on each McKernel CPU, by McKernel number (null: none yet). */
  private int[] placed;
  /** Threads of programs mcexec has not had scheduled yet. */
  private List<McThread> unlaunched;
  /** The run queue: its first thread (null: the queue is empty), and the threads behind it, in order. */
  private McThread firstQueued;
  private ArrayDeque<McThread> queuedBehind;
  /** Threads forked children and clones started here. */
  private List<McThread> spawned;
  /** Threads sleeping in a futex wait, off the CPU, by tid (made on first use). */
  private TreeMap<Integer, McThread> parked;
  /** Threads killed by a signal, whose late replies are void. */
  private Set<Integer> killed;
  private int spawnCounter;
  /** Where the child of the fork under way goes. */
  private int forkTarget;

  private McThread current;
  private Phase phase = Phase.RUN;
  /** The call under way: its name, when it was issued, and the call. */
  private String callName;
  private long callStart;
  private Op.Syscall call;

  ThreadExecution(McKernelCpu cpu, List<McThread> threads, int[] cpuEntities, int[] initialLoad) {
    this.cpu = cpu;
    this.cpuEntities = cpuEntities;
    this.initialLoad = initialLoad;
    if (!threads.isEmpty()) {
      unlaunched = new ArrayList<>(threads);
    }
  }

  /** The running thread, or null. */
  McThread running() {
    return current;
  }

  /** Whether a thread waits on the run queue. */
  private boolean queued() {
    return firstQueued != null;
  }

  /** How many threads wait on the run queue. */
  private int queuedCount() {
    return firstQueued == null ? 0 : 1 + (queuedBehind == null ? 0 : queuedBehind.size());
  }

  /** Whether a thread waits on the run queue (for the CPU's face). */
  boolean hasQueued() {
    return queued();
  }

  /** The threads on the run queue, first first (a copy). */
  java.util.List<McThread> queuedThreads() {
    if (firstQueued == null) {
      return java.util.List.of();
    }
    List<McThread> all = new ArrayList<>(queuedCount());
    all.add(firstQueued);
    if (queuedBehind != null) {
      all.addAll(queuedBehind);
    }
    return java.util.Collections.unmodifiableList(all);
  }

  /** The next thread on the run queue, off it; null if none. */
  private McThread nextRunnable() {
    McThread next = firstQueued;
    if (next != null) {
      firstQueued = queuedBehind == null ? null : queuedBehind.poll();
    }
    return next;
  }

  private void enqueue(McThread t) {
    if (firstQueued == null) {
      firstQueued = t;
      return;
    }
    if (queuedBehind == null) {
      queuedBehind = new ArrayDeque<>(1);
    }
    queuedBehind.add(t);
  }

  /** The CPU starts: it runs the first runnable thread, if any. */
  void start(SimContext ctx) {
    if (queued()) {
      current = nextRunnable();
      cpu.clock.stepAfter(ctx, 0);
    }
  }

  /**
   * mcexec's SCHEDULE_PROCESS reached this CPU: the process's threads here may run, from the
   * {@code start}-th top-level step of their program on (0: from the beginning; a restarted application
   * skips what its checkpoint covers).
   */
  void launch(SimContext ctx, int pid, int start) {
    if (unlaunched != null) {
      for (Iterator<McThread> it = unlaunched.iterator(); it.hasNext(); ) {
        McThread t = it.next();
        if (t.pid == pid) {
          it.remove();
          t.startAt(start);
          enqueue(t);
        }
      }
      if (unlaunched.isEmpty()) {
        unlaunched = null;
      }
    }
    runNextOrTick(ctx);
  }

  /** Another CPU placed a thread here. */
  void onPlaced(SimContext ctx, Placed p) {
    spawned().add(p.thread());
    enqueue(p.thread());
    runNextOrTick(ctx);
  }

  /** A thread that slept in an offloaded call has its result: it joins the run queue to resume. */
  void woken(SimContext ctx, McThread t) {
    t.awaitingResume = true;
    enqueue(t);
    runNextOrTick(ctx);
  }

  /**
   * Threads joined the run queue: an idle CPU runs the first of them; a busy one starts its tick, now
   * that more than one thread is runnable.
   */
  private void runNextOrTick(SimContext ctx) {
    if (current == null && queued()) {
      current = nextRunnable();
      phase = Phase.RUN;
      run(ctx);
    } else if (queued()) {
      cpu.clock.oversubscribed(ctx);
    }
  }

  /** The CPU's step (event word {@code word}) came: the phase it ends is over. */
  void onStep(SimContext ctx, long word) {
    if (!cpu.clock.due(word)) {
      return;
    }
    switch (phase) {
      case LOCAL_CALL, RESUME -> {
        if (current.toLinux != null && toLinux(ctx)) {
          return; // the handler's next request goes to Linux
        }
        cpu.counters.latency(callName, ctx.now() - callStart);
        phase = Phase.RUN;
        if (callName.equals("sched_yield") && queued()) {
          // cooperative: the CPU goes to the next runnable thread, this one to the back
          enqueue(current);
          current = nextRunnable();
        }
        run(ctx);
      }
      case FORWARD -> {
        // the call leaves for a Linux CPU; the thread holds this CPU until it is back
        ctx.send(cpu.linuxCpuOf(), 1, 0, new Offload.Run(forwarded.linuxNs(), ctx.self(), current.tid));
        phase = Phase.AWAY;
      }
      case MARSHAL -> {
        cpu.offloadClient.send(ctx, call, current, queued());
        if (current.interruptOffload) {
          current.interruptOffload = false;
          cpu.offloadClient.interrupt(ctx, current);
        }
        if (!queued()) {
          phase = Phase.SPIN;
        } else {
          // another thread can run: the caller sleeps instead of spinning, and Linux will wake it
          cpu.offloadClient.sleep(current, callName, callStart);
          current = nextRunnable();
          phase = Phase.RUN;
          run(ctx);
        }
      }
      case RUN -> {
        cpu.clock.stepped(ctx.now());
        run(ctx);
      }
      default -> throw new IllegalStateException("McKernel CPU " + cpu.index + ": step while " + phase);
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
        if (current.localResume) {
          // a call McKernel handles here that slept (a futex wait): its cost, now that it is done
          current.localResume = false;
          phase = Phase.LOCAL_CALL;
          cpu.clock.stepAfter(ctx, inKernel(ctx, cpu.syscalls.local(callName)));
        } else {
          resume(ctx);
        }
        return;
      }
      op = current.next();
      if (op != null && !(op instanceof Op.Exit)) {
        break;
      }
      current.exitStatus = op == null ? Program.IMPLICIT_EXIT_STATUS : ((Op.Exit) op).status();
      current.exitTime = ctx.now();
      if (op != null && ((Op.Exit) op).group()) {
        // exit_group: the process ends with this status, its other threads killed wherever they are
        cpu.toProcess(ctx, current.pid, new McProcess.ExitGroup(current.tid, current.exitStatus));
      }
      cpu.toProcess(ctx, current.pid, new McProcess.ThreadExited(current.tid, current.exitStatus, 0));
      current = nextRunnable();
      if (current == null) {
        return;
      }
    }
    if (op instanceof Op.Compute c) {
      cpu.clock.compute(ctx, c.ns(), queued(), current.computesNext() ? computations() : null);
    } else if (op instanceof Op.Quantum q) {
      cpu.clock.compute(ctx, cpu.quantum(current, q), queued());
    } else if (op instanceof Op.Collective) {
      collective(ctx);
    } else if (op instanceof Op.FixedTime f) {
      cpu.clock.stepAfter(ctx, cpu.clock.fixedTime(ctx.now(), f, queued()));
    } else if (op instanceof Op.Syscall s) {
      syscall(ctx, s);
    } else if (op instanceof Op.Touch t) {
      if (cpu.addressSpaces.touch(ctx, current, t)) {
        cpu.clock.stepAfter(ctx, 0); // mapped: the access costs nothing beyond the computation around it
      } else {
        phase = Phase.TOUCH;
      }
    } else if (op instanceof Op.SpawnThread st) {
      spawnThread(ctx, st);
    } else if (op instanceof Op.Exec x) {
      exec(ctx, x);
    } else if (op instanceof Op.Fork f) {
      fork(ctx, f);
    } else if (op instanceof Op.Futex f) {
      futex(ctx, f);
    } else if (op instanceof Op.Kill k) {
      sendSignal(ctx, "kill", killTarget(k), 0, k.signal());
    } else if (op instanceof Op.Tgkill k) {
      sendSignal(ctx, "tgkill", current.pid, tgkillTarget(k), k.signal());
    } else if (op instanceof Op.SigAction a) {
      cpu.toProcess(ctx, current.pid, new McProcess.SetAction(a));
      CallRoute route = cpu.route(current, RT_SIGACTION);
      localCall(ctx, "rt_sigaction", route instanceof CallRoute.Local l ? l : NO_LINUX);
    } else {
      throw new UnsupportedOperationException("McKernel CPU " + cpu.index + ": "
          + op.getClass().getSimpleName() + " operations are not modelled yet (thread " + current.tid
          + " of pid " + current.pid + ")");
    }
  }

  /** The running thread's loop of computations, made on first use. */
  private Computations computations;

  private Computations computations() {
    if (computations == null) {
      computations = new Computations();
    }
    return computations;
  }

  /**
   * The running thread's computations, one after another, taken in closed form while nothing else
   * reaches the CPU ({@link RunAhead}): each step logs the computation it ends and begins the next,
   * exactly as {@link #onStep} and {@link #run} do for a thread that computes again (the thread, its
   * phase and the run queue cannot change without another event). The stretch declines the step after
   * which the thread does anything but compute.
   */
  private final class Computations implements RunAhead {
    @Override
    public long time() {
      return cpu.clock.plannedEnd();
    }

    @Override
    public long data() {
      return cpu.clock.plannedWord();
    }

    @Override
    public Object payload() {
      return null;
    }

    @Override
    public boolean take() {
      long now = cpu.clock.plannedEnd();
      cpu.health.handledStep();
      cpu.clock.computeNext(now, ((Op.Compute) current.next()).ns(), queued());
      return current.computesNext();
    }

    @Override
    public long endBound() {
      return cpu.clock.plannedEnd() + current.computeAhead();
    }

    /**
     * A repeat of one computation, while no other thread is runnable (so no tick stretches them): every
     * step but the repeat's last (after which the thread may do something else) at once.
     */
    @Override
    public long takeRun(long until, Taken taken) {
      long repeats = current.computeRepeats();
      if (repeats < 2 || queued()) {
        return 0;
      }
      long n = cpu.clock.computeRun(until, current.repeatedCompute().ns(), repeats - 1, taken);
      cpu.health.handledSteps(n);
      current.skipRepeats(n);
      return n;
    }
  }

  /**
   * The end of a BSP superstep: the thread waits off the CPU for its rank's release, and the next
   * runnable thread runs meanwhile.
   */
  private void collective(SimContext ctx) {
    if (cpu.member() == null) {
      throw new IllegalStateException("McKernel CPU " + cpu.index + ": thread " + current.tid
          + " runs a collective but belongs to no BSP application");
    }
    McThread waiting = current;
    current = nextRunnable();
    cpu.member().arrive(ctx, waiting);
    if (current != null) {
      phase = Phase.RUN;
      run(ctx);
    }
  }

  /** The rank of a thread that waited in its collective released it: it joins the run queue. */
  void released(SimContext ctx, McThread t) {
    enqueue(t);
    runNextOrTick(ctx);
  }

  /**
   * A system call: McKernel handles it here ({@code costs.syscall.local}), or the thread marshals it
   * for Linux ({@code marshal}, {@code ikc-enqueue}). A device file's memory is mapped by its Linux
   * driver: such an mmap goes to the proxy.
   */
  private void syscall(SimContext ctx, Op.Syscall s) {
    call = s;
    callName = s.name();
    callStart = ctx.now();
    boolean deviceMap = cpu.offloadClient.prepare(current, s);
    CallRoute route = deviceMap ? new CallRoute.Offloaded() : cpu.route(current, s);
    if (linuxGone && route instanceof CallRoute.Forwarded f) {
      route = new CallRoute.Failed(f.outNs()); // the kernel knows Linux is gone: the call fails here
    }
    if (route instanceof CallRoute.Local local) {
      // McKernel's pmc_* handlers drive the counters (a table without them sends the calls to Linux)
      boolean counter = s.name().startsWith("pmc_");
      if (counter) {
        cpu.counters.performanceCounters(ctx.now(), s.name());
      }
      cpu.counters.localCalls += counter ? 0 : 1;
      cpu.addressSpaces.localCall(ctx, current.pid, s);
      localCall(ctx, s.name(), local);
    } else if (route instanceof CallRoute.Offloaded) {
      cpu.counters.offloadedCalls++;
      phase = Phase.MARSHAL;
      cpu.clock.stepAfter(ctx, inKernel(ctx, cpu.offload.marshal() + cpu.offload.ikcEnqueue()));
    } else if (route instanceof CallRoute.Forwarded f) {
      cpu.counters.offloadedCalls++;
      forwarded = f;
      phase = Phase.FORWARD;
      cpu.clock.stepAfter(ctx, inKernel(ctx, f.outNs()));
    } else {
      cpu.counters.failedCall();
      phase = Phase.LOCAL_CALL;
      cpu.clock.stepAfter(ctx, inKernel(ctx, ((CallRoute.Failed) route).ns()));
    }
  }

  /** The call a thread forwards to a Linux CPU, while it is under way. */
  private CallRoute.Forwarded forwarded;

  /** Whether the Linux that forwarded calls go to is gone ({@link McKernelCpu.LinuxGone}). */
  private boolean linuxGone;

  /**
   * The Linux forwarded calls go to is gone: from now on they fail here, and the one under way (if any)
   * fails now, its thread coming back to this CPU.
   */
  void onLinuxGone(SimContext ctx) {
    linuxGone = true;
    if (phase == Phase.AWAY) {
      cpu.counters.failedCall();
      phase = Phase.RESUME;
      cpu.clock.stepAfter(ctx, inKernel(ctx, forwarded.backNs()));
    }
  }

  /** The forwarded call is done on Linux: the thread comes back to this CPU. */
  void onRan(SimContext ctx, Offload.Ran r) {
    if (linuxGone && phase != Phase.AWAY) {
      return; // the end of a call the kernel already failed: nobody waits for it
    }
    if (phase != Phase.AWAY || current == null || current.tid != r.tid()) {
      throw new IllegalStateException("McKernel CPU " + cpu.index + " got a forwarded call's end for thread "
          + r.tid() + " it does not wait for");
    }
    phase = Phase.RESUME;
    cpu.clock.stepAfter(ctx, inKernel(ctx, forwarded.backNs()));
  }

  /** rt_sigaction as {@link Op.SigAction} makes it: installing an action. */
  private static final Op.Syscall RT_SIGACTION = new Op.Syscall("rt_sigaction");

  /** A local call that asks Linux nothing. */
  private static final CallRoute.Local NO_LINUX = new CallRoute.Local();

  /**
   * A call McKernel handles here, at its local cost ({@code costs.syscall.local}); if its handler also
   * asks Linux ({@code route.toLinux()}), each request then makes the round trip an offloaded call
   * makes ({@link #toLinux}), and the call returns after the last.
   */
  private void localCall(SimContext ctx, String name, CallRoute.Local route) {
    callName = name;
    callStart = ctx.now();
    current.toLinux = route.toLinux().isEmpty() ? null : route.toLinux();
    current.toLinuxSent = 0;
    phase = Phase.LOCAL_CALL;
    cpu.clock.stepAfter(ctx, inKernel(ctx, cpu.syscalls.local(name)));
  }

  /**
   * The local handler of the running thread's call asks Linux: its next request, if any, is marshalled
   * and goes the way of an offloaded call (the ring, mcctrl, the proxy; spinning or sleeping; the
   * result, resume). Whether a request went.
   */
  private boolean toLinux(SimContext ctx) {
    McThread t = current;
    if (t.toLinuxSent == t.toLinux.size()) {
      t.toLinux = null;
      return false;
    }
    call = t.toLinux.get(t.toLinuxSent++);
    cpu.counters.offloadedCalls++;
    phase = Phase.MARSHAL;
    cpu.clock.stepAfter(ctx, inKernel(ctx, cpu.offload.marshal() + cpu.offload.ikcEnqueue()));
    return true;
  }

  /**
   * futex (kernel/futex.c, handled by McKernel): a wait puts the thread to sleep off the CPU, queued on
   * the address in its process, and the CPU runs the next runnable thread; a wake asks the process to
   * release waiters and waits, holding the CPU, for how many it released.
   */
  private void futex(SimContext ctx, Op.Futex f) {
    callName = "futex";
    callStart = ctx.now();
    McThread t = current;
    if (f.wake()) {
      phase = Phase.REPLY;
      cpu.toProcess(ctx, t.pid, new McProcess.FutexWake(t.tid, f.address(), f.count()));
      return;
    }
    t.pendingCall = callName;
    t.pendingCallStart = callStart;
    if (parked == null) {
      parked = new TreeMap<>();
    }
    parked.put(t.tid, t);
    cpu.toProcess(ctx, t.pid, new McProcess.FutexWait(t.tid, f.address()));
    current = nextRunnable();
    phase = Phase.RUN;
    if (current != null) {
      run(ctx);
    }
  }

  /**
   * A futex call is done: a waiter released (it joins the run queue and pays the call's cost when it
   * runs), or the waker told how many it released.
   */
  void onFutexDone(SimContext ctx, McProcess.FutexDone d) {
    if (wasKilled(d.tid())) {
      return;
    }
    McThread sleeper = parked == null ? null : parked.remove(d.tid());
    if (sleeper != null) {
      sleeper.lastResult = d.result();
      sleeper.localResume = true;
      woken(ctx, sleeper);
      return;
    }
    replied(ctx, waiter(Phase.REPLY, d.tid(), "a futex result"), d.result());
  }

  /** The running thread's call got its process's answer {@code result}: it returns after its local cost. */
  private void replied(SimContext ctx, McThread t, int result) {
    t.lastResult = result;
    phase = Phase.LOCAL_CALL;
    cpu.clock.stepAfter(ctx, inKernel(ctx, cpu.syscalls.local(callName)));
  }

  /** The pid a kill goes to: its own, its parent's (-ESRCH without one), its last child's, or the number. */
  private int killTarget(Op.Kill k) {
    return switch (k.target()) {
      case "self" -> current.pid;
      case "parent" -> current.parentPid > 0 ? current.parentPid : NO_ID;
      case "child" -> current.lastForkResult > 0 ? current.lastForkResult : NO_ID;
      default -> k.pid();
    };
  }

  /** The thread a tgkill goes to: itself, the main thread (tid = pid), the one it spawned last, or the number. */
  private int tgkillTarget(Op.Tgkill k) {
    return switch (k.target()) {
      case "self" -> current.tid;
      case "main" -> current.pid;
      case "spawned" -> current.lastSpawned > 0 ? current.lastSpawned : NO_ID;
      default -> k.tid();
    };
  }

  /** A pid or tid no process or thread has: the call gets -ESRCH. */
  private static final int NO_ID = Integer.MAX_VALUE;

  /**
   * kill or tgkill (McKernel's do_kill): the signal goes to the target's process (through the sender's,
   * which sends another pid's on through the process table), and the sender waits, holding the CPU, for
   * the result; the target's action then applies there.
   */
  private void sendSignal(SimContext ctx, String name, int pid, int tid, int signal) {
    callName = name;
    callStart = ctx.now();
    phase = Phase.REPLY;
    cpu.toProcess(ctx, current.pid, new McProcess.Signal(pid, tid, signal, ctx.self(), current.tid));
  }

  /** The kill or tgkill returned: the sender goes on after the call's cost. */
  void onSignalSent(SimContext ctx, McProcess.SignalSent s) {
    if (wasKilled(s.tid())) {
      return;
    }
    replied(ctx, waiter(Phase.REPLY, s.tid(), "a kill result"), s.result());
  }

  /**
   * A signal with a handler is delivered to thread {@code d.tid()} here: the handler runs when the thread
   * next returns to user space: at once if it computes (the rest of its computation after the handler),
   * after the call or access under way otherwise; a thread in a futex wait is woken, the wait returning
   * -EINTR, and its process told that it waits no more; a thread in an offloaded call has McKernel
   * interrupt the call on Linux ({@link OffloadClient#interrupt}), so that a read that waits there
   * returns -EINTR. A thread that has ended misses it.
   */
  void onDeliver(SimContext ctx, McProcess.Deliver d) {
    McThread t = parked == null ? null : parked.remove(d.tid());
    if (t != null) {
      t.interrupt(d.handler());
      t.lastResult = EINTR;
      t.localResume = true;
      cpu.toProcess(ctx, t.pid, new McProcess.FutexCancel(t.tid));
      woken(ctx, t);
      return;
    }
    t = find(d.tid());
    if (t == null) {
      return;
    }
    if (t == current && phase == Phase.MARSHAL) {
      t.interruptOffload = true; // its request is not in the ring yet: the interrupt follows it
    } else if ((t == current && phase == Phase.SPIN) || cpu.offloadClient.sleepers().contains(t)) {
      cpu.offloadClient.interrupt(ctx, t);
    }
    long left = t == current && phase == Phase.RUN ? cpu.clock.preempt(ctx) : -1;
    if (left > 0) {
      // the interrupt cuts the computation: the handler runs now, the rest of the work after it
      t.resumeAfterHandler(left);
    }
    t.interrupt(d.handler());
    if (left >= 0) {
      cpu.clock.stepAfter(ctx, 0);
    }
  }

  /** -EINTR: a signal interrupted the call. */
  static final int EINTR = -4;

  /** The live thread {@code tid} on this CPU (running, runnable, sleeping in a call, not yet launched), or null. */
  private McThread find(int tid) {
    if (current != null && current.tid == tid) {
      return current;
    }
    for (Iterable<McThread> in : java.util.Arrays.<Iterable<McThread>>asList(queuedThreads(), cpu.offloadClient.sleepers(),
        unlaunched)) {
      if (in != null) {
        for (McThread t : in) {
          if (t.tid == tid) {
            return t;
          }
        }
      }
    }
    return null;
  }

  /** Threads sleeping in a futex wait here (read only). */
  java.util.Collection<McThread> parkedThreads() {
    return parked == null ? List.of() : java.util.Collections.unmodifiableCollection(parked.values());
  }

  /** clone: the new thread joins the run queue of the CPU it is placed on; the caller goes on. */
  private void spawnThread(SimContext ctx, Op.SpawnThread st) {
    int tid = current.pid * 100_000 + (cpu.index + 1) * 1_000 + (++spawnCounter % 1_000);
    McThread t = new McThread(current.pid, tid, st.program());
    t.parentPid = current.parentPid;
    current.lastSpawned = tid;
    int target = placeNew();
    startThread(ctx, target, t);
    cpu.toProcess(ctx, current.pid, new McProcess.ThreadSpawned(tid, entityOf(ctx, target)));
    callName = "clone";
    callStart = ctx.now();
    phase = Phase.LOCAL_CALL;
    cpu.clock.stepAfter(ctx, inKernel(ctx, cpu.syscalls.local("clone")));
  }

  /** execve: McKernel sets up the new image, the proxy loads it too. */
  private void exec(SimContext ctx, Op.Exec x) {
    callName = "execve";
    callStart = ctx.now();
    phase = Phase.EXEC;
    current.replaceProgram(x.image());
    cpu.addressSpaces.forget(current.pid);
    cpu.toProcess(ctx, current.pid, new McProcess.Exec(current.tid, McProcess.DEFAULT_DATA_BYTES));
  }

  /** The process has its new image: the thread resumes once McKernel has prepared it. */
  void onExeced(SimContext ctx, McProcess.Execed x) {
    if (wasKilled(x.tid())) {
      return;
    }
    phase = Phase.RESUME;
    cpu.clock.stepAfter(ctx, cpu.launch.prepare());
  }

  /** McKernel copies the address space and has the proxy fork too; the thread waits for both. */
  private void fork(SimContext ctx, Op.Fork f) {
    callName = "fork";
    callStart = ctx.now();
    phase = Phase.FORK;
    forkTarget = placeNew();
    cpu.toProcess(ctx, current.pid, new McProcess.ForkRequest(current.tid, ctx.self(), f.child(),
        entityOf(ctx, forkTarget)));
  }

  /** The fork is done: the child, if any, starts on the CPU chosen for it; the parent resumes. */
  void onForked(SimContext ctx, ProcessTable.Forked f) {
    if (wasKilled(f.tid())) {
      // a signal ended the parent during the fork: the child McKernel made lives on, on its own
      if (f.childPid() > 0) {
        startThread(ctx, forkTarget, new McThread(f.childPid(), f.childPid(), f.child()));
      }
      return;
    }
    McThread parent = waiter(Phase.FORK, f.tid(), "a fork result");
    parent.lastForkResult = f.childPid();
    if (f.childPid() > 0) {
      McThread child = new McThread(f.childPid(), f.childPid(), f.child());
      child.parentPid = parent.pid;
      startThread(ctx, forkTarget, child);
    } else if (forkTarget != cpu.index) {
      placed[forkTarget]--; // no child after all
    }
    resume(ctx);
  }

  /** A new thread starts on McKernel CPU {@code target}: here on the run queue, elsewhere placed there. */
  private void startThread(SimContext ctx, int target, McThread t) {
    if (target == cpu.index) {
      enqueue(t);
      spawned().add(t);
    } else {
      ctx.send(cpuEntities[target], cpu.hop, 0, new Placed(t));
    }
  }

  /** The entity of McKernel CPU {@code target}. */
  private int entityOf(SimContext ctx, int target) {
    return target == cpu.index ? ctx.self() : cpuEntities[target];
  }

  /**
   * Where a new thread or a forked child goes, as McKernel's clone picks the allowed CPU with the
   * shortest run queue: here, the CPU with the fewest threads as far as this CPU knows (those each
   * started with, plus those it has placed there; this CPU counting itself busy), nearest after this
   * one on ties. Every McKernel CPU of the instance is allowed, as by default.
   */
  private int placeNew() {
    if (cpuEntities == null || cpuEntities.length <= 1) {
      return cpu.index;
    }
    int n = cpuEntities.length;
    int waiting = queuedCount();
    int best = -1;
    int bestLoad = Integer.MAX_VALUE;
    for (int k = 1; k <= n; k++) {
      int c = (cpu.index + k) % n;
      int load = initialLoad[c] + (placed == null ? 0 : placed[c])
          + (c == cpu.index ? Math.max(1, waiting + 1) : 0);
      if (load < bestLoad) {
        bestLoad = load;
        best = c;
      }
    }
    if (best != cpu.index) {
      if (placed == null) {
        placed = new int[n];
      }
      placed[best]++;
    }
    return best;
  }

  /** The running thread goes on with its next operation after {@code delay}. */
  void goOn(SimContext ctx, long delay) {
    phase = Phase.RUN;
    cpu.clock.stepAfter(ctx, delay);
  }

  /** The offloaded call's result is in: the thread resumes ({@code resume}). */
  void resume(SimContext ctx) {
    phase = Phase.RESUME;
    cpu.clock.stepAfter(ctx, inKernel(ctx, cpu.offload.resume()));
  }

  /** How long {@code ns} of kernel work for the running thread takes from now. */
  private long inKernel(SimContext ctx, long ns) {
    return cpu.clock.inKernel(ctx, ns, queued());
  }

  /**
   * The spinning thread's offloaded call came back ({@code signal} 0), or the proxy is gone and McKernel
   * kills the process with the proxy's signal: the CPU goes on with the next thread.
   */
  void spinEnded(SimContext ctx, int tid, int signal) {
    McThread t = waiter(Phase.SPIN, tid, "a syscall result");
    cpu.counters.spinNs += ctx.now() - callStart;
    if (signal == 0) {
      resume(ctx);
      return;
    }
    signalled(ctx, t, signal);
    phase = Phase.RUN;
    current = nextRunnable();
    if (current != null) {
      cpu.clock.stepAfter(ctx, 0);
    }
  }

  /** The running thread, which must wait in {@code expected} for a reply about {@code tid}. */
  McThread waiter(Phase expected, int tid, String what) {
    if (phase != expected || current == null || tid != current.tid) {
      throw new IllegalStateException("McKernel CPU " + cpu.index + " got " + what + " for thread " + tid
          + " it does not wait for");
    }
    return current;
  }

  /** Ends every thread of {@code pid} on this CPU: the running one, and those waiting to run. */
  void kill(SimContext ctx, int pid, int signal) {
    List<McThread> victims = new ArrayList<>();
    takeQueuedOf(pid, victims);
    takeThreadsOf(pid, unlaunched, victims);
    takeThreadsOf(pid, cpu.offloadClient.sleepers(), victims);
    takeThreadsOf(pid, parked == null ? null : parked.values(), victims);
    if (cpu.member() != null) {
      victims.addAll(cpu.member().takeWaiting(t -> t.pid == pid)); // waiting in a collective
    }
    boolean currentDies = current != null && current.pid == pid;
    if (currentDies) {
      victims.add(current);
    }
    for (McThread t : victims) {
      killThread(ctx, t, signal);
    }
    if (currentDies) {
      cpu.clock.cancel();
      phase = Phase.RUN;
      current = nextRunnable();
      if (current != null) {
        run(ctx);
      }
    }
  }

  /** Takes the threads of {@code pid} off the run queue into {@code into}; the others keep their order. */
  private void takeQueuedOf(int pid, List<McThread> into) {
    List<McThread> queue = queuedThreads();
    firstQueued = null;
    if (queuedBehind != null) {
      queuedBehind.clear();
    }
    for (McThread t : queue) {
      if (t.pid == pid) {
        into.add(t);
      } else {
        enqueue(t);
      }
    }
  }

  private static void takeThreadsOf(int pid, Iterable<McThread> from, List<McThread> into) {
    if (from == null) {
      return;
    }
    for (Iterator<McThread> it = from.iterator(); it.hasNext(); ) {
      McThread t = it.next();
      if (t.pid == pid) {
        it.remove();
        into.add(t);
      }
    }
  }

  /** A signal ended thread {@code t}: its process learns it. */
  private void signalled(SimContext ctx, McThread t, int signal) {
    t.exitSignal = signal;
    t.exitTime = ctx.now();
    cpu.toProcess(ctx, t.pid, new McProcess.ThreadExited(t.tid, -1, signal));
  }

  /** A signal ended thread {@code t}; replies still on their way for it are void. */
  void killThread(SimContext ctx, McThread t, int signal) {
    killedTids().add(t.tid);
    signalled(ctx, t, signal);
  }

  /** Whether thread {@code tid} was killed, so that replies for it are void. */
  boolean wasKilled(int tid) {
    return killed != null && killed.contains(tid);
  }

  private Set<Integer> killedTids() {
    if (killed == null) {
      killed = new HashSet<>();
    }
    return killed;
  }

  private List<McThread> spawned() {
    if (spawned == null) {
      spawned = new ArrayList<>();
    }
    return spawned;
  }

  /** Threads started here by forks (children) and by clone. */
  List<McThread> spawnedThreads() {
    return spawned == null ? List.of() : spawned;
  }
}
