package io.mcksim.actors.engine;

import io.mcksim.actors.serialization.SimMessage;
import java.util.Arrays;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The sequencer of one domain (one simulated node): it owns the pending events of its entities and
 * orders them exactly.
 *
 * <p>Within a global window [start, end) it runs batches: from the earliest pending time t0 up to
 * {@code min(end, t0 + localLookahead)}. No event sent during a batch can land inside it on another
 * entity, so the entities of a batch run in parallel, each through its own actor. Events for other
 * domains are collected and sent once per window, one message per destination domain, after the
 * coordinator has been told how many to expect.
 */
public final class DomainSequencer extends AbstractBehavior<DomainSequencer.Command> {

  public interface Command {}

  /** Run the entities' start hooks, report the first pending time, and every window, to {@code coordinator}. */
  public record Start(ActorRef<EngineCoordinator.Command> coordinator) implements Command, SimMessage {}

  /**
   * Run window number {@code window}, [start, end). Do not begin before {@code inboundTotal}
   * cross-domain batches sent in earlier windows (counted since the run began) have arrived.
   */
  public record RunWindow(long window, long start, long end, long inboundTotal) implements Command, SimMessage {}

  /**
   * Events another domain sent to this one at the end of window {@code window} (0 for the start
   * phase); all lie at or after that window's end.
   */
  public record CrossBatch(int from, long window, EventBuffer events) implements Command, SimMessage {}

  /** How a domain reaches the others: its own JVM's actors, or sharded entities across JVMs. */
  @FunctionalInterface
  interface Peers {
    void tell(int domain, Command message);

    /** Domain {@code domain}'s actor has started, as {@code self}: it may be told directly from now on. */
    default void started(int domain, ActorRef<Command> self) {}
  }

  /** The last entity actor of the running batch has finished. */
  enum BatchDone implements Command { INSTANCE }

  /** Go on with the window: sent to itself after a run of batches it ran itself, so the stream gets in. */
  private enum Continue implements Command { INSTANCE }

  /** Batches a domain runs itself, one after another, before it lets its other messages in. */
  private static final int INLINE_RUN = 64;

  /** Events came out of this domain's event stream while it waited for them. */
  private enum StreamReady implements Command { INSTANCE }

  /** A stage of this domain's event stream failed. */
  private record StreamFailed(Throwable error) implements Command {}

  private final int domain;
  private final RunPlan plan;
  private ActorRef<EngineCoordinator.Command> coordinator;
  private final int[] members;
  private final EntityCell[] cells;
  /** The live actor of each member (by local index), or null: none yet, or passivated. */
  private final ActorRef<EntityActor.Command>[] entities;
  /**
   * The batch in which each member's actor last had work (its low 32 bits; 0: never); an actor idle
   * for {@link #passivateAfter} batches is stopped at the next sweep ({@link #passivateIdle}).
   */
  private final int[] lastWork;
  /** Batches without work after which an entity's actor is stopped; 0: never. */
  private final int passivateAfter;
  /** The batch count at which the next sweep for idle actors runs. */
  private long nextSweep;
  private final BatchLatch latch;
  private final EventQueue queue;
  private final Outboxes outboxes;
  /** The running batch's events in key order, and their indices regrouped by entity. */
  private final EventBuffer batch = new EventBuffer();
  private int[] batchOrder = new int[16];
  /** The two as the batch's cells see them. */
  private final EntityCell.BatchInput batchInput = new EntityCell.BatchInput(batch, batchOrder);
  /** Events per entity (by local index) in the running batch. */
  private final int[] perEntity;
  private final int[] active;
  private int activeCount;
  private final EventSink router = this::route;
  private final StreamLink.Taker filer = this::file;
  private final StreamLink streamLink;
  /** Takes streamed sends into the link, one by one. */
  private final EventSink streamSink;
  /**
   * The streamed sends of its members' start hooks, in order (in a batch, what an entity the domain runs
   * itself streams goes straight into the link, {@link #streamSink}).
   */
  private final EventBuffer streamedHere = new EventBuffer();
  /** The batch state lent to the cells this domain runs itself that have none of their own. */
  private final EntityCell.Batches inline = new EntityCell.Batches(true);
  /**
   * An entity whose last batch had at least this many of its events runs the next in its own actor; 1:
   * every entity always does, 0: none ever does ({@code mcksim.actors.engine.hand-off-events}).
   */
  private final int handOffEvents;
  /**
   * Events a batch that ran every entity here may run past its usual end ({@link #runOn}); 0: none
   * ({@code mcksim.actors.engine.run-on-events}).
   */
  private final int runOn;
  /** Per member (by local index): its events in its last batch, the estimate of its next one's. */
  private final int[] lastShare;
  /** Per member, during a batch: does it run this batch in its own actor? */
  private final boolean[] ownActor;
  private boolean waitingForStream;
  /** The start of the last batch run: the virtual time this domain has reached. */
  private long reached;
  private final Peers peers;

  private final EventBuffer crossOut = new EventBuffer();
  /** The last window this domain was told to run (0 before any). */
  private long window;
  /** Batches received that were sent in windows before {@link #window}. */
  private long inboundReceived;
  /**
   * Batches sent in windows at or after {@link #window}: a peer may already have run the window this
   * domain has not heard of yet, and its batch can overtake the coordinator's message. Keyed by window.
   */
  private final TreeMap<Long, Integer> inboundAhead = new TreeMap<>();
  private long inboundExpected;
  private boolean windowPending;
  private long windowEnd;
  private long batches;
  /** Events this domain's entities have processed, for progress reports. */
  private long eventsDone;

  static Behavior<Command> create(int domain, RunPlan plan, Outboxes outboxes, Peers peers) {
    return Behaviors.setup(ctx -> new DomainSequencer(ctx, domain, plan, outboxes, peers));
  }

  private DomainSequencer(ActorContext<Command> context, int domain, RunPlan plan, Outboxes outboxes,
      Peers peers) {
    super(context);
    this.domain = domain;
    this.plan = plan;
    this.outboxes = outboxes;
    this.peers = peers;
    this.members = plan.members[domain];
    this.perEntity = new int[members.length];
    this.cells = new EntityCell[members.length];
    this.active = new int[members.length];
    this.ownActor = new boolean[members.length];
    this.lastShare = new int[members.length];
    this.latch = new BatchLatch(context.getSelf());
    this.queue = new EventQueue();
    ActorRef<Command> self = context.getSelf();
    this.streamLink = new StreamLink(context.getSystem(), domain, members.length, plan.localIndex,
        plan.model.streamTransport(),
        context.getSystem().settings().config().getInt("mcksim.actors.engine.stream-buffer"),
        new StreamLink.Domain() {
          @Override
          public void wake() {
            self.tell(StreamReady.INSTANCE);
          }

          @Override
          public void failed(Throwable error) {
            self.tell(new StreamFailed(error));
          }
        });
    this.streamSink = streamLink::add;
    com.typesafe.config.Config settings = context.getSystem().settings().config();
    this.handOffEvents = settings.getInt("mcksim.actors.engine.hand-off-events");
    this.runOn = settings.getInt("mcksim.actors.engine.run-on-events");
    this.passivateAfter = settings.getInt("mcksim.actors.engine.passivate-after");
    this.nextSweep = passivateAfter;
    this.entities = newRefArray(members.length);
    this.lastWork = new int[members.length];
    for (int i = 0; i < members.length; i++) {
      cells[i] = plan.cells[members[i]];
    }
  }

  /**
   * The actor of the entity at local index {@code li}, which has work in the running batch: spawned
   * when the entity first has work, so that an entity that never has any never costs an actor (on a
   * large machine most CPUs of most nodes stay idle for long stretches, and an OS instance's CPUs come
   * to life when its boot reaches them), and spawned again after a passivation. The entity's state
   * lives in its cell, so a new actor goes on where the stopped one was; a respawned actor's name
   * carries the batch, as the stopped one's may still be reserved while it terminates.
   */
  private ActorRef<EntityActor.Command> entity(int li) {
    ActorRef<EntityActor.Command> ref = entities[li];
    if (ref == null) {
      String name = lastWork[li] == 0 ? "e" + members[li] : "e" + members[li] + "-" + batches;
      ref = getContext().spawn(EntityActor.create(cells[li], latch, outboxes), name);
      entities[li] = ref;
    }
    lastWork[li] = (int) batches;
    return ref;
  }

  /**
   * Stops the actor of every member that has had no work for {@link #passivateAfter} batches: a machine
   * of millions of mostly idle entities holds few live actors. Runs between batches, when no entity
   * actor of this domain has a message; results do not depend on it.
   */
  private void passivateIdle() {
    nextSweep = batches + passivateAfter;
    int now = (int) batches;
    for (int li = 0; li < entities.length; li++) {
      ActorRef<EntityActor.Command> ref = entities[li];
      if (ref != null && now - lastWork[li] >= passivateAfter) {
        getContext().stop(ref);
        entities[li] = null;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static ActorRef<EntityActor.Command>[] newRefArray(int n) {
    return (ActorRef<EntityActor.Command>[]) new ActorRef<?>[n];
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Start.class, this::onStart)
        .onMessage(RunWindow.class, this::onRunWindow)
        .onMessage(CrossBatch.class, this::onCrossBatch)
        // by class, not onMessageEquals: a singleton's class test is one instanceof per message, where
        // the equality test runs Scala's boxed equals on every message that reaches it
        .onMessage(BatchDone.class, done -> onBatchDone())
        .onMessage(Continue.class, more -> continueWork())
        .onMessage(StreamReady.class, ready -> onStreamReady())
        .onMessage(StreamFailed.class, this::onStreamFailed)
        .build();
  }

  /**
   * Runs every member's start hook at virtual time 0, here in the domain (a start hook only schedules
   * initial events), then reports the first pending time like the end of a window.
   */
  private Behavior<Command> onStart(Start start) {
    coordinator = start.coordinator();
    peers.started(domain, getContext().getSelf());
    windowEnd = Long.MIN_VALUE;
    EventBuffer out = outboxes.forCurrentThread(domain);
    for (int i = 0; i < members.length; i++) {
      active[i] = i;
      try {
        cells[i].start(out, streamedHere, inline);
      } catch (RuntimeException | StackOverflowError e) {
        coordinator.tell(new EngineCoordinator.DomainFailed(domain, cells[i].id, -1, e));
        return Behaviors.stopped();
      }
    }
    activeCount = members.length;
    afterBatch();
    return continueWork();
  }

  private Behavior<Command> onRunWindow(RunWindow run) {
    window = run.window();
    windowEnd = run.end();
    inboundExpected = run.inboundTotal();
    while (!inboundAhead.isEmpty() && inboundAhead.firstKey() < window) {
      inboundReceived += inboundAhead.pollFirstEntry().getValue();
    }
    windowPending = true;
    return maybeBeginWindow();
  }

  private Behavior<Command> onCrossBatch(CrossBatch batch) {
    EventBuffer in = batch.events();
    for (int i = 0; i < in.size; i++) {
      queue.push(in.time[i], in.target[i], in.source[i], in.seq[i], in.data[i], in.payload[i]);
    }
    if (batch.window() < window) {
      inboundReceived++;
    } else {
      inboundAhead.merge(batch.window(), 1, Integer::sum);
    }
    return maybeBeginWindow();
  }

  private Behavior<Command> maybeBeginWindow() {
    if (windowPending && inboundReceived == inboundExpected) {
      windowPending = false;
      return continueWork();
    }
    return this;
  }

  /**
   * Runs the batch [t0, batchEnd): its events come off the queue in key order. An entity whose work in
   * its last batch paid for a message (at least {@code hand-off-events} events), or whose first event
   * is the wake-up of a stretch running ahead that took that many last time ({@link RunningAhead}),
   * runs this batch in its own actor: its events are gathered, regrouped by entity, and handed over once
   * the batch is read, and the actors run in parallel on the dispatcher's threads. Every other entity's events are
   * delivered here, straight from the queue as the sequential engine delivers them: its sends go at
   * once into the queue (a self-event inside the batch is popped in its turn) or among the events for
   * other domains. Either way an entity sees its events in the same order, so the results do not depend
   * on which way it ran. True when the batch is done here; false when entity actors run it, and
   * {@link BatchDone} follows.
   */
  private boolean nextBatch(long t0, long batchEnd) {
    reached = t0;
    int[] localIndex = plan.localIndex;
    int[] count = perEntity;
    boolean[] own = ownActor;
    EventBuffer gathered = batch;
    EventQueue q = queue;
    activeCount = 0;
    int handed = 0;
    boolean failed = false;
    while (q.minTime() < batchEnd) {
      q.pop();
      int li = localIndex[q.topTarget];
      EntityCell cell = cells[li];
      if (count[li]++ == 0) {
        active[activeCount++] = li;
        if (handOffEvents == 1 || (handOffEvents > 1 && (lastShare[li] >= handOffEvents
            || cell.takesAhead(q.topPayload, handOffEvents)))) {
          own[li] = true;
          handed++;
        } else {
          runsHere(cell, batchEnd);
        }
      }
      if (own[li]) {
        gathered.add(q.topTime, q.topTarget, q.topSource, q.topSeq, q.topData, q.topPayload);
        continue;
      }
      if (!deliverTop(cell)) {
        failed = true; // the run ends: nothing more of this batch runs
        break;
      }
    }
    if (handed == 0 && !failed && runOn > 0) {
      failed = runOn(batchEnd);
    }
    batches++;
    if (handed > 0 && !failed) {
      handOver(batchEnd, handed);
    }
    for (int k = 0; k < activeCount; k++) {
      int li = active[k];
      lastShare[li] = count[li];
      count[li] = 0;
      if (own[li]) {
        own[li] = false;
      } else {
        cells[li].endLoan();
      }
    }
    return handed == 0 || failed;
  }

  /**
   * The batch ran every entity here: it goes on past its end, in key order, while nothing can come
   * before the next event: not before the window's end, not before the earliest event owed by the
   * stream, held or in flight (what the batch streams joins the link at once and moves that bound), and
   * for at most {@link #runOn} events. Inside a batch that ran every entity here the order of delivery
   * is the queue's, which is the sequential engine's; ending the batch at its usual bound serves only
   * entity actors, which run a batch in parallel. An entity first met here runs here too, and its share
   * counts one event, so the estimate that hands busy entities to their actors keeps measuring a batch
   * of the usual length. True when a model exception ended the batch.
   */
  private boolean runOn(long batchEnd) {
    int[] localIndex = plan.localIndex;
    int[] count = perEntity;
    EventQueue q = queue;
    long end = windowEnd;
    for (int left = runOn; left > 0; left--) {
      long t = q.minTime();
      if (t >= end || t >= streamLink.owedMin()) {
        break;
      }
      q.pop();
      int li = localIndex[q.topTarget];
      EntityCell cell = cells[li];
      if (count[li] == 0) {
        count[li] = 1;
        active[activeCount++] = li;
        runsHere(cell, batchEnd);
      }
      if (!deliverTop(cell)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code cell} runs this batch here: it gets batch state (its own, or the domain's lent), its sends go
   * straight to the queue or among the events for other domains, what it streams into the link.
   */
  private void runsHere(EntityCell cell, long batchEnd) {
    EntityCell.Batches cb = cell.lend(inline);
    cb.direct = router;
    cb.streamed = streamSink;
    cb.batchEnd = batchEnd;
  }

  /**
   * Delivers the event just popped to {@code cell}, here. False when the model threw: the exception is
   * kept on the cell, with its virtual time, for {@link #batchFailed} to report.
   */
  private boolean deliverTop(EntityCell cell) {
    EventQueue q = queue;
    try {
      cell.deliver(q.topTime, q.topSource, q.topSeq, q.topData, q.topPayload);
      return true;
    } catch (RuntimeException | StackOverflowError e) {
      cell.batches().failure = new EntityCell.Failure(e, cell.now());
      return false;
    }
  }

  /**
   * Hands the gathered events to the actors of their entities: regrouped by entity, keeping key order
   * within each (a counting sort over the gathered indices), then one {@link EntityActor.Run} to each of
   * the {@code handed} entities.
   */
  private void handOver(long batchEnd, int handed) {
    EventBuffer gathered = batch;
    if (batchOrder.length < gathered.size) {
      batchOrder = new int[Math.max(gathered.size, 2 * batchOrder.length)];
    }
    int[] order = batchOrder;
    int pos = 0;
    for (int k = 0; k < activeCount; k++) {
      int li = active[k];
      if (ownActor[li]) {
        EntityCell.Batches cb = cells[li].batches();
        cb.inStart = pos;
        cb.inEnd = pos;
        cb.input = batchInput;
        pos += perEntity[li];
      }
    }
    int[] localIndex = plan.localIndex;
    for (int i = 0; i < gathered.size; i++) {
      order[cells[localIndex[gathered.target[i]]].batches().inEnd++] = i;
    }
    batchInput.order = order;
    latch.arm(handed);
    EntityActor.Run run = new EntityActor.Run(batchEnd);
    for (int k = 0; k < activeCount; k++) {
      if (ownActor[active[k]]) {
        entity(active[k]).tell(run);
      }
    }
  }

  private Behavior<Command> onBatchDone() {
    if (batchFailed()) {
      return Behaviors.stopped();
    }
    afterBatch();
    return continueWork();
  }

  /** Reports the first entity of the batch that failed, if any, to the coordinator. */
  private boolean batchFailed() {
    for (int k = 0; k < activeCount; k++) {
      EntityCell cell = cells[active[k]];
      EntityCell.Failure f = cell.failure();
      if (f != null) {
        coordinator.tell(new EngineCoordinator.DomainFailed(domain, cell.id, f.time(), f.error()));
        return true;
      }
    }
    return false;
  }

  /** Files what the batch's entities sent, and hands what they streamed to the stream link. */
  private void afterBatch() {
    for (int k = 0; k < activeCount; k++) {
      EntityCell cell = cells[active[k]];
      eventsDone += cell.events - cell.countedEvents;
      cell.countedEvents = cell.events;
    }
    batch.clear();
    outboxes.drain(domain, router);
    streamedHere.drainTo(streamSink);
    outboxes.drainStreamed(domain, streamSink);
    if (passivateAfter > 0 && batches >= nextSweep) {
      passivateIdle();
    }
  }

  /**
   * Runs the next batch, or finishes the window, unless an event still in the stream falls inside it;
   * then waits for the stream. Before each batch the domain files what has come out of the stream
   * (without a message), and the link knows the earliest time still owed, so a batch that ends before
   * it need not wait at all. What the entities streamed in a batch is handed to the stream before the
   * next one, so the stream carries it while the domain goes on.
   * Backpressure: while the stream has no room for it, the domain runs nothing and does not finish its
   * window.
   */
  private Behavior<Command> continueWork() {
    for (int inline = 0; inline < INLINE_RUN; inline++) {
      streamLink.takeAll(filer);
      long t0 = queue.minTime();
      long end = t0 >= windowEnd ? windowEnd : Math.min(windowEnd, VirtualTime.after(t0, plan.localLookahead));
      boolean due = streamLink.owedMin() < end;
      // what the domain holds goes to the stream when it needs an event streamed, or ends its window
      if ((due || t0 >= windowEnd) && (!streamLink.feed() || due)) {
        if (streamLink.park()) { // the stream wakes it when it brings something
          waitingForStream = true;
          return this;
        }
        continue; // it has brought something meanwhile
      }
      if (t0 >= windowEnd) {
        finishWindow();
        return this;
      }
      if (!nextBatch(t0, end)) {
        return this;
      }
      if (batchFailed()) {
        return Behaviors.stopped();
      }
      afterBatch();
    }
    getContext().getSelf().tell(Continue.INSTANCE);
    return this;
  }

  /** The stream has brought something while the domain waited (a late wake-up finds it running: no-op). */
  private Behavior<Command> onStreamReady() {
    if (waitingForStream) {
      waitingForStream = false;
      return continueWork();
    }
    return this;
  }

  /** Files one chunk that came out of the stream: its events by their full key. */
  private void file(StreamChunk chunk) {
    for (int i = 0, n = chunk.size(); i < n; i++) {
      queue.push(chunk.time(i), chunk.target(i), chunk.source(i), chunk.seq(i), chunk.data(i),
          chunk.payload(i));
    }
  }

  /**
   * A failed stage is a model failure: the run ends, naming this domain, the virtual time it had
   * reached and the seed (the stage's exception names what failed). The stream ends with the run.
   */
  private Behavior<Command> onStreamFailed(StreamFailed failed) {
    if (coordinator != null) {
      coordinator.tell(new EngineCoordinator.DomainFailed(domain, STREAM, reached, failed.error()));
    }
    return Behaviors.stopped();
  }

  /** The entity number a failure of the domain's stream is reported under. */
  static final int STREAM = -2;

  /** Files one event an entity of this domain sent: locally into the queue, else for its domain. */
  private void route(long time, int target, int source, long seq, long data, Object payload) {
    if (plan.domainOf[target] == domain) {
      queue.push(time, target, source, seq, data, payload);
    } else {
      crossOut.add(time, target, source, seq, data, payload);
    }
  }

  /**
   * The run is over (its closing round, {@link EngineCoordinator}): the room the domain's queue and
   * buffers keep for reuse goes back, as the sequential engine's queue's does at the end, before the
   * run's end is measured. Not earlier: a domain with nothing pending mid-run (a node waiting for its
   * partner's message) soon has work again, and giving its room back each time made BSP at 10,000
   * McKernel nodes allocate its queue chunks and stream chunks anew for every offload (one chunk made
   * per offload, some 4 GB of the run's 12 GB of allocation).
   */
  private void giveBackSpareRoom() {
    queue.trim();
    streamLink.trim();
    streamedHere.release();
    batch.release();
    crossOut.release();
    outboxes.release(domain);
    batchOrder = new int[16];
    batchInput.order = batchOrder;
  }

  /**
   * The indices of the {@code n} cross-domain events, grouped by destination domain (each group in send
   * order, though the receiver's queue orders them anyway): counted into place when the domains are few
   * next to the events, else sorted by (destination, index).
   */
  private int[] groupedByDestination(int n) {
    int[] domainOf = plan.domainOf;
    int[] target = crossOut.target;
    int[] order = new int[n];
    int d = plan.domainCount();
    if (d <= 4L * n) {
      int[] at = new int[d + 1];
      for (int i = 0; i < n; i++) {
        at[domainOf[target[i]] + 1]++;
      }
      for (int k = 0; k < d; k++) {
        at[k + 1] += at[k];
      }
      for (int i = 0; i < n; i++) {
        order[at[domainOf[target[i]]]++] = i;
      }
      return order;
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = ((long) domainOf[target[i]] << 32) | i;
    }
    Arrays.sort(keys);
    for (int i = 0; i < n; i++) {
      order[i] = (int) keys[i];
    }
    return order;
  }

  /** The report of a window that sent nothing to other domains (read only, shared by all reports). */
  private static final int[] NO_DESTS = new int[0];
  private static final long[] NO_TIMES = new long[0];

  /** Sends this window's cross-domain events, one batch per destination, and reports to the coordinator. */
  private void finishWindow() {
    int[] dests = NO_DESTS;
    long[] destMin = NO_TIMES;
    if (!crossOut.isEmpty()) {
      int n = crossOut.size;
      int[] order = groupedByDestination(n);
      int[] domainOf = plan.domainOf;
      int groups = 0;
      dests = new int[Math.min(n, plan.domainCount())];
      destMin = new long[dests.length];
      int i = 0;
      while (i < n) {
        int dest = domainOf[crossOut.target[order[i]]];
        int groupEnd = i + 1;
        while (groupEnd < n && domainOf[crossOut.target[order[groupEnd]]] == dest) {
          groupEnd++;
        }
        EventBuffer batch = new EventBuffer(groupEnd - i);
        long min = Long.MAX_VALUE;
        for (; i < groupEnd; i++) {
          int e = order[i];
          batch.add(crossOut.time[e], crossOut.target[e], crossOut.source[e], crossOut.seq[e],
              crossOut.data[e], crossOut.payload[e]);
          min = Math.min(min, crossOut.time[e]);
        }
        peers.tell(dest, new CrossBatch(domain, window, batch));
        dests[groups] = dest;
        destMin[groups] = min;
        groups++;
      }
      dests = Arrays.copyOf(dests, groups);
      destMin = Arrays.copyOf(destMin, groups);
      crossOut.clear();
    }
    long next = Math.min(queue.minTime(), streamLink.owedMin());
    if (next >= plan.endTime && windowEnd >= plan.endTime) {
      giveBackSpareRoom();
    }
    coordinator.tell(new EngineCoordinator.WindowDone(domain, next, dests, destMin, batches, eventsDone));
  }
}
