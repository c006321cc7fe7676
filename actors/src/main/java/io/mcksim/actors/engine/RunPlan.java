package io.mcksim.actors.engine;

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
  final EntityCell[] cells;

  RunPlan(SimModel model, long endTime) {
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
      cells[id] = new EntityCell(id, model.createEntity(id), this);
    }
  }

  int domainCount() {
    return members.length;
  }

  String replayHint() {
    return "model " + model.name() + ", seed " + model.seed() + " (replay with --seed " + model.seed() + ")";
  }

  RunResult result(String engine, int threads, long windows, long subWindows, long wallNanos) {
    int n = cells.length;
    long[] hashes = new long[n];
    long[] counts = new long[n];
    long events = 0;
    long beyond = 0;
    long last = 0;
    for (int id = 0; id < n; id++) {
      EntityCell c = cells[id];
      hashes[id] = c.digest;
      counts[id] = c.events;
      events += c.events;
      beyond += c.beyondEnd;
      last = Math.max(last, c.lastEventTime);
    }
    long virtualEnd = beyond > 0 ? endTime : last;
    return new RunResult(engine, threads, model.name(), model.seed(), n, domainCount(), events, windows,
        subWindows, virtualEnd, wallNanos, EventDigest.runDigest(hashes, counts));
  }

  static long elapsed(LongSupplier clock, long start) {
    return clock.getAsLong() - start;
  }
}
