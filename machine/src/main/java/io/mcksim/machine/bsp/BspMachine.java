package io.mcksim.machine.bsp;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.serialization.SimMessage;
import io.mcksim.linux.noise.NoiseTimeline;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.net.LogGP;
import io.mcksim.workloads.net.RankMember;
import io.mcksim.workloads.net.RankSync;
import java.util.ArrayList;
import java.util.List;

/**
 * A machine of identical nodes running one BSP application: every application thread is a CPU entity
 * (a McKernel CPU or a Linux CPU, by the plan's OS model), every node a domain, and under McKernel the
 * node's Linux CPUs that run offloaded calls are entities too.
 *
 * <p>A CPU keeps its own clock of when it is next free and runs its work ahead of the engine's time
 * wherever no message can change it: compute, local calls and sends need nothing from outside, so
 * they cost no event. Only messages are events: a collective message (LogGP: the sender's overhead,
 * the wire, the receiver's overhead), a thread's arrival at its rank's barrier and its release, an
 * offload request and its reply. A receive waits for its message's event and starts at the later of
 * the arrival and the CPU being free. Noise is applied in closed form ({@link NoiseTimeline#finish})
 * to everything a CPU does, so a noisy rank delays exactly the partners that wait for it.
 *
 * <p>Entities of node n are numbered from {@code n * perNode}: first the threads, rank by rank, then
 * the Linux CPUs that serve offloads. The first thread of a rank runs its part of the collective.
 */
public final class BspMachine implements BspApplication {

  /** The noise of one CPU: a timeline, or null for none. */
  @FunctionalInterface
  public interface CpuNoise {
    NoiseTimeline at(int node, int cpu);
  }

  /**
   * A crash injected into node {@code node} at {@code atNs}, and what it takes with it: the
   * application's threads (they stop at that time), the node's Linux (its CPUs serve no call from then
   * on, not even one under way), and whether calls that would reach Linux then fail at once (a kernel
   * that sees Linux gone, as Kitten's remote calls do) rather than wait forever.
   */
  public record Crash(int node, long atNs, boolean appDies, boolean linuxDies, boolean callsFail) {}

  private Crash crash;
  /** Outcomes of the entities other JVMs ran (a run spread over JVMs). */
  private final List<Outcome> parts = new ArrayList<>();

  /** Injects {@code c} into the run. Call before the model runs. */
  public BspMachine withCrash(Crash c) {
    this.crash = c;
    return this;
  }

  boolean appDead(int node, long t) {
    return crash != null && crash.node() == node && crash.appDies() && t >= crash.atNs();
  }

  boolean linuxDead(int node, long t) {
    return crash != null && crash.node() == node && crash.linuxDies() && t >= crash.atNs();
  }

  static final int MSG = 0;
  static final int ARRIVE = 1;
  static final int RELEASE = 2;
  static final int REQUEST = 3;
  static final int REPLY = 4;

  final BspPlan plan;
  private final CpuNoise appNoise;
  private final CpuNoise linuxNoise;
  final int perNode;
  final int threads;
  final long messageBytes;
  private final Object[] entities;

  /**
   * @param appNoise   the noise of each application CPU
   * @param linuxNoise the noise of each Linux CPU that serves offloaded calls
   */
  public BspMachine(BspPlan plan, CpuNoise appNoise, CpuNoise linuxNoise) {
    this.plan = plan;
    this.appNoise = appNoise;
    this.linuxNoise = linuxNoise;
    this.threads = plan.threadsPerNode();
    this.perNode = threads + plan.serviceCpusPerNode();
    this.messageBytes = plan.collective().messageBytes(plan.messageBytes());
    this.entities = new Object[entityCount()];
  }

  @Override
  public BspPlan plan() {
    return plan;
  }

  @Override
  public int entityCount() {
    return plan.nodes() * perNode;
  }

  @Override
  public int domainCount() {
    return plan.nodes();
  }

  @Override
  public int domainOf(int entity) {
    return entity / perNode;
  }

  /** The earliest a message reaches another node: the sender's overhead plus the latency. */
  @Override
  public long lookahead() {
    return plan.inter().latencyNs() + plan.inter().overheadNs();
  }

  /** The shortest delay between two CPUs of one node that the plan uses. */
  @Override
  public long localLookahead() {
    long min = lookahead();
    if (plan.threadsPerRank() > 1) {
      min = Math.min(min, plan.threadBarrierNs());
    }
    if (plan.ranksPerNode() > 1) {
      min = Math.min(min, plan.intra().latencyNs() + plan.intra().overheadNs());
    }
    for (BspPlan.Call c : plan.calls()) {
      if (c.offloaded()) {
        min = Math.min(min, Math.min(c.tripNs(), c.linuxNs()));
      }
    }
    return Math.max(1, min);
  }

  @Override
  public SimEntity createEntity(int id) {
    int node = id / perNode;
    int slot = id % perNode;
    Object e;
    if (slot < threads) {
      e = new AppThread(this, id, node, slot, appNoise.at(node, plan.appCpus()[slot]));
    } else {
      e = new ServiceCpu(this, node, linuxNoise.at(node, plan.linuxCpus()[slot - threads]));
    }
    entities[id] = e;
    return (SimEntity) e;
  }

  /** The entity of the first thread of global rank {@code rank}. */
  int rankEntity(int rank) {
    int node = rank / plan.ranksPerNode();
    return node * perNode + (rank % plan.ranksPerNode()) * plan.threadsPerRank();
  }

  /** The thread of entity {@code id} (after the run, for results). */
  AppThread thread(int id) {
    return (AppThread) entities[id];
  }

  ServiceCpu service(int id) {
    return (ServiceCpu) entities[id];
  }

  /**
   * What a run gave: when the last rank was released from each iteration, the noise the application
   * CPUs suffered, and the offload traffic.
   *
   * @param iterationEndNs per iteration, the latest release of any rank
   * @param stolenNs       time noise took from the application CPUs, summed
   * @param offloads       offloaded calls made
   * @param linuxBusyNs    time the Linux CPUs spent on offloaded calls (noise included)
   * @param unfinished     threads that did not get through every iteration (0 unless the run was cut)
   * @param calls          calls made
   * @param failedCalls    calls that failed because the OS model does not have them (ENOSYS)
   */
  public record Outcome(long[] iterationEndNs, long stolenNs, long offloads, long linuxBusyNs,
      long unfinished, long calls, long failedCalls, long startNs) implements SimMessage {

    /** An outcome whose application started at time 0. */
    public Outcome(long[] iterationEndNs, long stolenNs, long offloads, long linuxBusyNs, long unfinished,
        long calls, long failedCalls) {
      this(iterationEndNs, stolenNs, offloads, linuxBusyNs, unfinished, calls, failedCalls, 0);
    }

    /**
     * Both parts of one machine together: each iteration ends at the later end, the application starts
     * at the later start, the rest adds up.
     */
    Outcome plus(Outcome other) {
      long[] ends = iterationEndNs.clone();
      for (int i = 0; i < ends.length; i++) {
        ends[i] = Math.max(ends[i], other.iterationEndNs[i]);
      }
      return new Outcome(ends, stolenNs + other.stolenNs, offloads + other.offloads,
          linuxBusyNs + other.linuxBusyNs, unfinished + other.unfinished, calls + other.calls,
          failedCalls + other.failedCalls, Math.max(startNs, other.startNs));
    }

    /** From the application's start to the last rank's release from its last iteration. */
    public long runtimeNs() {
      return iterationEndNs[iterationEndNs.length - 1] - startNs;
    }

    /** Each iteration's time: from the previous one's last release (or the start) to its own. */
    public long[] iterationNs() {
      long[] out = new long[iterationEndNs.length];
      long prev = startNs;
      for (int i = 0; i < out.length; i++) {
        out[i] = iterationEndNs[i] - prev;
        prev = iterationEndNs[i];
      }
      return out;
    }
  }

  /**
   * The outcome, read from the entities once the run is over: those this JVM created, plus the parts
   * worker JVMs sent for theirs.
   */
  @Override
  public Outcome outcome() {
    Outcome o = localOutcome();
    for (Outcome part : parts) {
      o = o.plus(part);
    }
    return o;
  }

  @Override
  public SimMessage localPart() {
    return localOutcome();
  }

  @Override
  public void addPart(SimMessage part) {
    parts.add((Outcome) part);
  }

  private Outcome localOutcome() {
    long[] ends = new long[plan.iterations()];
    long stolen = 0;
    long offloads = 0;
    long busy = 0;
    long unfinished = 0;
    long failed = 0;
    long threadsTotal = 0;
    for (int id = 0; id < entities.length; id++) {
      if (entities[id] instanceof AppThread t) {
        if (t.rank != null) {
          for (int i = 0; i < ends.length; i++) {
            ends[i] = Math.max(ends[i], t.rank.release[i]);
          }
        }
        stolen += t.noise == null ? 0 : t.noise.stolen();
        offloads += t.offloads;
        failed += t.failed;
        threadsTotal++;
        unfinished += t.iteration < plan.iterations() ? 1 : 0;
      } else if (entities[id] instanceof ServiceCpu c) {
        busy += c.cpu.busyNs();
      }
    }
    return new Outcome(ends, stolen, offloads, busy, unfinished,
        threadsTotal * plan.iterations() * plan.calls().size(), failed);
  }

  /**
   * What an injected crash left: whether the crashed node's application threads and those of the other
   * nodes got through every iteration, and whether the node's Linux still runs.
   */
  public record CrashReport(long crashedNodeFinished, long crashedNodeThreads, long crashedNodeKilled,
      long othersFinished, long otherThreads, boolean linuxAlive, long failedCalls) {
    public boolean applicationSurvived() {
      return crashedNodeFinished == crashedNodeThreads && othersFinished == otherThreads;
    }
  }

  public CrashReport crashReport() {
    long finished = 0;
    long total = 0;
    long killed = 0;
    long othersFinished = 0;
    long others = 0;
    long failed = 0;
    for (Object e : entities) {
      if (e instanceof AppThread t) {
        boolean done = t.iteration == plan.iterations();
        failed += t.failed;
        if (crash != null && t.node == crash.node()) {
          total++;
          finished += done ? 1 : 0;
          killed += t.dead ? 1 : 0;
        } else {
          others++;
          othersFinished += done ? 1 : 0;
        }
      }
    }
    return new CrashReport(finished, total, killed, othersFinished, others,
        crash == null || !linuxDead(crash.node(), Long.MAX_VALUE), failed);
  }

  /** The first thread of global rank {@code rank}'s record: per iteration release and noise suffered. */
  public long[][] rankRecord(int rank) {
    RankLead p = thread(rankEntity(rank)).rank;
    return new long[][] {p.release.clone(), p.stolen.clone()};
  }

  /** Runs {@code work} ns on a CPU from {@code start}, noise permitting; returns when it is done. */
  static long run(NoiseTimeline noise, long start, long work) {
    return noise == null ? start + work : noise.finish(start, work);
  }

  /** The rank of the first thread of entity {@code entity}'s rank. */
  int senderRank(int entity) {
    int node = entity / perNode;
    return node * plan.ranksPerNode() + (entity % perNode) / plan.threadsPerRank();
  }

  /**
   * A rank's part in the collective, kept by its first thread: the rank's {@link RankSync} run on the
   * thread's CPU (its clock, its noise), and per iteration when the rank was released and the noise its
   * CPU had suffered by then.
   */
  static final class RankLead implements RankSync.Cpu {
    private final AppThread first;
    private final RankSync sync;
    final long[] release;
    final long[] stolen;
    private SimContext ctx;

    RankLead(AppThread first, int rank) {
      this.first = first;
      this.sync = new RankSync(first.m.plan.shape(), rank);
      this.release = new long[first.m.plan.iterations()];
      this.stolen = new long[first.m.plan.iterations()];
    }

    /** The rank's logic, for an event handled under {@code ctx}. */
    RankSync at(SimContext ctx) {
      this.ctx = ctx;
      return sync;
    }

    @Override
    public long free() {
      return first.free;
    }

    @Override
    public void waitUntil(long t) {
      first.free = Math.max(first.free, t);
    }

    @Override
    public long run(long start, long workNs) {
      first.free = BspMachine.run(first.noise, start, workNs);
      return first.free;
    }

    @Override
    public void send(int to, long arrival, int iteration) {
      ctx.send(first.m.rankEntity(to), arrival - ctx.now(), MSG | ((long) iteration << 4));
    }

    @Override
    public void released(int iteration, long at) {
      first.released(ctx, at);
    }

    @Override
    public boolean stopped() {
      return first.dies(first.free);
    }

    void record(int iteration, long at, long stolenSoFar) {
      release[iteration] = at;
      stolen[iteration] = stolenSoFar;
    }
  }

  /** One application thread on its CPU. */
  static final class AppThread implements SimEntity {
    final BspMachine m;
    private final int id;
    final int node;
    private final int slot;
    final NoiseTimeline noise;
    /** The iteration under way (== iterations when done). */
    int iteration;
    /** The next call of this iteration. */
    private int call;
    /** When the CPU is next free. */
    long free;
    /** The rank's part of the collective, on a rank's first thread only. */
    final RankLead rank;
    long offloads;
    long failed;
    /** Stopped by an injected crash. */
    boolean dead;

    AppThread(BspMachine m, int id, int node, int slot, NoiseTimeline noise) {
      this.m = m;
      this.id = id;
      this.node = node;
      this.slot = slot;
      this.noise = noise;
      this.rank = slot % m.plan.threadsPerRank() == 0
          ? new RankLead(this, node * m.plan.ranksPerNode() + slot / m.plan.threadsPerRank()) : null;
    }

    @Override
    public void start(SimContext ctx) {
      begin(ctx, 0);
    }

    /** Whether an injected crash has stopped this thread by time {@code t}. */
    boolean dies(long t) {
      if (!dead && m.appDead(node, t)) {
        dead = true;
      }
      return dead;
    }

    @Override
    public void onEvent(SimContext ctx, int source, long data, Object payload) {
      if (dies(ctx.now())) {
        return;
      }
      int kind = (int) (data & 0xF);
      switch (kind) {
        case MSG -> rank.at(ctx).message(m.senderRank(source), (int) (data >>> 4), ctx.now(), rank);
        case ARRIVE -> rank.at(ctx).arrived(ctx.now(), rank);
        case RELEASE -> {
          iteration++;
          begin(ctx, ctx.now());
        }
        case REPLY -> {
          free = run(noise, ctx.now(), m.plan.calls().get(call).resumeNs());
          call++;
          calls(ctx);
        }
        default -> throw new IllegalStateException("thread " + id + ": unexpected event kind " + kind);
      }
    }

    /** Re-entrant {@link #begin} calls (a rank that needs no message goes on at once) and where to. */
    private boolean beginning;
    private long beginAgain = -1;

    /**
     * Starts the current iteration's quantum at {@code at}, unless every iteration is done. A rank that
     * can go through a whole iteration without waiting (a single rank) loops here instead of recursing.
     */
    void begin(SimContext ctx, long at) {
      if (beginning) {
        beginAgain = at;
        return;
      }
      beginning = true;
      try {
        long next = at;
        while (next >= 0 && iteration < m.plan.iterations() && !dies(next)) {
          beginAgain = -1;
          free = run(noise, next, quantum());
          call = 0;
          calls(ctx);
          next = beginAgain;
        }
      } finally {
        beginning = false;
      }
    }

    /** This iteration's quantum: a draw from the stream of the thread's seat, as on every CPU entity. */
    private long quantum() {
      BspPlan.Quantum q = m.plan.quantum();
      int perRank = m.plan.threadsPerRank();
      return RankMember.quantum(new Op.Quantum(q.kind(), q.a(), q.b()), m.plan.seed(),
          RankMember.seatKey(node * m.plan.ranksPerNode() + slot / perRank, slot % perRank), iteration);
    }

    /** Makes the iteration's calls from the current one on, then goes to the barrier. */
    private void calls(SimContext ctx) {
      var calls = m.plan.calls();
      while (call < calls.size()) {
        if (dies(free)) {
          return;
        }
        BspPlan.Call c = calls.get(call);
        free = run(noise, free, c.cpuNs());
        failed += c.failed() ? 1 : 0;
        if (c.offloaded() && m.linuxDead(node, free) && m.crash.callsFail()) {
          failed++; // Linux is gone and the kernel says so
          call++;
          continue;
        }
        if (c.offloaded()) {
          offloads++;
          int linux = m.plan.linuxCpus().length;
          int target = node * m.perNode + m.threads + slot % linux;
          ctx.send(target, free - ctx.now() + c.tripNs(), REQUEST | ((long) call << 4));
          return; // the reply resumes the thread
        }
        call++;
      }
      if (dies(free)) {
        return;
      }
      if (rank != null) {
        rank.at(ctx).arrived(free, rank);
      } else {
        int first = id - slot % m.plan.threadsPerRank();
        ctx.send(first, free - ctx.now() + m.plan.threadBarrierNs(), ARRIVE);
      }
    }

    /** Rank's first thread: the iteration's collective is done at {@code end}; release everyone. */
    void released(SimContext ctx, long end) {
      int t = m.plan.threadsPerRank();
      long at = t > 1 ? end + m.plan.threadBarrierNs() : end;
      if (dies(end)) {
        return;
      }
      for (int k = 1; k < t; k++) {
        ctx.send(id + k, at - ctx.now(), RELEASE);
      }
      rank.record(iteration, at, noise == null ? 0 : noise.stolen());
      iteration++;
      begin(ctx, at);
    }
  }

  /** A Linux CPU of a node that runs the Linux side of calls that reach Linux, first come first served. */
  static final class ServiceCpu implements SimEntity {
    private final BspMachine m;
    private final int node;
    final io.mcksim.linux.FifoCpu cpu;

    ServiceCpu(BspMachine m, int node, NoiseTimeline noise) {
      this.m = m;
      this.node = node;
      this.cpu = new io.mcksim.linux.FifoCpu(noise);
    }

    @Override
    public void onEvent(SimContext ctx, int source, long data, Object payload) {
      if ((data & 0xF) != REQUEST) {
        throw new IllegalStateException("Linux CPU " + ctx.self() + ": unexpected event " + data);
      }
      long done = cpu.run(ctx.now(), m.plan.calls().get((int) (data >>> 4)).linuxNs());
      if (m.linuxDead(node, done)) {
        return; // Linux crashed before the call was done: no reply, ever
      }
      ctx.send(source, done - ctx.now(), REPLY);
    }
  }
}
