package io.mcksim.workloads.net;

import java.util.Arrays;
import java.util.Locale;

/**
 * The collectives of a BSP iteration, at message level: each rank's part is a fixed sequence of
 * sends and receives ({@link #steps}), which the CPUs execute with their LogGP overheads (and their
 * noise), so a late rank delays exactly the partners that wait for its messages.
 *
 * <p>A step is an int: a send to rank {@code p} is {@code p}, a receive from rank {@code p} is
 * {@code ~p} (negative). Ranks are numbered 0 .. P-1 over the whole machine.
 */
public enum Collective {

  /** Dissemination barrier: in round k, rank r sends to r + 2^k and receives from r - 2^k (mod P). */
  BARRIER("barrier"),
  /**
   * Recursive-doubling allreduce: in round k, rank r exchanges with r XOR 2^k. When P is not a power of
   * two, the ranks above the largest power of two first hand their data to a partner below it and get
   * the result back at the end.
   */
  ALLREDUCE_RECURSIVE_DOUBLING("allreduce-recursive-doubling"),
  /** A binomial-tree reduce to rank 0, then a binomial-tree broadcast from it. */
  ALLREDUCE_TREE("allreduce-tree"),
  /** A binomial-tree broadcast from rank 0, largest subtree first. */
  BROADCAST("broadcast"),
  /** No communication. */
  NONE("none");

  private final String key;

  Collective(String key) {
    this.key = key;
  }

  /** The name used in scenarios. */
  public String key() {
    return key;
  }

  public static Collective named(String name) {
    for (Collective c : values()) {
      if (c.key.equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown collective '" + name + "'; choose one of "
        + Arrays.stream(values()).map(Collective::key).toList());
  }

  /** Bytes each message of this collective carries, for a payload of {@code bytes}. */
  public long messageBytes(long bytes) {
    return this == BARRIER ? 0 : bytes;
  }

  /** Rank {@code rank}'s part of the collective among {@code ranks}, in order. */
  public int[] steps(int ranks, int rank) {
    if (ranks < 1 || rank < 0 || rank >= ranks) {
      throw new IllegalArgumentException("rank " + rank + " of " + ranks);
    }
    Steps s = new Steps();
    switch (this) {
      case BARRIER -> {
        for (int d = 1; d < ranks; d <<= 1) {
          s.send((int) ((rank + (long) d) % ranks));
          s.recv((int) ((rank - (long) d + ranks) % ranks));
        }
      }
      case ALLREDUCE_RECURSIVE_DOUBLING -> {
        int p2 = Integer.highestOneBit(ranks);
        int extra = ranks - p2;
        if (rank >= p2) {
          s.send(rank - p2);
          s.recv(rank - p2);
        } else {
          if (rank < extra) {
            s.recv(rank + p2);
          }
          for (int d = 1; d < p2; d <<= 1) {
            s.send(rank ^ d);
            s.recv(rank ^ d);
          }
          if (rank < extra) {
            s.send(rank + p2);
          }
        }
      }
      case ALLREDUCE_TREE -> {
        reduce(s, ranks, rank);
        broadcast(s, ranks, rank);
      }
      case BROADCAST -> broadcast(s, ranks, rank);
      case NONE -> { }
      default -> throw new AssertionError(this);
    }
    return s.toArray();
  }

  /** Binomial reduce to rank 0: receive from r + 2^k while bit k of r is clear, then send up. */
  private static void reduce(Steps s, int ranks, int rank) {
    for (int d = 1; d < ranks; d <<= 1) {
      if ((rank & d) != 0) {
        s.send(rank - d);
        return;
      }
      if (rank + d < ranks) {
        s.recv(rank + d);
      }
    }
  }

  /** Binomial broadcast from rank 0: receive from the parent, then send to children, largest first. */
  private static void broadcast(Steps s, int ranks, int rank) {
    int top = ranks == 1 ? 0 : Integer.highestOneBit(ranks - 1);
    int mask;
    if (rank == 0) {
      mask = top;
    } else {
      int low = Integer.lowestOneBit(rank);
      s.recv(rank - low);
      mask = low >> 1;
    }
    for (; mask > 0; mask >>= 1) {
      if (rank + mask < ranks) {
        s.send(rank + mask);
      }
    }
  }

  /**
   * The noiseless time of one collective on idle CPUs that all start together, in closed form, where
   * one exists: a barrier with any P takes ceil(log2 P) rounds of a zero-byte message; with P a power
   * of two, recursive doubling takes log2 P rounds, the tree allreduce 2 log2 P point-to-point times
   * and the broadcast log2 P. A round is {@link LogGP#roundNs}. Valid while a CPU's back-to-back sends
   * do not outlast a point-to-point time (max(o, g) <= 2o + L + (m-1)G), as on every real network.
   * Off a power of two, the ranks that wait for a hand-over catch up in later rounds by amounts that
   * depend on P, o and L; {@link NoiselessBsp} computes those cases exactly.
   *
   * @throws IllegalArgumentException where no closed form is given
   */
  public long closedFormNs(int ranks, LogGP net, long bytes) {
    int log = ranks == 1 ? 0 : 32 - Integer.numberOfLeadingZeros(ranks - 1); // ceil(log2 P)
    if (this == BARRIER) {
      return log * net.roundNs(0);
    }
    if (this == NONE) {
      return 0;
    }
    if (Integer.bitCount(ranks) != 1) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "no closed form for %s over %d ranks (not a power of two)", key, ranks));
    }
    return switch (this) {
      case ALLREDUCE_RECURSIVE_DOUBLING -> log * net.roundNs(bytes);
      case ALLREDUCE_TREE -> 2L * log * net.pointToPointNs(bytes);
      default -> (long) log * net.pointToPointNs(bytes);
    };
  }

  /** A growable list of steps. */
  private static final class Steps {
    private int[] a = new int[8];
    private int n;

    void send(int to) {
      add(to);
    }

    void recv(int from) {
      add(~from);
    }

    private void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }
}
