package io.mcksim.workloads.net;

import java.util.Arrays;

/**
 * The noiseless prediction of a BSP run, computed directly from the LogGP rules instead of by
 * simulation: every thread computes the same quantum and makes its calls at their uncontended cost,
 * and every CPU is free whenever it is not sending or receiving. A BSP run without noise, with a fixed
 * quantum and without contention for Linux CPUs takes exactly this long; with noise it is the ideal
 * its slowdown is measured against.
 *
 * <p>Ranks are numbered node by node: rank r lives on node r / ranksPerNode, and a message between
 * ranks of one node uses the intra-node link.
 */
public final class NoiselessBsp {

  private final Collective collective;
  private final int ranks;
  private final int ranksPerNode;
  private final LogGP inter;
  private final LogGP intra;
  private final long bytes;
  private final int[][] steps;

  public NoiselessBsp(Collective collective, int ranks, int ranksPerNode, LogGP inter, LogGP intra,
      long bytes) {
    this.collective = collective;
    this.ranks = ranks;
    this.ranksPerNode = ranksPerNode;
    this.inter = inter;
    this.intra = intra;
    this.bytes = collective.messageBytes(bytes);
    this.steps = new int[ranks][];
    for (int r = 0; r < ranks; r++) {
      steps[r] = collective.steps(ranks, r);
    }
  }

  /**
   * When each rank's threads are released from every iteration.
   *
   * @param iterations    supersteps
   * @param beforeNs      per iteration and thread: quantum plus calls, plus the barrier arrival when a
   *                      rank has several threads
   * @param afterNs       the barrier release when a rank has several threads, else 0
   * @return [iteration][rank] release times
   */
  public long[][] releases(int iterations, long beforeNs, long afterNs) {
    long[][] out = new long[iterations][];
    long[] start = new long[ranks];
    long[] lastSend = new long[ranks];
    Arrays.fill(lastSend, Long.MIN_VALUE / 4);
    for (int i = 0; i < iterations; i++) {
      long[] ready = new long[ranks];
      for (int r = 0; r < ranks; r++) {
        ready[r] = start[r] + beforeNs;
      }
      long[] end = collective(ready, lastSend);
      for (int r = 0; r < ranks; r++) {
        start[r] = end[r] + afterNs;
      }
      out[i] = start.clone();
    }
    return out;
  }

  /** The makespan of {@link #releases}: when the last rank is released from the last iteration. */
  public long runtime(int iterations, long beforeNs, long afterNs) {
    long[][] rel = releases(iterations, beforeNs, afterNs);
    return Arrays.stream(rel[iterations - 1]).max().orElse(0);
  }

  /** One collective: each rank starts its part at {@code ready[r]}; returns when each finishes it. */
  long[] collective(long[] ready, long[] lastSend) {
    long[] free = ready.clone();
    int[] next = new int[ranks];
    long[][] arrival = new long[ranks][];
    for (int r = 0; r < ranks; r++) {
      arrival[r] = new long[steps[r].length];
      Arrays.fill(arrival[r], -1);
    }
    int done = 0;
    boolean[] finished = new boolean[ranks];
    while (done < ranks) {
      boolean moved = false;
      for (int r = 0; r < ranks; r++) {
        if (finished[r]) {
          continue;
        }
        int[] s = steps[r];
        while (next[r] < s.length) {
          int step = s[next[r]];
          if (step >= 0) {
            long begin = Math.max(free[r], lastSend[r] + link(r, step).gapNs());
            lastSend[r] = begin;
            free[r] = begin + link(r, step).overheadNs();
            deliver(arrival, step, r, free[r] + link(r, step).transitNs(bytes));
          } else {
            long at = arrival[r][next[r]];
            if (at < 0) {
              break;
            }
            free[r] = Math.max(free[r], at) + link(r, ~step).overheadNs();
          }
          next[r]++;
          moved = true;
        }
        if (next[r] == s.length) {
          finished[r] = true;
          done++;
        }
      }
      if (!moved && done < ranks) {
        throw new IllegalStateException(collective.key() + " over " + ranks + " ranks deadlocked");
      }
    }
    return free;
  }

  private void deliver(long[][] arrival, int to, int from, long at) {
    int[] s = steps[to];
    for (int j = 0; j < s.length; j++) {
      if (s[j] == ~from && arrival[to][j] < 0) {
        arrival[to][j] = at;
        return;
      }
    }
    throw new IllegalStateException("rank " + to + " never receives from rank " + from);
  }

  private LogGP link(int a, int b) {
    return a / ranksPerNode == b / ranksPerNode ? intra : inter;
  }
}
