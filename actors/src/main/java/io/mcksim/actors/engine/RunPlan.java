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
  /**
   * Whether entities may run ahead ({@link SimContext#runAhead}); off, each of their self-events is
   * queued and delivered one by one (an event log, a session driven step by step, a comparison).
   */
  boolean runAhead = true;
  /** Sequential engine: the one queue every send goes straight to (null on the actor engine). */
  EventQueue globalQueue;
  final int[] domainOf;
  /** Index of each entity within its domain's member list. */
  final int[] localIndex;
  /** Entity ids of each domain, ascending. */
  final int[][] members;
  /** One cell per entity of a domain this JVM hosts; null for the others. */
  final EntityCell[] cells;
  /** Each entity's supervision, or null if the model declares none at all. */
  private final Supervision[] supervision;
  /** Each entity's supervised children, ascending (empty when the model declares no supervision). */
  private final int[][] children;

  private static final int[] NONE = new int[0];

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
    this.supervision = supervisionOf(model, n);
    this.children = childrenOf(supervision, n);
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

  /** The smallest delay the lookahead allows from {@code from} to {@code to}. */
  long minimumDelay(int from, int to) {
    if (from == to) {
      return 0;
    }
    return domainOf[from] == domainOf[to] ? localLookahead : lookahead;
  }

  /** Entity {@code id}'s supervision, or null. */
  Supervision supervision(int id) {
    return supervision == null ? null : supervision[id];
  }

  /** The entities {@code id} supervises. */
  int[] childrenOf(int id) {
    return children == null ? NONE : children[id];
  }

  /** Every entity's supervision, checked: a tree, with notice latencies the lookahead allows. */
  private Supervision[] supervisionOf(SimModel model, int n) {
    Supervision[] all = null;
    for (int id = 0; id < n; id++) {
      Supervision s = model.supervision(id);
      if (s == null) {
        continue;
      }
      if (all == null) {
        all = new Supervision[n];
      }
      int sup = s.supervisor();
      if (sup < 0 || sup >= n || sup == id) {
        throw new IllegalArgumentException("model " + model.name() + ": entity " + id + " is supervised by "
            + sup + ", which is " + (sup == id ? "itself" : "no entity (ids are 0-" + (n - 1) + ")"));
      }
      long need = minimumDelay(id, sup);
      if (s.noticeLatencyNs() < need) {
        throw new IllegalArgumentException("model " + model.name() + ": entity " + id + " (domain "
            + domainOf[id] + ") tells its supervisor " + sup + " (domain " + domainOf[sup] + ") of a failure after "
            + s.noticeLatencyNs() + "ns, below the lookahead of " + need + "ns between them");
      }
      all[id] = s;
    }
    if (all != null) {
      checkTree(model, all);
    }
    return all;
  }

  private static void checkTree(SimModel model, Supervision[] all) {
    int n = all.length;
    // 0: unvisited, 1: on the current path, 2: known to reach a root
    byte[] state = new byte[n];
    for (int id = 0; id < n; id++) {
      int e = id;
      while (e >= 0 && state[e] == 0) {
        state[e] = 1;
        e = all[e] == null ? -1 : all[e].supervisor();
      }
      if (e >= 0 && state[e] == 1) {
        throw new IllegalArgumentException("model " + model.name() + ": entity " + e
            + " is among its own supervisors; supervision must form a tree");
      }
      for (e = id; e >= 0 && state[e] == 1; e = all[e] == null ? -1 : all[e].supervisor()) {
        state[e] = 2;
      }
    }
  }

  private static int[][] childrenOf(Supervision[] all, int n) {
    if (all == null) {
      return null;
    }
    int[] count = new int[n];
    for (Supervision s : all) {
      if (s != null) {
        count[s.supervisor()]++;
      }
    }
    int[][] out = new int[n][];
    for (int id = 0; id < n; id++) {
      out[id] = count[id] == 0 ? NONE : new int[count[id]];
      count[id] = 0;
    }
    for (int id = 0; id < n; id++) {
      if (all[id] != null) {
        int sup = all[id].supervisor();
        out[sup][count[sup]++] = id;
      }
    }
    return out;
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
        EventDigest.runDigest(totals.hashes, totals.counts), jvmMessages, totals.faults());
  }

  static long elapsed(LongSupplier clock, long start) {
    return clock.getAsLong() - start;
  }
}
