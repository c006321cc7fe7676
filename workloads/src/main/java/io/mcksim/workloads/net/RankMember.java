package io.mcksim.workloads.net;

import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.workloads.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * A CPU's part in BSP supersteps, the same for a McKernel CPU and a Linux CPU: its threads'
 * {@code collective} ops, and, on the CPU of a rank's first thread, the rank's {@link RankSync} (the
 * barrier of the rank's threads, the collective with the other ranks over the interconnect, the
 * release). A thread that reaches the collective waits off its CPU until its rank releases it: the
 * first thread's CPU sends every other thread of the rank a {@link RankSync#RELEASE}, and itself one.
 *
 * @param <T> the CPU's thread type
 */
public final class RankMember<T> implements RankSync.Cpu {

  /** Where a thread stands in its rank. */
  public interface Seat<T> {
    /** The thread's global rank, or -1 when it belongs to none. */
    int rank(T thread);

    /** Whether it is its rank's first thread. */
    boolean first(T thread);

    /** The launch of the application it belongs to: 0, or the n-th launch of a job requeued n times. */
    default int epoch(T thread) {
      return 0;
    }
  }

  /**
   * The BSP application's ranks, as every CPU sees them.
   *
   * @param shape        the collective, the ranks and the interconnect
   * @param barrierNs    one crossing of the on-node barrier of a rank's threads
   * @param firstEntity  the CPU entity of each rank's first thread
   * @param threadEntity the CPU entity of thread {@code t} of rank {@code r}
   */
  public record Ranks(RankSync.Shape shape, long barrierNs, IntUnaryOperator firstEntity,
      IntBinaryOperator threadEntity) {}

  private final Ranks ranks;
  private final Seat<T> seat;
  /** Runs work on the CPU from a start (its noise permitting); returns when it is done. */
  private final LongBinaryOperator cpu;
  private RankSync sync;
  /**
   * Threads waiting here for their release, oldest first: the oldest in a field of its own (a CPU of a
   * BSP application runs one thread, and there are millions of such CPUs), any others after it in a list
   * made when needed.
   */
  private T oldest;
  private List<T> others;
  private long free;
  private long[] releases = NO_RELEASES;
  /** What a CPU that leads no rank keeps: no releases (shared). */
  private static final long[] NO_RELEASES = new long[0];
  private SimContext out;
  /**
   * The launch the rank's state here serves: a thread or a word of a later one starts it afresh (its ranks
   * start over at the first superstep), and a word of an earlier one is stale and ignored.
   */
  private int epoch;
  /** Threads a kill took while they waited here: a release still on its way to one of them finds none. */
  private long killed;

  /**
   * @param cpu   runs {@code work} ns on the CPU from {@code start}, returning the end: the collective's
   *              send and receive overheads run on the CPU of the rank's first thread
   * @param leads the rank whose first thread runs on this CPU, or -1
   */
  public RankMember(Ranks ranks, Seat<T> seat, LongBinaryOperator cpu, int leads) {
    this.ranks = ranks;
    this.seat = seat;
    this.cpu = cpu;
    this.sync = leads < 0 ? null : new RankSync(ranks.shape(), leads);
  }

  /** Thread {@code t} reached its collective now; it waits off the CPU until released. */
  public void arrive(SimContext out, T t) {
    int rank = seat.rank(t);
    if (rank < 0) {
      throw new IllegalStateException("a thread runs a collective but belongs to no rank");
    }
    adopt(seat.epoch(t));
    if (oldest == null && others == null) {
      oldest = t;
    } else {
      if (others == null) {
        others = new ArrayList<>(2);
      }
      others.add(t);
    }
    if (seat.first(t)) {
      this.out = out;
      free = out.now();
      led().arrived(out.now(), this);
    } else {
      out.send(ranks.firstEntity().applyAsInt(rank), ranks.barrierNs(),
          RankSync.word(RankSync.ARRIVE, 0, rank, epoch));
    }
  }

  /** An event word of the protocol reached the CPU; returns the thread it releases, or null. */
  public T onEvent(SimContext out, long word) {
    this.out = out;
    if (RankSync.epoch(word) < epoch) {
      return null; // a word of a launch that is over
    }
    adopt(RankSync.epoch(word));
    switch (RankSync.kind(word)) {
      case RankSync.MESSAGE -> led().message(RankSync.rank(word), RankSync.iteration(word), out.now(), this);
      case RankSync.ARRIVE -> led().arrived(out.now(), this);
      case RankSync.RELEASE -> {
        int rank = RankSync.rank(word);
        T released = takeWaiting(rank);
        if (released != null || killed > 0) {
          return released;
        }
        throw new IllegalStateException("a release of rank " + rank + " reached a CPU where none of its"
            + " threads waits");
      }
      default -> throw new IllegalStateException("not a collective event: " + word);
    }
    return null;
  }

  /**
   * The length of a thread's {@code n}-th quantum: a draw from the thread's own stream, keyed by its
   * seat {@code key} and the run seed, so that a thread draws alike under every OS model.
   */
  public static long quantum(Op.Quantum q, long seed, long key, long n) {
    return q.distribution().equals("fixed") ? q.a() : q.draw(RandomStreams.uniform(seed, key, "bsp.quantum", n));
  }

  /** The key of the stream of thread {@code thread} of rank {@code rank}. */
  public static long seatKey(int rank, int thread) {
    return (long) rank * 65_536 + thread;
  }

  /** A thread or a word of launch {@code e}: a later launch than this CPU's starts the rank's state afresh. */
  private void adopt(int e) {
    if (e > epoch) {
      epoch = e;
      if (sync != null) {
        sync = new RankSync(ranks.shape(), sync.rank());
      }
    }
  }

  /**
   * The threads waiting here that {@code which} picks, no longer waiting (a kill ended them): a release
   * still on its way to one of them finds none, and is ignored.
   */
  public List<T> takeWaiting(java.util.function.Predicate<T> which) {
    List<T> taken = new ArrayList<>(0);
    if (oldest != null && which.test(oldest)) {
      taken.add(oldest);
      oldest = null;
    }
    for (int i = 0; others != null && i < others.size(); ) {
      if (which.test(others.get(i))) {
        taken.add(others.remove(i));
      } else {
        i++;
      }
    }
    if (others != null && others.isEmpty()) {
      others = null;
    }
    killed += taken.size();
    return taken;
  }

  /** The oldest thread of rank {@code rank} waiting here, no longer waiting; null if none. */
  private T takeWaiting(int rank) {
    if (oldest != null && seat.rank(oldest) == rank) {
      T t = oldest;
      oldest = null;
      return t;
    }
    for (int i = 0; others != null && i < others.size(); i++) {
      if (seat.rank(others.get(i)) == rank) {
        T t = others.remove(i);
        if (others.isEmpty()) {
          others = null;
        }
        return t;
      }
    }
    return null;
  }

  /** Threads waiting here for their rank's release. */
  public int waiting() {
    return (oldest == null ? 0 : 1) + (others == null ? 0 : others.size());
  }

  /** Per superstep of the rank led here: when its threads went on (empty if it leads none). */
  public long[] releases() {
    int n = sync == null ? 0 : sync.iteration();
    return Arrays.copyOf(releases, n);
  }

  private RankSync led() {
    if (sync == null) {
      throw new IllegalStateException("a rank's collective reached a CPU that leads no rank");
    }
    return sync;
  }

  @Override
  public long free() {
    return free;
  }

  @Override
  public void waitUntil(long t) {
    free = Math.max(free, t);
  }

  @Override
  public long run(long start, long workNs) {
    free = cpu.applyAsLong(start, workNs);
    return free;
  }

  @Override
  public void send(int to, long arrival, int iteration) {
    out.send(ranks.firstEntity().applyAsInt(to), arrival - out.now(),
        RankSync.word(RankSync.MESSAGE, iteration, sync.rank(), epoch));
  }

  @Override
  public void released(int iteration, long at) {
    int threads = ranks.shape().threadsPerRank();
    long goOn = threads > 1 ? at + ranks.barrierNs() : at;
    int rank = sync.rank();
    long word = RankSync.word(RankSync.RELEASE, iteration, rank, epoch);
    for (int t = 1; t < threads; t++) {
      out.send(ranks.threadEntity().applyAsInt(rank, t), goOn - out.now(), word);
    }
    out.send(out.self(), goOn - out.now(), word);
    if (releases.length <= iteration) {
      releases = Arrays.copyOf(releases, Math.max(iteration + 1, releases.length * 2));
    }
    releases[iteration] = goOn;
  }
}
