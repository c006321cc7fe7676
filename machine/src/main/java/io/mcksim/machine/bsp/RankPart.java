package io.mcksim.machine.bsp;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.workloads.net.LogGP;
import java.util.Arrays;

/**
 * A rank's side of the BSP iteration, kept by its first thread: the on-node barrier of its threads,
 * and its steps of the collective with the messages that came before their receive was reached.
 */
final class RankPart {

  final int rank;
  private final BspMachine m;
  private final int[] steps;
  private int step;
  /** Threads arrived at this iteration's barrier (this one included), and the latest arrival. */
  private int arrived;
  private long barrierAt;
  /** The collective is under way (the barrier is complete). */
  private boolean inCollective;
  private long lastSendStart = Long.MIN_VALUE / 4;
  /** Messages that arrived before their receive: (sender rank, iteration, arrival time). */
  private int[] earlyFrom = new int[4];
  private int[] earlyIteration = new int[4];
  private long[] earlyAt = new long[4];
  private int early;
  /** Per iteration: when the rank's threads were released, and the noise its first CPU had suffered. */
  final long[] release;
  final long[] stolen;

  RankPart(int rank, BspMachine m) {
    this.rank = rank;
    this.m = m;
    this.steps = m.plan.collective().steps(m.plan.ranks(), rank);
    this.release = new long[m.plan.iterations()];
    this.stolen = new long[m.plan.iterations()];
  }

  /** A thread of the rank (the first one at {@code at} >= now, others at now) reached the barrier. */
  void arrived(SimContext ctx, BspMachine.AppThread first, long at) {
    arrived++;
    barrierAt = Math.max(barrierAt, at);
    if (arrived == m.plan.threadsPerRank()) {
      arrived = 0;
      first.free = Math.max(first.free, barrierAt);
      barrierAt = 0;
      step = 0;
      inCollective = true;
      advance(ctx, first);
    }
  }

  void message(SimContext ctx, BspMachine.AppThread first, int sourceEntity, int iteration) {
    int from = senderRank(sourceEntity);
    if (inCollective && iteration == first.iteration && step < steps.length && steps[step] == ~from) {
      receive(first, ctx.now(), from);
      advance(ctx, first);
    } else {
      keep(from, iteration, ctx.now());
    }
  }

  private int senderRank(int entity) {
    int node = entity / m.perNode;
    return node * m.plan.ranksPerNode() + (entity % m.perNode) / m.plan.threadsPerRank();
  }

  /** Runs the collective's steps until a receive must wait for its message. */
  private void advance(SimContext ctx, BspMachine.AppThread first) {
    while (step < steps.length) {
      int s = steps[step];
      if (first.dies(first.free)) {
        return;
      }
      if (s >= 0) {
        LogGP net = m.link(rank, s);
        long begin = Math.max(first.free, lastSendStart + net.gapNs());
        lastSendStart = begin;
        first.free = BspMachine.run(first.noise, begin, net.overheadNs());
        long arrival = first.free + net.transitNs(m.messageBytes);
        ctx.send(m.rankEntity(s), arrival - ctx.now(), BspMachine.MSG | ((long) first.iteration << 4));
        step++;
      } else {
        int from = ~s;
        long at = take(from, first.iteration);
        if (at < 0) {
          return;
        }
        receive(first, at, from);
      }
    }
    inCollective = false;
    first.released(ctx, first.free);
  }

  private void receive(BspMachine.AppThread first, long arrival, int from) {
    first.free = BspMachine.run(first.noise, Math.max(first.free, arrival), m.link(rank, from).overheadNs());
    step++;
  }

  private void keep(int from, int iteration, long at) {
    if (early == earlyFrom.length) {
      earlyFrom = Arrays.copyOf(earlyFrom, early * 2);
      earlyIteration = Arrays.copyOf(earlyIteration, early * 2);
      earlyAt = Arrays.copyOf(earlyAt, early * 2);
    }
    earlyFrom[early] = from;
    earlyIteration[early] = iteration;
    earlyAt[early] = at;
    early++;
  }

  /** The arrival time of a kept message from {@code from} for {@code iteration}, removing it; or -1. */
  private long take(int from, int iteration) {
    for (int i = 0; i < early; i++) {
      if (earlyFrom[i] == from && earlyIteration[i] == iteration) {
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

  void record(int iteration, long at, long stolenSoFar) {
    release[iteration] = at;
    stolen[iteration] = stolenSoFar;
  }
}
