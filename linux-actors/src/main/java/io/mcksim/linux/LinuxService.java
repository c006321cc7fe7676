package io.mcksim.linux;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.ikc.Offload;
import io.mcksim.linux.noise.NoiseTimeline;

/**
 * One Linux CPU of a node as the proxies' worker threads use it: it runs their work (waking up,
 * faulting buffer pages in, serving the calls) one job after another, in the order the jobs reach it,
 * its noise preempting them. Workers that share a CPU wait for one another here.
 *
 * <p>A worker runs on its CPU, so its work is handed over where it is: a job reaches this entity
 * {@link #HOP} after it was handed over (the smallest delay between two entities of a node), and counts
 * from the moment it was handed over. A stage on an idle CPU takes exactly its configured cost, and a
 * queued job occupies the CPU for exactly its cost: the CPU is a FIFO queue of the jobs' costs.
 */
public final class LinuxService implements SimEntity {

  /** Time a job takes to reach this entity; its work counts from the moment it was handed over. */
  public static final long HOP = 1;

  /**
   * Run {@code workNs} of a worker's work (more than {@link #HOP}), handed over {@link #HOP} ago, then
   * send {@code then} to entity {@code replyTo}.
   */
  public record Job(long workNs, int replyTo, Object then) implements Fingerprinted {
    @Override
    public long fingerprint() {
      long f = then instanceof Fingerprinted p ? p.fingerprint() : 0;
      return workNs * 31 + replyTo ^ f * 17;
    }
  }

  /**
   * A fault: the Linux service the workers' calls go to (a daemon, a file system) is down for
   * {@code durationNs} from now; every job handed over meanwhile is refused at once ({@link Refused}).
   * The jobs it held when it went down (running or queued on the CPU) fail too: each one's replyTo gets
   * {@link Refused} with {@link Refused#held} set {@link #HOP} later, and the CPU drops their work. (Their
   * continuation, sent when they were accepted, still comes at the end they had then; whoever gets a held
   * job's refusal ignores it.)
   */
  public record Crash(long durationNs) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return durationNs;
    }
  }

  /**
   * A fault: the Linux kernel on this CPU goes down for good (a Linux panic). From then on the CPU serves
   * nothing and answers nothing: a proxy's worker's job, a lightweight kernel's forwarded call or an
   * IPC to the Linux server that reaches it waits forever. (A job it had started before stays answered:
   * its end was settled when it started.)
   */
  public record Halt() implements Fingerprinted {
    @Override
    public long fingerprint() {
      return 0x11a17L;
    }
  }

  /**
   * The job whose continuation was {@code then} was refused: the service was down when it was handed
   * over, or ({@code held}) the service crashed while it held the job, whose continuation still comes
   * and must be ignored.
   */
  public record Refused(Object then, boolean held) implements Fingerprinted {
    /** A job handed over while the service was down. */
    public Refused(Object then) {
      this(then, false);
    }

    @Override
    public long fingerprint() {
      return then instanceof Fingerprinted p ? ~p.fingerprint() : 1;
    }
  }

  /**
   * The jobs accepted and not yet ended, in the order they end (the CPU is a FIFO): when each ends, and
   * where its continuation goes, in three ring columns rather than an object per job (a node's Linux
   * CPUs take a job for every offloaded call).
   */
  private static final class HeldJobs {
    private long[] ends = new long[4];
    private int[] replyTos = new int[4];
    private Object[] thens = new Object[4];
    private int head;
    private int size;

    /** A job accepted that ends at {@code end}: its continuation {@code then} goes to {@code replyTo}. */
    void add(long end, int replyTo, Object then) {
      if (size == ends.length) {
        grow();
      }
      int i = (head + size) & (ends.length - 1);
      ends[i] = end;
      replyTos[i] = replyTo;
      thens[i] = then;
      size++;
    }

    /** Forgets the jobs that have ended by {@code now}. */
    void endedBy(long now) {
      while (size > 0 && ends[head] <= now) {
        thens[head] = null;
        head = (head + 1) & (ends.length - 1);
        size--;
      }
    }

    int size() {
      return size;
    }

    /** When the {@code k}-th job held, oldest first, ends. */
    long end(int k) {
      return ends[(head + k) & (ends.length - 1)];
    }

    int replyTo(int k) {
      return replyTos[(head + k) & (ends.length - 1)];
    }

    Object then(int k) {
      return thens[(head + k) & (ends.length - 1)];
    }

    void clear() {
      java.util.Arrays.fill(thens, null);
      head = 0;
      size = 0;
    }

    /** Twice the room, the jobs held first again. */
    private void grow() {
      int n = ends.length * 2;
      long[] e = new long[n];
      int[] r = new int[n];
      Object[] t = new Object[n];
      for (int k = 0; k < size; k++) {
        e[k] = end(k);
        r[k] = replyTo(k);
        t[k] = then(k);
      }
      ends = e;
      replyTos = r;
      thens = t;
      head = 0;
    }
  }

  private final int cpu;
  private final FifoCpu fifo;
  /** The jobs accepted and not yet ended, in the order they end (the CPU is a FIFO). */
  private final HeldJobs held = new HeldJobs();
  /** Jobs accepted that a crash failed. */
  private long failedHeld;
  /** Until when the service is down (a crash); jobs handed over before then are refused. */
  private long downUntil;
  private long refused;
  private long crashes;
  /** When the kernel on this CPU went down ({@link Halt}), or -1. */
  private long haltedAt = -1;
  /** Jobs and calls that reached the CPU after it went down. */
  private long lost;

  /** @param noise the CPU's noise, or null for none */
  public LinuxService(int cpu, NoiseTimeline noise) {
    this.cpu = cpu;
    this.fifo = new FifoCpu(noise);
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (haltedAt >= 0) {
      lost++;
      return;
    }
    if (payload instanceof Halt) {
      haltedAt = ctx.now();
      return;
    }
    if (payload instanceof Offload.Run r) {
      // a thread of a lightweight kernel runs its call here (mOS's migration, Hobbes's remote call)
      long done = fifo.run(ctx.now() - HOP, r.workNs());
      ctx.send(r.replyTo(), done - ctx.now(), 0, new Offload.Ran(r.tid()));
      return;
    }
    if (payload instanceof Crash c) {
      crashes++;
      failHeld(ctx);
      downUntil = Math.max(downUntil, io.mcksim.actors.engine.VirtualTime.after(ctx.now(), c.durationNs()));
      return;
    }
    if (!(payload instanceof Job j)) {
      throw new IllegalArgumentException("Linux CPU " + cpu + " got an unknown message " + payload);
    }
    if (ctx.now() < downUntil) {
      refused++;
      ctx.send(j.replyTo(), HOP, 0, new Refused(j.then()));
      return;
    }
    long done = fifo.run(ctx.now() - HOP, j.workNs());
    ctx.send(j.replyTo(), done - ctx.now(), 0, j.then());
    held.endedBy(ctx.now());
    held.add(done, j.replyTo(), j.then());
  }

  /**
   * The service crashed: the calls it held fail as the workers see it, with the error their step meets
   * ({@link Refused}, held); a job that ends before the refusal could reach its worker completes.
   */
  private void failHeld(SimContext ctx) {
    long busyUntil = ctx.now();
    for (int k = 0; k < held.size(); k++) {
      if (held.end(k) > ctx.now() + HOP) {
        failedHeld++;
        ctx.send(held.replyTo(k), HOP, 0, new Refused(held.then(k), true));
      } else {
        busyUntil = Math.max(busyUntil, held.end(k));
      }
    }
    held.clear();
    fifo.drop(busyUntil);
  }

  /** The Linux CPU's number on the node. */
  public int cpu() {
    return cpu;
  }

  /** Jobs refused while the service was down, and the crashes. */
  public long refused() {
    return refused;
  }

  /** Jobs accepted that end after {@code time}: what a crash then would fail, but for the last {@link #HOP}. */
  public long holding(long time) {
    long count = 0;
    for (int k = 0; k < held.size(); k++) {
      count += held.end(k) > time ? 1 : 0;
    }
    return count;
  }

  /** Jobs the service had accepted that a crash failed. */
  public long failedHeld() {
    return failedHeld;
  }

  public long crashes() {
    return crashes;
  }

  /** Whether the kernel on this CPU has gone down ({@link Halt}). */
  public boolean halted() {
    return haltedAt >= 0;
  }

  /** Jobs and calls that reached this CPU after it went down: nobody answers them. */
  public long lost() {
    return lost;
  }

  public long jobs() {
    return fifo.jobs();
  }

  /** Time the CPU spent on jobs, noise included. */
  public long busyNs() {
    return fifo.busyNs();
  }

  /** Time jobs waited for the CPU, summed. */
  public long waitNs() {
    return fifo.waitNs();
  }
}
