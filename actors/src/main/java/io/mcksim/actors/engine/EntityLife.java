package io.mcksim.actors.engine;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The life of one entity beyond plain events: whether it is dead, its incarnation, who watches it, whom
 * it watches, the asks it made and those it has not answered yet, and, as a supervisor, how often it
 * restarted each child. A cell gets one only when it first needs one (a signal, a crash, a watch or an
 * ask), so a model that uses none of it pays nothing.
 *
 * <p>Everything here runs in the cell's own thread, at the virtual time of the event being handled, and
 * every send goes through the cell with its sequence numbers: the outcome is the same on every engine.
 * Maps whose order decides the order of sends are ordered by key or by insertion (event order).
 */
final class EntityLife {

  /** The model state of a dead entity: it drops and counts every event, and shows it to the model's dead letters. */
  private static final SimEntity DEAD = (ctx, source, data, payload) -> {
    EntityCell cell = (EntityCell) ctx;
    cell.life.deadEvents++;
    cell.plan.model.deadLetter(cell.id, source, payload);
  };

  private final EntityCell cell;
  boolean dead;
  /** Died with its supervisor: only the supervisor's own restart brings it back. */
  private boolean orphaned;
  int incarnation;
  private long diedAt;

  /** Watchers of this incarnation, and the latency each asked for. */
  private final TreeMap<Integer, Long> watchers = new TreeMap<>();
  /** Entities this one watches, and the latency of each watch. */
  private final Map<Integer, Long> watching = new HashMap<>();
  /** Asks this entity made and whose outcome is still due: ask id to target. */
  private final Map<Long, Integer> pending = new HashMap<>();
  private long nextAskId;
  /** Asks this entity received and has not answered, with the latency to tell the asker of a death. */
  private final LinkedHashMap<AskRef, Long> open = new LinkedHashMap<>();
  /** The ask whose request is being handled, or null. */
  AskRef currentAsk;
  /** Restarts per child, as this entity's supervisor. */
  private final Map<Integer, Integer> restartsOf = new HashMap<>();

  long failures;
  long restarts;
  long deadEvents;
  long lateReplies;

  EntityLife(EntityCell cell) {
    this.cell = cell;
  }

  // ---- what the entity does through its context ----

  void watch(int target, long latency) {
    if (target == cell.id) {
      throw new IllegalArgumentException("entity " + cell.id + " cannot watch itself");
    }
    if (watching.containsKey(target)) {
      return;
    }
    cell.transmitSignal(target, latency, 0, new EngineSignal.Watch(latency));
    watching.put(target, latency);
  }

  void unwatch(int target) {
    Long latency = watching.remove(target);
    if (latency != null) {
      // the same latency as the watch: the unwatch can never overtake it
      cell.transmitSignal(target, latency, 0, new EngineSignal.Unwatch());
    }
  }

  long ask(int target, long delay, long data, Object payload, long timeout) {
    if (timeout <= 0) {
      throw new IllegalArgumentException("entity " + cell.id + " asked entity " + target
          + " with a timeout of " + timeout + "ns; it must be positive");
    }
    long id = nextAskId++;
    cell.transmitSignal(target, delay, data, new EngineSignal.AskRequest(id, delay, payload));
    pending.put(id, target);
    cell.transmitSignal(cell.id, timeout, 0, new EngineSignal.AskTimeout(id, target));
    return id;
  }

  void reply(AskRef ask, long delay, long data, Object payload) {
    open.remove(ask);
    cell.transmitSignal(ask.asker(), delay, data, new EngineSignal.AskReply(ask.id(), payload));
  }

  // ---- failure and restart ----

  /** The entity crashed (or escalated) at the current time. */
  void fail(String cause) {
    if (dead) {
      return;
    }
    failures++;
    int inc = incarnation;
    die();
    Supervision sup = cell.plan.supervision(cell.id);
    if (sup != null) {
      cell.transmitSignal(sup.supervisor(), sup.noticeLatencyNs(), 0,
          new EngineSignal.FailureNotice(inc, diedAt, cause));
    }
  }

  /** Dies now: drop events from here on, tell watchers and open askers, stop the children. */
  private void die() {
    dead = true;
    diedAt = cell.now();
    cell.entity = DEAD;
    cell.digest = EventDigest.fold(cell.digest, diedAt, cell.id, -1, incarnation, null);
    EngineSignal.Died died = new EngineSignal.Died(incarnation, diedAt);
    for (Map.Entry<Integer, Long> w : watchers.entrySet()) {
      cell.transmitSignal(w.getKey(), w.getValue(), 0, died);
    }
    watchers.clear();
    for (Map.Entry<AskRef, Long> a : open.entrySet()) {
      cell.transmitSignal(a.getKey().asker(), a.getValue(), 0, new EngineSignal.AskFailed(a.getKey().id(), diedAt));
    }
    open.clear();
    pending.clear();
    watching.clear();
    currentAsk = null;
    for (int child : cell.plan.childrenOf(cell.id)) {
      cell.transmitSignal(child, cell.plan.supervision(child).noticeLatencyNs(), 0, new EngineSignal.Stop());
    }
  }

  private void revive() {
    dead = false;
    orphaned = false;
    incarnation++;
    restarts++;
    restartsOf.clear();
    cell.entity = cell.plan.model.createEntity(cell.id);
    cell.invokeStart();
    if (dead) {
      return; // it crashed while starting; its children stay down
    }
    for (int child : cell.plan.childrenOf(cell.id)) {
      cell.transmitSignal(child, cell.plan.supervision(child).noticeLatencyNs(), 0,
          new EngineSignal.Restart(-1, true));
    }
  }

  // ---- signals that reach this entity ----

  /**
   * Handles one engine signal the cell received from {@code source}, carrying {@code data}; false for
   * the timer of an ask that has already ended (it cannot be taken out of the queues, so it is
   * ignored when it comes, and does not count as an event).
   */
  boolean receive(int source, long data, EngineSignal signal) {
    if (signal instanceof EngineSignal.Watch w) {
      if (dead) {
        cell.transmitSignal(source, w.latencyNs(), 0, new EngineSignal.Died(incarnation, diedAt));
      } else {
        watchers.put(source, w.latencyNs());
      }
    } else if (signal instanceof EngineSignal.Unwatch) {
      watchers.remove(source);
    } else if (signal instanceof EngineSignal.Died d) {
      if (dead) {
        deadEvents++;
      } else if (watching.remove(source) != null) {
        cell.invokeSignal(new Signal.Terminated(source, d.incarnation(), d.diedAt()));
      }
    } else if (signal instanceof EngineSignal.FailureNotice n) {
      onChildFailed(source, n);
    } else if (signal instanceof EngineSignal.Restart r) {
      if (dead && (r.cascade() || (!orphaned && r.incarnation() == incarnation))) {
        revive();
      }
    } else if (signal instanceof EngineSignal.Stop) {
      if (!dead) {
        die();
      }
      orphaned = true;
    } else if (signal instanceof EngineSignal.AskRequest q) {
      onAsked(source, data, q);
    } else if (signal instanceof EngineSignal.AskReply r) {
      outcome(r.askId(), new Signal.Answered(r.askId(), source, data, r.payload()));
    } else if (signal instanceof EngineSignal.AskFailed f) {
      outcome(f.askId(), new Signal.TargetDied(f.askId(), source, f.diedAt()));
    } else if (signal instanceof EngineSignal.AskTimeout t) {
      if (dead) {
        deadEvents++;
      } else if (pending.remove(t.askId()) != null) {
        cell.invokeSignal(new Signal.TimedOut(t.askId(), t.target()));
      } else {
        return false;
      }
    }
    return true;
  }

  private void onAsked(int asker, long data, EngineSignal.AskRequest q) {
    if (dead) {
      deadEvents++;
      cell.plan.model.deadLetter(cell.id, asker, q.payload()); // the request is a dead letter too
      cell.transmitSignal(asker, q.latencyNs(), 0, new EngineSignal.AskFailed(q.askId(), diedAt));
      return;
    }
    AskRef ref = new AskRef(asker, q.askId());
    open.put(ref, q.latencyNs());
    currentAsk = ref;
    try {
      cell.invokeEvent(asker, data, q.payload());
    } finally {
      currentAsk = null;
    }
  }

  private void outcome(long askId, Signal.AskOutcome outcome) {
    if (dead) {
      deadEvents++;
    } else if (pending.remove(askId) != null) {
      cell.invokeSignal(outcome);
    } else {
      lateReplies++;
    }
  }

  private void onChildFailed(int child, EngineSignal.FailureNotice n) {
    if (dead) {
      deadEvents++;
      return;
    }
    Supervision sup = cell.plan.supervision(child);
    int count = restartsOf.getOrDefault(child, 0);
    Directive directive = sup.strategy().decide(child, n.cause(), count);
    if (directive instanceof Directive.Restart r) {
      restartsOf.put(child, count + 1);
      long backoff = Math.max(r.backoffNs(), cell.plan.minimumDelay(cell.id, child));
      cell.transmitSignal(child, backoff, 0, new EngineSignal.Restart(n.incarnation(), false));
    }
    cell.invokeSignal(new Signal.ChildFailed(child, n.incarnation(), n.diedAt(), n.cause(), directive));
    if (directive instanceof Directive.Escalate && !dead) {
      fail("child " + child + " failed: " + n.cause());
    }
  }
}
