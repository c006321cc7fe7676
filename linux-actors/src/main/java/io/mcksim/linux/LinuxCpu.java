package io.mcksim.linux;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.RunAhead;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.config.SyscallCosts;
import io.mcksim.workloads.FileDescriptors;
import io.mcksim.workloads.FixedTimeQuanta;
import io.mcksim.workloads.LatencyLog;
import io.mcksim.workloads.LatencyLogs;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.PageRanges;
import io.mcksim.workloads.ProcView;
import io.mcksim.workloads.Program;
import io.mcksim.linux.noise.NoiseTimeline;
import io.mcksim.workloads.ProgramCursor;
import io.mcksim.workloads.net.RankMember;
import io.mcksim.workloads.net.RankSync;
import java.util.Map;

/**
 * A Linux CPU running a program natively, one thread after another: computing, and making every
 * system call in Linux itself (entry and exit, {@code costs.syscall.linux-entry}, plus the call's
 * service time). The baseline the McKernel side is compared with. Its noise (a
 * {@link NoiseTimeline}) preempts whatever runs: computation and calls stretch by the time stolen.
 *
 * <p>Memory is demand-paged as Linux does it for anonymous memory: the first touch of each 4 KiB page
 * is a page fault ({@code costs.syscall.linux-page-fault}); munmap gives the pages up, so a later
 * touch faults again. Threads, fork and exec are not modelled on Linux CPUs.
 *
 * <p>Reads of /proc and /sys files ({@link ProcView}) show Linux's view: every CPU of the machine, all
 * its memory, and the pages the program has touched.
 *
 * <p>Under a microkernel that runs Linux as a server (L4Linux, {@link #withServer}) the thread's calls
 * are not served here: each is an IPC to the server, whose Linux CPU ({@link LinuxService}) serves it
 * natively among the other threads' calls, first come first served, and an IPC back.
 *
 * <p>A CPU that makes no call, maps nothing and logs nothing holds no collection: the latency logs
 * and the process's pages and descriptors are made on first use.
 */
public final class LinuxCpu implements SimEntity {

  private static final long PAGE = 4096;

  /**
   * The CPU's next step, carrying its token. Immutable, so the steps of the first tokens are made once
   * and shared by every CPU ({@link #of}): a CPU of a big machine takes a few dozen steps, and a step
   * object of its own would be an allocation and, when the step comes, a cache miss.
   */
  private record Step(long token) implements Fingerprinted {
    /** Tokens whose steps are shared. */
    private static final int SHARED = 1024;
    private static final Step[] STEPS = new Step[SHARED];

    static {
      for (int t = 0; t < SHARED; t++) {
        STEPS[t] = new Step(t);
      }
    }

    /** The step of {@code token}: a shared one for the first tokens. */
    static Step of(long token) {
      return token >= 0 && token < SHARED ? STEPS[(int) token] : new Step(token);
    }

    @Override
    public long fingerprint() {
      return token;
    }
  }

  /** The Linux server has served the call under way: the thread's IPC back begins. */
  private record Served(long token) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return ~token;
    }
  }

  /**
   * A fault: the Linux kernel on this CPU goes down for good (a Linux panic, or the microkernel under
   * an L4Linux): the thread on it runs no more and never exits, and the CPU takes no event from then on.
   */
  public record Halt() implements Fingerprinted {
    @Override
    public long fingerprint() {
      return 0x1c417L;
    }
  }

  private final int cpu;
  private final SyscallCosts syscalls;
  private final Program program;
  /** Per syscall name, the latency of each call (null until the first call ends). */
  private LatencyLogs latencies;
  private final NoiseTimeline noise;
  /** How long each computation took, noise included: an FWQ's per-iteration samples (null: none yet). */
  private LatencyLog computeTimes;
  /** Units of work done in each FTQ quantum (null: none yet). */
  private LatencyLog ftqCounts;
  private ProgramCursor cursor;
  private long token;
  private String callName;
  private long callStart = -1;
  private int exitStatus = -1;
  private long exitTime = -1;
  /** When the kernel on this CPU went down ({@link Halt}), or -1. */
  private long haltedAt = -1;
  /** The pages the program has touched and its descriptors (null: it has done neither yet). */
  private Memory memory;
  /** The Linux server every call goes to by IPC, or null: calls run here. */
  private Server server;
  /** The thread's part in a BSP application's supersteps, or null. */
  private RankMember<LinuxCpu> member;
  private int rank = -1;
  private int rankThread;
  private long seed;
  private long quanta;
  /** The machine the program's /proc and /sys reads show. */
  private View view = View.DEFAULT;

  /**
   * The Linux server's CPU every call goes to by IPC ({@link #withServer}), and what it did: kept apart,
   * as only a CPU under a microkernel with Linux as a server has one.
   *
   * @param entity the server's CPU entity
   * @param ipcNs  one IPC between this CPU and the server: the call's way there, and its way back
   */
  private static final class Server {
    final int entity;
    final long ipcNs;
    /** Calls served by the server, and calls it failed. */
    long calls;
    long failed;

    Server(int entity, long ipcNs) {
      this.entity = entity;
      this.ipcNs = ipcNs;
    }
  }

  /**
   * What the program's /proc and /sys reads show: its pid, the machine's CPUs and memory. The same for
   * every CPU of a process, so CPUs given the same view one after another share one ({@link #of}).
   */
  private record View(int pid, int machineCpus, long memoryBytes) {
    static final View DEFAULT = new View(1000, 1, 0);
    /** The view made last (immutable, so any thread may share it). */
    private static volatile View last = DEFAULT;

    static View of(int pid, int machineCpus, long memoryBytes) {
      View v = last;
      if (v.pid != pid || v.machineCpus != machineCpus || v.memoryBytes != memoryBytes) {
        v = new View(pid, machineCpus, memoryBytes);
        last = v;
      }
      return v;
    }
  }

  /**
   * What the program's process holds beyond the running thread: the pages it has touched and not given
   * up, its descriptors (the /proc or /sys file each names, NONE for another file), and their counts.
   */
  private static final class Memory {
    final PageRanges mapped = new PageRanges();
    final FileDescriptors fds = new FileDescriptors();
    long pageFaults;
    long viewReads;
    long viewBytes;
  }

  private Memory memory() {
    if (memory == null) {
      memory = new Memory();
    }
    return memory;
  }

  /** @param program what the CPU runs from time 0, or null for an idle CPU */
  public LinuxCpu(int cpu, SyscallCosts syscalls, Program program) {
    this(cpu, syscalls, program, NoiseTimeline.quiet());
  }

  /** @param noise what interrupts this CPU; it preempts computation and system calls alike */
  public LinuxCpu(int cpu, SyscallCosts syscalls, Program program, NoiseTimeline noise) {
    this.cpu = cpu;
    this.syscalls = syscalls;
    this.program = program;
    this.noise = noise;
    // made with the CPU, so that it sits beside it in memory: every op the thread runs reads it
    this.cursor = program == null ? null : new ProgramCursor(program);
  }

  @Override
  public void start(SimContext ctx) {
    if (program != null) {
      ctx.send(ctx.self(), 0, 0, Step.of(++token));
    }
  }

  /**
   * Makes this CPU's thread thread {@code thread} of rank {@code rank} of a BSP application: its
   * {@code collective} ops meet the rank's other threads, and its {@code quantum} ops draw from the
   * thread's own stream of run seed {@code seed}. Call before the model runs.
   */
  public LinuxCpu withRank(RankMember.Ranks ranks, long seed, int rank, int thread) {
    this.member = new RankMember<>(ranks, SEAT, noise::finish, thread == 0 ? rank : -1);
    this.rank = rank;
    this.rankThread = thread;
    this.seed = seed;
    return this;
  }

  /** A Linux CPU runs one thread: the CPU stands for it in its rank. */
  private static final RankMember.Seat<LinuxCpu> SEAT = new RankMember.Seat<>() {
    @Override
    public int rank(LinuxCpu c) {
      return c.rank;
    }

    @Override
    public boolean first(LinuxCpu c) {
      return c.rankThread == 0;
    }
  };

  /** Per superstep of the rank whose first thread runs here: when its threads went on. */
  public long[] rankReleases() {
    return member == null ? new long[0] : member.releases();
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (haltedAt >= 0) {
      return;
    }
    if (payload instanceof Halt) {
      haltedAt = ctx.now();
      token++; // the step under way never comes
      return;
    }
    if (payload == null && member != null && RankSync.isSync(data)) {
      if (member.onEvent(ctx, data) != null) {
        next(ctx); // released: on to the next op now
      }
      return;
    }
    Served served = payload instanceof Served s ? s
        : payload instanceof LinuxService.Refused r && r.then() instanceof Served s ? s : null;
    if (served != null) {
      if (served.token() == token) {
        if (payload instanceof LinuxService.Refused) {
          server.failed++; // the server crashed: the call fails, its answer an error
        }
        // the IPC back, then the call is done (a late answer from a crashed server has an old token)
        ctx.send(ctx.self(), noise.finish(ctx.now(), server.ipcNs) - ctx.now(), 0, Step.of(++token));
      }
      return;
    }
    if (!(payload instanceof Step s)) {
      throw new IllegalArgumentException("Linux CPU " + cpu + " got an unknown message " + payload);
    }
    if (s.token() != token) {
      return;
    }
    if (callStart >= 0) {
      if (latencies == null) {
        latencies = new LatencyLogs();
      }
      latencies.add(callName, ctx.now() - callStart);
      callStart = -1;
    }
    next(ctx);
  }

  /** Runs the thread's next op: its step comes when it is done, or a message goes on from it. */
  private void next(SimContext ctx) {
    Op op = cursor.next();
    if (op == null || op instanceof Op.Exit) {
      exitStatus = op == null ? Program.IMPLICIT_EXIT_STATUS : ((Op.Exit) op).status();
      exitTime = ctx.now();
      return;
    }
    long delay;
    if (op instanceof Op.FixedTime f) {
      delay = fixedTime(ctx.now(), f);
    } else if (op instanceof Op.Compute c) {
      delay = compute(ctx.now(), c.ns());
      if (cursor.computesNext()) {
        ctx.runAhead(computations().planned(ctx.now() + delay, Step.of(++token)));
        return;
      }
    } else if (op instanceof Op.Quantum q) {
      long work = RankMember.quantum(q, seed, RankMember.seatKey(rank, rankThread), quanta++);
      delay = noise.finish(ctx.now(), work) - ctx.now();
    } else if (op instanceof Op.Collective) {
      if (member == null) {
        throw new IllegalStateException("Linux CPU " + cpu + ": a collective, but the thread belongs to no rank");
      }
      member.arrive(ctx, this);
      return; // the rank's release goes on
    } else if (op instanceof Op.Syscall sc) {
      callName = sc.name();
      callStart = ctx.now();
      onDescriptorCall(sc);
      if (sc.name().equals("munmap") && !sc.args().fails() && memory != null) {
        long length = sc.args().length() > 0 ? sc.args().length() : sc.args().size();
        memory.mapped.remove(sc.args().address() & -PAGE, (sc.args().address() + length + PAGE - 1) & -PAGE);
      }
      long serviceNs = syscalls.linuxEntry() + syscalls.linux(sc.name());
      if (server != null) {
        toServer(ctx, serviceNs);
        return; // the server's answer goes on
      }
      delay = noise.finish(ctx.now(), serviceNs) - ctx.now();
    } else if (op instanceof Op.Touch t) {
      delay = touch(ctx.now(), t);
    } else {
      throw new UnsupportedOperationException("Linux CPU " + cpu + ": " + op.getClass().getSimpleName()
          + " operations are not modelled yet");
    }
    ctx.send(ctx.self(), delay, 0, Step.of(++token));
  }

  /** A computation of {@code ns} starts at {@code now}: its time, noise included, logged; returns it. */
  private long compute(long now, long ns) {
    long took = noise.finish(now, ns) - now;
    computeTimes().add(took);
    return took;
  }

  /** The thread's loop of computations (made on first use). */
  private Computations computations;

  private Computations computations() {
    if (computations == null) {
      computations = new Computations();
    }
    return computations;
  }

  /**
   * The thread's computations, one after another, taken in closed form while nothing else reaches the
   * CPU ({@link RunAhead}): each step begins the next computation, its end following from the noise
   * between, exactly as {@link #next} does for a thread that computes again (nothing but another event
   * can halt the CPU or change its thread). The stretch declines the step after which the thread does
   * anything but compute.
   */
  private final class Computations implements RunAhead {
    private long time;
    private Step step;

    Computations planned(long at, Step next) {
      this.time = at;
      this.step = next;
      return this;
    }

    @Override
    public long time() {
      return time;
    }

    @Override
    public long data() {
      return 0;
    }

    @Override
    public Object payload() {
      return step;
    }

    @Override
    public boolean take() {
      long now = time;
      time = now + compute(now, ((Op.Compute) cursor.next()).ns());
      step = Step.of(++token);
      return cursor.computesNext();
    }

    @Override
    public long endBound() {
      return time + cursor.computeAhead();
    }

    /**
     * A repeat of one computation, up to the next interruption: every step whose computation the noise
     * leaves whole (ending before the next interruption starts) but the repeat's last, at once.
     */
    @Override
    public long takeRun(long until, Taken taken) {
      long repeats = cursor.computeRepeats();
      if (repeats < 2 || time > until) {
        return 0;
      }
      long ns = cursor.repeatedCompute().ns();
      if (ns <= 0 || ns > 2 * NoiseTimeline.EXACT_NS) {
        return 0; // a long computation's end follows the noise's long-run rate (NoiseTimeline.finish)
      }
      long quiet = noise.quietUntil(time);
      long whole = quiet == Long.MAX_VALUE ? Long.MAX_VALUE : (quiet - time) / ns;
      long n = Math.min(Math.min(repeats - 1, whole), (until - time) / ns + 1);
      for (long k = 0; k < n; k++) {
        taken.event(time + k * ns, 0, token + k);
      }
      if (n > 0) {
        computeTimes().add(ns, n);
        cursor.skipRepeats(n);
        token += n;
        time += n * ns;
        step = Step.of(token);
      }
      return n;
    }
  }

  /** FTQ: counts the units of work each quantum from {@code now} holds; returns their time. */
  private long fixedTime(long now, Op.FixedTime f) {
    return FixedTimeQuanta.run(f, now, noise, ftqCounts());
  }

  /** A touch: the first touch of each page faults it in; returns the faults' time. */
  private long touch(long now, Op.Touch t) {
    PageRanges mapped = memory().mapped;
    long start = t.address() & -PAGE;
    long end = (t.address() + t.length() + PAGE - 1) & -PAGE;
    long faults = (end - start - mapped.coveredIn(start, end)) / PAGE;
    mapped.add(start, end);
    memory.pageFaults += faults;
    return noise.finish(now, faults * syscalls.linuxPageFault()) - now;
  }

  /**
   * The call goes by IPC to the Linux server: the IPC runs here, then the server's CPU has the call
   * ({@link LinuxService#HOP} later, counted from the hand-over) and serves it in its turn.
   */
  private void toServer(SimContext ctx, long serviceNs) {
    server.calls++;
    long handedOver = noise.finish(ctx.now(), server.ipcNs);
    ctx.send(server.entity, handedOver + LinuxService.HOP - ctx.now(), 0,
        new LinuxService.Job(serviceNs, ctx.self(), new Served(token)));
  }

  /**
   * Makes every call of this CPU's thread an IPC to the Linux server on entity {@code serverEntity}
   * (a {@link LinuxService}), {@code ipcNs} each way. Call before the model runs.
   */
  public LinuxCpu withServer(int serverEntity, long ipcNs) {
    if (ipcNs < 1) {
      throw new IllegalArgumentException("an IPC takes at least 1 ns, got " + ipcNs);
    }
    this.server = new Server(serverEntity, ipcNs);
    return this;
  }

  /** Calls the Linux server failed: it was down, or crashed while it held them ({@link LinuxService.Crash}). */
  public long failedServerCalls() {
    return server == null ? 0 : server.failed;
  }

  /** Calls the Linux server served (under {@link #withServer}). */
  public long serverCalls() {
    return server == null ? 0 : server.calls;
  }

  /**
   * How long each computation took, noise included (the log is made now if there is none yet: a caller
   * may feed it before the run, {@link LatencyLog#feeding}).
   */
  public LatencyLog computeTimes() {
    if (computeTimes == null) {
      computeTimes = new LatencyLog();
    }
    return computeTimes;
  }

  /** Units of work done in each FTQ quantum, in order (the log made now if there is none yet). */
  public LatencyLog ftqCounts() {
    if (ftqCounts == null) {
      ftqCounts = new LatencyLog();
    }
    return ftqCounts;
  }

  /** Time noise took from what ran here. */
  public long stolenNs() {
    return noise.stolen();
  }

  /** Per syscall name, the latencies of the calls made here. */
  public Map<String, LatencyLog> latencies() {
    return latencies == null ? Map.of() : latencies.asMap();
  }

  /** What the program's /proc and /sys reads show: its pid, the machine's CPUs and memory. */
  public LinuxCpu withView(int pid, int machineCpus, long memoryBytes) {
    this.view = View.of(pid, machineCpus, memoryBytes);
    return this;
  }

  /**
   * open and openat return the lowest free descriptor from 3; a read of one open on a /proc or /sys
   * file gets Linux's view of it; close frees the descriptor. A call known to fail changes nothing.
   */
  private void onDescriptorCall(Op.Syscall sc) {
    if (sc.args().fails()) {
      return;
    }
    if (FileDescriptors.opens(sc.number())) {
      memory().fds.open(ProcView.lookup(sc.args().path(), view.pid()));
    } else if (sc.number() == FileDescriptors.CLOSE && memory != null) {
      memory.fds.close(sc.args().fd());
    } else if (sc.number() == FileDescriptors.READ && memory != null) {
      FileDescriptors.Open file = memory.fds.get(sc.args().fd());
      if (file != null && file.isView()) {
        memory.viewReads++;
        memory.viewBytes += file.read(sc.args().size(), view(file.file()).length());
      }
    }
  }

  /** Linux's view of a /proc or /sys file for this CPU's program, as it stands now. */
  public String view(ProcView.File file) {
    PageRanges pages = memory == null ? new PageRanges() : memory.mapped;
    long resident = pages.total();
    return ProcView.render(file, new ProcView.Snapshot(view.pid(), 1, view.machineCpus(), pages.ranges(), 0,
        0, resident, view.memoryBytes(), Math.max(0, view.memoryBytes() - resident)));
  }

  /** Reads of /proc and /sys files, and the bytes they returned. */
  public long viewReads() {
    return memory == null ? 0 : memory.viewReads;
  }

  public long viewBytes() {
    return memory == null ? 0 : memory.viewBytes;
  }

  /** Pages faulted in on first touch. */
  public long pageFaults() {
    return memory == null ? 0 : memory.pageFaults;
  }

  /** When the program started: time 0, or -1 on an idle CPU. */
  public long startTime() {
    return program == null ? -1 : 0;
  }

  public int exitStatus() {
    return exitStatus;
  }

  /** Whether the kernel on this CPU has gone down ({@link Halt}). */
  public boolean stopped() {
    return haltedAt >= 0;
  }

  public long exitTime() {
    return exitTime;
  }
}
