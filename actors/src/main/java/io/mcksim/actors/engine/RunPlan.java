package io.mcksim.actors.engine;

import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * What both engines set up identically before a run: the entity-to-domain map, one cell per entity,
 * and the lookahead bounds; and how both turn the cells into a {@link RunResult} afterwards.
 *
 * <p>The model's domains are its unit of lookahead: every check of a send's delay, and every delay the
 * engine derives from the lookahead (a death notice, a restart's back-off), goes by them, so that they
 * are the same whatever runs the domains. The engine's domains are its unit of scheduling: each is one
 * sequencer actor, and on the actor engine it may run several consecutive model domains ({@link
 * #joinedDomains}): a machine of many small nodes then needs fewer sequencer orders and reports per window.
 * Results do not depend on the joining, as both engines order every entity's events by the same full key.
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
  /** The engine's domain (its sequencer) of each entity. */
  final int[] domainOf;
  /** The model's domain of each entity ({@link SimModel#domainOf}): what the lookahead is kept by. */
  final int[] modelDomainOf;
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
    this(model, endTime, 1, domain -> true);
  }

  /** A plan whose every domain runs in this JVM, each running {@code joined} consecutive model domains. */
  RunPlan(SimModel model, long endTime, int joined) {
    this(model, endTime, joined, domain -> true);
  }

  /**
   * Consecutive model domains one engine domain of the actor engine runs on {@code threads} threads:
   * {@code configured} if positive; else as many as leave at least 16 engine domains per thread and
   * at most 4,096 entities in one (always at least 1).
   */
  static int joinedDomains(SimModel model, int threads, int configured) {
    if (configured < 0) {
      throw new IllegalArgumentException("mcksim.actors.engine.join-domains must be 0 (the engine's choice) or"
          + " a number of domains per sequencer, got " + configured);
    }
    if (configured > 0) {
      return configured;
    }
    long domains = model.domainCount();
    long entities = model.entityCount();
    long byThreads = domains / (16L * Math.max(1, threads));
    long bySize = 4096L * domains / Math.max(1, entities);
    return (int) Math.max(1, Math.min(byThreads, bySize));
  }

  /**
   * A plan for the domains {@code hosted} accepts: only their entities are created here (a run spread
   * over JVMs creates each entity in the one JVM that runs its domain).
   */
  RunPlan(SimModel model, long endTime, IntPredicate hosted) {
    this(model, endTime, 1, hosted);
  }

  private RunPlan(SimModel model, long endTime, int joined, IntPredicate hosted) {
    int n = model.entityCount();
    int md = model.domainCount();
    if (n <= 0 || md <= 0) {
      throw new IllegalArgumentException("a model needs at least one entity and one domain, got "
          + n + " entities and " + md + " domains");
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
    if (joined < 1) {
      throw new IllegalArgumentException("an engine domain runs at least one model domain, got " + joined);
    }
    int d = (int) ((md + (long) joined - 1) / joined);
    this.domainOf = new int[n];
    this.modelDomainOf = joined == 1 ? domainOf : new int[n];
    int[] count = new int[d];
    for (int id = 0; id < n; id++) {
      int dom = model.domainOf(id);
      if (dom < 0 || dom >= md) {
        throw new IllegalArgumentException("model " + model.name() + " put entity " + id + " in domain "
            + dom + ", outside 0-" + (md - 1));
      }
      modelDomainOf[id] = dom;
      domainOf[id] = dom / joined;
      count[dom / joined]++;
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

  /** The engine's domains: its sequencers. */
  int domainCount() {
    return members.length;
  }

  /** The smallest delay the lookahead allows from {@code from} to {@code to} (by the model's domains). */
  long minimumDelay(int from, int to) {
    if (from == to) {
      return 0;
    }
    return modelDomainOf[from] == modelDomainOf[to] ? localLookahead : lookahead;
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
            + modelDomainOf[id] + ") tells its supervisor " + sup + " (domain " + modelDomainOf[sup]
            + ") of a failure after " + s.noticeLatencyNs() + "ns, below the lookahead of " + need + "ns between them");
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
    return new RunResult(engine, threads, model.name(), model.seed(), cells.length, model.domainCount(),
        domainCount(),
        totals.events(), windows, subWindows, virtualEnd, wallNanos,
        EventDigest.runDigest(totals.hashes, totals.counts), jvmMessages, totals.faults());
  }

  static long elapsed(LongSupplier clock, long start) {
    return clock.getAsLong() - start;
  }
}
