package io.mcksim.workloads.net;

import java.util.Arrays;

/**
 * One rank's end of a BSP superstep ({@code Op.Collective}), kept by the CPU that runs the rank's first
 * thread: the on-node barrier of the rank's threads, then the rank's steps of the collective (LogGP
 * sends and receives over the interconnect), then the release of its threads.
 *
 * <p>It holds no clock and sends nothing itself: the CPU that owns it says when the CPU is free, runs
 * the collective's overheads on itself (noise included) and carries out the sends, through {@link Cpu}.
 * Messages that arrive before their receive is reached are kept until it is. So the same rank logic runs
 * on a McKernel CPU and on a Linux CPU.
 *
 * <p>The event words of the protocol ({@link #word}) carry a kind, the iteration and the sender's rank,
 * so that its messages need no payload object.
 */
public final class RankSync {

  /** A collective message from another rank. */
  public static final int MESSAGE = 1;
  /** Another thread of the rank reached the barrier. */
  public static final int ARRIVE = 2;
  /** The rank's first thread releases another thread of the rank. */
  public static final int RELEASE = 3;

  /** The largest iteration a word carries. */
  public static final int MAX_ITERATIONS = (1 << 27) - 1;

  /** The ranks a word can name: every CPU of the largest machine (16,777,216) a rank of its own. */
  public static final int MAX_RANKS = 1 << 24;
  /** The largest launch a word carries (a job requeued after a failure runs its ranks again). */
  public static final int MAX_EPOCH = 255;

  /** An event word of the first launch: kind in bits 0-3, iteration in bits 4-31, rank in bits 32-55. */
  public static long word(int kind, int iteration, int rank) {
    return word(kind, iteration, rank, 0);
  }

  /** The same of launch {@code epoch} (bits 56-63): a requeued job's ranks ignore an earlier launch's words. */
  public static long word(int kind, int iteration, int rank, int epoch) {
    return (kind & 0xF) | ((long) (iteration & MAX_ITERATIONS) << 4) | ((long) (rank & (MAX_RANKS - 1)) << 32)
        | ((long) (epoch & MAX_EPOCH) << 56);
  }

  public static int kind(long word) {
    return (int) (word & 0xF);
  }

  public static int iteration(long word) {
    return (int) ((word >>> 4) & MAX_ITERATIONS);
  }

  public static int rank(long word) {
    return (int) ((word >>> 32) & (MAX_RANKS - 1));
  }

  /** The launch a word belongs to (0: the first). */
  public static int epoch(long word) {
    return (int) (word >>> 56);
  }

  /** Whether an event word is one of this protocol's (its kind is set). */
  public static boolean isSync(long word) {
    int k = kind(word);
    return k == MESSAGE || k == ARRIVE || k == RELEASE;
  }

  /**
   * What all ranks share.
   *
   * @param collective     the collective that ends each superstep
   * @param ranks          ranks of the machine
   * @param ranksPerNode   ranks on each node (ranks are numbered node by node)
   * @param threadsPerRank threads of each rank
   * @param inter          LogGP between nodes
   * @param intra          LogGP between ranks of one node
   * @param messageBytes   bytes of each message of the collective
   */
  public record Shape(Collective collective, int ranks, int ranksPerNode, int threadsPerRank, LogGP inter,
      LogGP intra, long messageBytes) {

    public Shape {
      if (ranks < 1 || ranksPerNode < 1 || threadsPerRank < 1) {
        throw new IllegalArgumentException("a collective needs at least one rank and one thread per rank");
      }
      if (ranks > MAX_RANKS) {
        throw new IllegalArgumentException(ranks + " ranks are more than the " + MAX_RANKS + " a collective has");
      }
    }

    /** The link between ranks {@code a} and {@code b}. */
    public LogGP link(int a, int b) {
      return a / ranksPerNode == b / ranksPerNode ? intra : inter;
    }
  }

  /** The CPU that runs the rank's first thread, as the rank sees it. */
  public interface Cpu {
    /** When the CPU is next free. */
    long free();

    /** Makes the CPU busy until at least {@code t}. */
    void waitUntil(long t);

    /** Runs {@code workNs} on the CPU from {@code start} (noise permitting); returns when it is done. */
    long run(long start, long workNs);

    /** Sends the collective's message of {@code iteration} to rank {@code to}, arriving at {@code arrival}. */
    void send(int to, long arrival, int iteration);

    /** The collective of {@code iteration} is done at {@code at}: the rank's threads may go on. */
    void released(int iteration, long at);
  }

  private final Shape shape;
  private final int rank;
  private final int[] steps;
  private int step;
  private int iteration;
  private int arrived;
  private long barrierAt;
  private boolean inCollective;
  private long lastSendStart = Long.MIN_VALUE / 4;
  /** Messages that arrived before their receive: (sender rank, iteration, arrival time). */
  private int[] earlyFrom = new int[2];
  private int[] earlyIteration = new int[2];
  private long[] earlyAt = new long[2];
  private int early;

  public RankSync(Shape shape, int rank) {
    if (rank < 0 || rank >= shape.ranks()) {
      throw new IllegalArgumentException("rank " + rank + " of " + shape.ranks());
    }
    this.shape = shape;
    this.rank = rank;
    this.steps = shape.collective().steps(shape.ranks(), rank);
  }

  public int rank() {
    return rank;
  }

  /** Supersteps this rank has finished. */
  public int iteration() {
    return iteration;
  }

  /** A thread of the rank reached the barrier at {@code at}; the last one starts the collective. */
  public void arrived(long at, Cpu cpu) {
    arrived++;
    barrierAt = Math.max(barrierAt, at);
    if (arrived == shape.threadsPerRank()) {
      arrived = 0;
      cpu.waitUntil(barrierAt);
      barrierAt = 0;
      step = 0;
      inCollective = true;
      advance(cpu);
    }
  }

  /** The collective message of {@code iter} from rank {@code from} arrived at {@code at}. */
  public void message(int from, int iter, long at, Cpu cpu) {
    if (inCollective && iter == iteration && step < steps.length && steps[step] == ~from) {
      receive(cpu, at, from);
      advance(cpu);
    } else {
      keep(from, iter, at);
    }
  }

  /** Runs the collective's steps until a receive must wait for its message. */
  private void advance(Cpu cpu) {
    while (step < steps.length) {
      int s = steps[step];
      if (s >= 0) {
        LogGP net = shape.link(rank, s);
        long begin = Math.max(cpu.free(), lastSendStart + net.gapNs());
        lastSendStart = begin;
        long sent = cpu.run(begin, net.overheadNs());
        cpu.send(s, sent + net.transitNs(shape.messageBytes()), iteration);
        step++;
      } else {
        int from = ~s;
        long at = take(from, iteration);
        if (at < 0) {
          return;
        }
        receive(cpu, at, from);
      }
    }
    inCollective = false;
    int done = iteration++;
    cpu.released(done, cpu.free());
  }

  private void receive(Cpu cpu, long arrival, int from) {
    cpu.run(Math.max(cpu.free(), arrival), shape.link(rank, from).overheadNs());
    step++;
  }

  private void keep(int from, int iter, long at) {
    if (early == earlyFrom.length) {
      earlyFrom = Arrays.copyOf(earlyFrom, early * 2);
      earlyIteration = Arrays.copyOf(earlyIteration, early * 2);
      earlyAt = Arrays.copyOf(earlyAt, early * 2);
    }
    earlyFrom[early] = from;
    earlyIteration[early] = iter;
    earlyAt[early] = at;
    early++;
  }

  /** The arrival time of a kept message from {@code from} for {@code iter}, removing it; or -1. */
  private long take(int from, int iter) {
    for (int i = 0; i < early; i++) {
      if (earlyFrom[i] == from && earlyIteration[i] == iter) {
        long at = earlyAt[i];
        early--;
        earlyFrom[i] = earlyFrom[early];
        earlyIteration[i] = earlyIteration[early];
        earlyAt[i] = earlyAt[early];
        return at;
      }
    }
    return -1;
  }
}
