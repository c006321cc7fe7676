package io.mcksim.actors.engine;

/**
 * The engine's bookkeeping around one entity: its model state, its clock, its send counter, its event
 * digest, and the buffers through which the engines feed it events and collect what it sends.
 *
 * <p>In the actor engine a cell is owned by its domain and lent to its entity actor while a batch runs;
 * the hand-over is ordered by the batch message and the domain's completion latch, so the two never
 * touch a cell at the same time. In the sequential engine the single loop owns every cell.
 */
final class EntityCell implements SimContext {

  final int id;
  /** The model state; replaced by a dead sink when the entity dies, by a fresh instance on a restart. */
  SimEntity entity;
  final RunPlan plan;
  final int domain;

  private long now;
  /** The sequence number of this entity's next send. */
  long nextSeq;
  long digest = EventDigest.EMPTY;
  long events;
  /** Events the domain has already counted for progress. */
  long countedEvents;
  long lastEventTime = -1;
  long beyondEnd;

  /**
   * Actor engine: what the cell needs to run in batches; its own is made when it first runs in its own
   * actor (or fails), so that a cell of the sequential engine (a machine of millions of CPUs) does not
   * carry it, nor a cell whose domain always delivers its events itself: that one is lent the domain's
   * shared state ({@link #lend}) for the batch.
   */
  private Batches batches;

  /** The actor engine's state of one cell, between and during its batches. */
  static final class Batches {
    /** Shared by the cells a domain runs itself (see {@link #lend}), not one cell's own. */
    final boolean shared;

    Batches(boolean shared) {
      this.shared = shared;
    }

    /**
     * This batch's events are {@code input.events} at the indices {@code input.order[inStart .. inEnd)},
     * in key order; set by the domain before the batch, read-only during it.
     */
    BatchInput input;
    int inStart;
    int inEnd;
    /** Where this batch's sends go (the running thread's outbox for this domain). */
    EventBuffer outbox;
    /**
     * When its domain runs this cell's part of the batch itself, straight from its queue: where every
     * send goes at once (the domain's queue, or its events for other domains), self-events inside the
     * batch included, which the queue then pops in order. Null otherwise.
     */
    EventSink direct;
    /** Self-events that fall inside the running batch; allocated on first use. */
    EventHeap selfQueue;
    long batchEnd = Long.MIN_VALUE;
    /**
     * Where this batch's streamed sends go, in the order sent: its domain's stream link when the domain
     * runs the cell itself (the link gathers them, and the domain feeds the stream between batches),
     * its domain's own buffer for a start hook, else the running thread's streamed outbox for the
     * domain, which the domain hands to its stream link after the batch.
     */
    EventSink streamed;
    /** A model exception raised while this cell ran in an entity actor, or null. */
    Failure failure;
  }

  /** A model exception raised while a cell ran in an entity actor, and the virtual time it was raised at. */
  record Failure(Throwable error, long time) {}

  /**
   * A domain's running batch, shared by the cells that run in it: its events in key order, and their
   * indices regrouped by entity (a cell's are {@code order[inStart .. inEnd)}).
   */
  static final class BatchInput {
    final EventBuffer events;
    int[] order;

    BatchInput(EventBuffer events, int[] order) {
      this.events = events;
      this.order = order;
    }
  }

  /** Actor engine: the cell's own batch state (made on first use, in place of a lent one). */
  Batches batches() {
    Batches b = batches;
    if (b == null || b.shared) {
      b = new Batches(false);
      batches = b;
    }
    return b;
  }

  /**
   * Actor engine: the state the cell runs with while its domain delivers its events itself (or runs
   * its start hook): its own if it has one, else {@code shared}, the domain's, lent until {@link
   * #endLoan}. The domain sets where sends go in whichever it gets.
   */
  Batches lend(Batches shared) {
    if (batches == null) {
      batches = shared;
    }
    return batches;
  }

  /** Actor engine: the batch its domain ran it in is over: a lent state goes back, its own is reset. */
  void endLoan() {
    Batches b = batches;
    if (b == null) {
      return;
    }
    if (b.shared) {
      batches = null;
    } else {
      b.direct = null;
      b.streamed = null;
      b.batchEnd = Long.MIN_VALUE;
    }
  }

  /** Actor engine: the model exception the cell raised in its last batch, or null. */
  Failure failure() {
    Batches b = batches;
    return b == null ? null : b.failure;
  }

  /** Supervision, deathwatch and ask state; null until the entity first uses or meets any of them. */
  EntityLife life;

  /** The stretch of self-events the entity runs ahead ({@link #runAhead}); null until it first does. */
  private RunningAhead ahead;

  EntityCell(int id, SimEntity entity, RunPlan plan) {
    this.id = id;
    this.entity = entity;
    this.plan = plan;
    this.domain = plan.domainOf[id];
  }

  @Override
  public long now() {
    return now;
  }

  @Override
  public int self() {
    return id;
  }

  /**
   * Runs the entity's start hook at virtual time 0, its sends going to {@code out}, its streamed sends
   * to {@code streamed}.
   */
  void start(EventBuffer out, EventBuffer streamed, Batches shared) {
    now = 0;
    Batches b = lend(shared);
    b.outbox = out;
    b.streamed = streamed;
    invokeStart();
    b.outbox = null;
    b.streamed = null;
    endLoan();
  }

  /**
   * Whether an event with {@code payload} is likely to make this cell handle at least {@code events}
   * events: a wake-up of a stretch running ahead whose last wake-up took that many (or that is its first).
   */
  boolean takesAhead(Object payload, int events) {
    return payload == RunningAhead.WAKE && ahead != null && ahead.wakeTakes(events);
  }

  /** Sequential engine: runs the start hook, its sends going to the global queue. */
  void start() {
    now = 0;
    invokeStart();
  }

  /** Delivers one event (sequential engine, and each step of {@link #runBatch}). */
  void deliver(long time, int source, long seq, long data, Object payload) {
    RunningAhead a = ahead;
    if (a != null) {
      if (payload == RunningAhead.WAKE) {
        a.wokenAt(time);
        return;
      }
      if (a.active()) {
        a.before(time, source, seq); // what the stretch had before this event, then it ends
      }
    }
    now = time;
    events++;
    digest = EventDigest.fold(digest, time, source, seq, data, payload);
    if (payload instanceof EngineSignal.Envelope signalled) {
      if (life().receive(source, data, signalled.signal())) {
        lastEventTime = time;
      } else {
        events--; // the timer of an ask that has ended: it neither counts nor extends the run
      }
      return;
    }
    lastEventTime = time;
    try {
      entity.onEvent(this, source, data, payload);
    } catch (RuntimeException | StackOverflowError e) {
      crashed(e);
    }
  }

  /**
   * An event of the stretch running ahead was taken in closed form at {@code time}: it is folded and
   * counted as its delivery would be.
   */
  void taken(long time, long seq, long data, long fingerprint) {
    now = time;
    events++;
    digest = EventDigest.fold(digest, time, id, seq, data, fingerprint);
    lastEventTime = time;
  }

  /** The stretch running ahead threw while taking an event: as if its delivery had. */
  void failedAhead(Throwable e) {
    crashed(e);
  }

  @Override
  public void runAhead(RunAhead stretch) {
    if (!plan.runAhead) {
      send(id, stretch.time() - now, stretch.data(), stretch.payload());
      return;
    }
    if (stretch.time() < now) {
      throw new CausalityViolation("entity " + id + " at t=" + now + "ns ran ahead from the past (t="
          + stretch.time() + "ns)");
    }
    if (ahead == null) {
      ahead = new RunningAhead(this);
    }
    ahead.start(stretch);
  }

  /** Hands one event to the model, as {@link #deliver} does; a marked crash makes the entity fail. */
  void invokeEvent(int source, long data, Object payload) {
    try {
      entity.onEvent(this, source, data, payload);
    } catch (RuntimeException | StackOverflowError e) {
      crashed(e);
    }
  }

  void invokeSignal(Signal signal) {
    try {
      entity.onSignal(this, signal);
    } catch (RuntimeException | StackOverflowError e) {
      crashed(e);
    }
  }

  void invokeStart() {
    try {
      entity.start(this);
    } catch (RuntimeException | StackOverflowError e) {
      crashed(e);
    }
  }

  /**
   * A crash fails the entity; any other exception goes on and stops the run, as always (a lookahead
   * violation always does, whatever the model marks).
   */
  private void crashed(Throwable e) {
    if (e instanceof CausalityViolation || !plan.model.isCrash(e)) {
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw (Error) e;
    }
    life().fail(e instanceof EntityCrash ? String.valueOf(e.getMessage()) : e.toString());
  }

  EntityLife life() {
    EntityLife l = life;
    if (l == null) {
      l = new EntityLife(this);
      life = l;
    }
    return l;
  }

  /**
   * Actor engine: processes this batch's events plus any self-events that fall before {@code end}, in
   * the order (time, source, sequence number). Everything sent elsewhere or later goes to {@code out},
   * what it streams to {@code streamed}.
   */
  void runBatch(long end, EventBuffer out, EventBuffer streamed) {
    Batches b = batches();
    b.batchEnd = end;
    b.outbox = out;
    b.streamed = streamed;
    EventBuffer in = b.input.events;
    int[] order = b.input.order;
    int next = b.inStart;
    int stop = b.inEnd;
    while (true) {
      boolean fromBatch = next < stop;
      int i = fromBatch ? order[next] : -1;
      EventHeap selfQueue = b.selfQueue;
      if (selfQueue != null && !selfQueue.isEmpty()
          && (!fromBatch || selfFirst(selfQueue, in.time[i], in.source[i], in.seq[i]))) {
        selfQueue.pop();
        deliver(selfQueue.topTime, selfQueue.topSource, selfQueue.topSeq, selfQueue.topData,
            selfQueue.topPayload);
      } else if (fromBatch) {
        next++;
        deliver(in.time[i], in.source[i], in.seq[i], in.data[i], in.payload[i]);
      } else {
        break;
      }
    }
    b.input = null;
    b.outbox = null;
    b.streamed = null;
    b.batchEnd = Long.MIN_VALUE;
  }

  private static boolean selfFirst(EventHeap selfQueue, long time, int source, long seq) {
    long t = selfQueue.minTime();
    if (t != time) {
      return t < time;
    }
    int selfSource = (int) selfQueue.peekRoute();
    if (selfSource != source) {
      return selfSource < source;
    }
    return selfQueue.peekSeq() < seq;
  }

  @Override
  public void send(int target, long delay, long data, Object payload) {
    transmit(target, delay, data, payload, false);
  }

  /** Sends one of the engine's own signals, with the same checks and order as any event. */
  void transmitSignal(int target, long delay, long data, EngineSignal signal) {
    transmit(target, delay, data, new EngineSignal.Envelope(signal), false);
  }

  @Override
  public void crash(String reason) {
    throw new EntityCrash(reason);
  }

  @Override
  public int incarnation() {
    return life == null ? 0 : life.incarnation;
  }

  @Override
  public void watch(int target) {
    watch(target, plan.minimumDelay(id, checkTarget(target)));
  }

  @Override
  public void watch(int target, long latencyNs) {
    life().watch(checkTarget(target), latencyNs);
  }

  @Override
  public void unwatch(int target) {
    if (life != null) {
      life.unwatch(target);
    }
  }

  @Override
  public long ask(int target, long delay, long data, Object payload, long timeoutNs) {
    return life().ask(checkTarget(target), delay, data, payload, timeoutNs);
  }

  @Override
  public AskRef currentAsk() {
    return life == null ? null : life.currentAsk;
  }

  @Override
  public void reply(AskRef ask, long delay, long data, Object payload) {
    life().reply(ask, delay, data, payload);
  }

  private int checkTarget(int target) {
    if (target < 0 || target >= plan.domainOf.length) {
      throw new IllegalArgumentException("entity " + id + " at t=" + now + "ns named entity " + target
          + ", which does not exist (ids are 0-" + (plan.domainOf.length - 1) + ")");
    }
    return target;
  }

  @Override
  public void sendStreamed(int target, long delay, long data, Object payload) {
    int[] modelDomainOf = plan.modelDomainOf;
    if (target >= 0 && target < modelDomainOf.length && modelDomainOf[target] != modelDomainOf[id]) {
      throw new IllegalArgumentException("entity " + id + " (domain " + modelDomainOf[id] + ") streamed an event"
          + " to entity " + target + " of domain " + modelDomainOf[target] + "; streamed traffic stays"
          + " within a domain");
    }
    transmit(target, delay, data, payload, true);
  }

  private void transmit(int target, long delay, long data, Object payload, boolean streamed) {
    if (target < 0 || target >= plan.domainOf.length) {
      throw new IllegalArgumentException("entity " + id + " at t=" + now + "ns sent to entity " + target
          + ", which does not exist (ids are 0-" + (plan.domainOf.length - 1) + ")");
    }
    if (delay < 0) {
      throw new CausalityViolation("entity " + id + " at t=" + now + "ns sent an event into the past"
          + " (delay " + delay + "ns)");
    }
    // a delay of at least the lookahead is enough for any target (localLookahead <= lookahead): only a
    // shorter one needs the target's domain
    if (target != id && delay < plan.lookahead) {
      long need = plan.minimumDelay(id, target);
      if (delay < need) {
        throw new CausalityViolation("entity " + id + " (domain " + plan.modelDomainOf[id] + ") at t=" + now
            + "ns sent to entity " + target + " (domain " + plan.modelDomainOf[target] + ") with delay "
            + delay + "ns, below the model's " + (need == plan.lookahead ? "" : "local ")
            + "lookahead of " + need + "ns");
      }
    }
    long seq = nextSeq++;
    long time = now + delay;
    // a sum past VirtualTime.NEVER wraps below now: it lies beyond every end time too
    if (time < now || time >= plan.endTime) {
      beyondEnd++;
      return;
    }
    route(target, time, seq, data, payload, streamed);
  }

  /** Puts an event whose checks are done where it goes: a queue, the self-queue, a stream, an outbox. */
  void route(int target, long time, long seq, long data, Object payload, boolean streamed) {
    EventQueue globalQueue = plan.globalQueue;
    if (globalQueue != null) {
      globalQueue.push(time, target, id, seq, data, payload);
      return;
    }
    Batches b = batches;
    boolean selfInBatch = target == id && time < b.batchEnd;
    if (b.direct != null && (selfInBatch || !streamed)) {
      b.direct.accept(time, target, id, seq, data, payload);
    } else if (selfInBatch) {
      if (b.selfQueue == null) {
        b.selfQueue = new EventHeap(4);
      }
      b.selfQueue.push(time, id, id, seq, data, payload);
    } else if (streamed) {
      b.streamed.accept(time, target, id, seq, data, payload);
    } else {
      b.outbox.add(time, target, id, seq, data, payload);
    }
  }
}
