package io.mcksim.actors.engine;

import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * What both engines set up identically before a run: the entity-to-domain map, one cell per entity,
 * and the lookahead bounds; and how both turn the cells into a {@link RunResult} afterwards.
 */
final class RunPlan {

  final SimModel model;
  final long endTime;
  final long lookahead;
  final long localLookahead;
  final int[] domainOf;
  /** Index of each entity within its domain's member list. */
  final int[] localIndex;
  /** Entity ids of each domain, ascending. */
  final int[][] members;
  /** One cell per entity of a domain this JVM hosts; null for the others. */
  final EntityCell[] cells;

  /** A plan whose every domain runs in this JVM. */
  RunPlan(SimModel model, long endTime) {
    this(model, endTime, domain -> true);
  }

  /**
   * A plan for the domains {@code hosted} accepts: only their entities are created here (a run spread
   * over JVMs creates each entity in the one JVM that runs its domain).
   */
  RunPlan(SimModel model, long endTime, IntPredicate hosted) {
    int n = model.entityCount();
    int d = model.domainCount();
    if (n <= 0 || d <= 0) {
      throw new IllegalArgumentException("a model needs at least one entity and one domain, got "
          + n + " entities and " + d + " domains");
    }
    if (endTime <= 0) {
      throw new IllegalArgumentException("the end time must be positive, got " + endTime + "ns");
    }
    long la = model.lookahead();
    long lla = model.localLookahead();
    if (la <= 0 || lla <= 0 || lla > la) {
      throw new IllegalArgumentException("model " + model.name() + ": need 0 < localLookahead <= lookahead,"
          + " got localLookahead=" + lla + "ns, lookahead=" + la + "ns");
    }
    this.model = model;
    this.endTime = endTime;
    this.lookahead = la;
    this.localLookahead = lla;
    this.domainOf = new int[n];
    int[] count = new int[d];
    for (int id = 0; id < n; id++) {
      int dom = model.domainOf(id);
      if (dom < 0 || dom >= d) {
        throw new IllegalArgumentException("model " + model.name() + " put entity " + id + " in domain "
            + dom + ", outside 0-" + (d - 1));
      }
      domainOf[id] = dom;
      count[dom]++;
    }
    this.members = new int[d][];
    for (int dom = 0; dom < d; dom++) {
      members[dom] = new int[count[dom]];
    }
    this.localIndex = new int[n];
    int[] fill = new int[d];
    for (int id = 0; id < n; id++) {
      int dom = domainOf[id];
      localIndex[id] = fill[dom];
      members[dom][fill[dom]++] = id;
    }
    this.cells = new EntityCell[n];
    for (int id = 0; id < n; id++) {
      if (hosted.test(domainOf[id])) {
        cells[id] = new EntityCell(id, model.createEntity(id), this);
      }
    }
  }

  int domainCount() {
    return members.length;
  }

  String replayHint() {
    return "model " + model.name() + ", seed " + model.seed() + " (replay with --seed " + model.seed() + ")";
  }

  RunResult result(String engine, int threads, long windows, long subWindows, long wallNanos) {
    EntityTotals totals = new EntityTotals(cells.length);
    totals.add(this);
    return result(totals, engine, threads, windows, subWindows, wallNanos, 0);
  }

  /** The run's result from every entity's totals, wherever its cell lived. */
  RunResult result(EntityTotals totals, String engine, int threads, long windows, long subWindows,
      long wallNanos, long jvmMessages) {
    long virtualEnd = totals.beyondEnd > 0 ? endTime : totals.lastEventTime;
    return new RunResult(engine, threads, model.name(), model.seed(), cells.length, domainCount(),
        totals.events(), windows, subWindows, virtualEnd, wallNanos,
        EventDigest.runDigest(totals.hashes, totals.counts), jvmMessages);
  }

  static long elapsed(LongSupplier clock, long start) {
    return clock.getAsLong() - start;
  }
}
