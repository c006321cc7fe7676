package io.mcksim.actors.engine;

import io.mcksim.actors.serialization.SimMessage;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The guardian of a parallel run: it advances the domains through global windows of width lookahead.
 *
 * <p>A window starts at the earliest pending time of any domain (empty stretches of virtual time are
 * skipped) and only domains with an event inside it take part. Each participant reports its next
 * pending time and the cross-domain batches it sent (destination and earliest time); the coordinator
 * counts those batches per destination so that no domain starts a window before its inputs arrived.
 *
 * <p>Where the domains live is the {@link Deployment}'s business: children of this actor in one JVM,
 * or sharded entities spread over worker JVMs. The protocol is the same.
 */
public final class EngineCoordinator extends AbstractBehavior<EngineCoordinator.Command> {

  public interface Command {}

  /**
   * A domain finished a window (or its start phase).
   *
   * @param nextTime  earliest event now pending in the domain, {@code Long.MAX_VALUE} if none
   * @param dests     domains it sent a cross-domain batch to during the window
   * @param destMin   earliest event time in each of those batches
   * @param batches   batches the domain has run since the run began
   * @param events    events its entities have processed since the run began
   */
  public record WindowDone(int domain, long nextTime, int[] dests, long[] destMin, long batches,
      long events) implements Command, SimMessage {}

  /** A model exception in one of the domain's entities. */
  public record DomainFailed(int domain, int entity, long time, Throwable error) implements Command, SimMessage {}

  /** A domain actor stopped although the run is not over. */
  record DomainStopped(int domain) implements Command {}

  /** Every entity's totals, gathered by the deployment once the last window is done. */
  record Collected(EntityTotals totals) implements Command {}

  /** A JVM that runs domains is gone ({@code who} names it and says how). */
  record WorkerLost(String who) implements Command {}

  /**
   * A worker JVM's window reports, sent together once every domain it was ordered to run has reported
   * (one message per worker and window instead of one per domain), and how many messages of
   * cross-domain batches it sent to other workers in that window.
   */
  public record WindowReports(List<WindowDone> reports, int batchMessages) implements Command, SimMessage {}

  /**
   * Where the domains of a run live. {@link #start} creates or reaches them, tells each to start (and
   * arranges for {@link DomainStopped} or {@link WorkerLost} if they go away); {@link #order} and
   * {@link #flush} hand out a window's orders; {@link #collect} gathers every entity's totals once the
   * run is over and tells the coordinator {@link Collected}.
   */
  interface Deployment {
    void start(ActorContext<Command> context, RunPlan plan);

    /** Orders {@code run} to {@code domain}; the order may wait for {@link #flush}. */
    void order(int domain, DomainSequencer.RunWindow run);

    /** Sends the orders held back; returns how many messages that sent to other JVMs. */
    int flush();

    void collect(ActorContext<Command> context, RunPlan plan);

    /** The engine's name in the result. */
    String engine();

  }

  /** Every domain a child of the coordinator, in this JVM. */
  static final class Local implements Deployment {
    private final Outboxes outboxes;
    private ActorRef<DomainSequencer.Command>[] refs;

    Local(int domains) {
      this.outboxes = new Outboxes(domains);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void start(ActorContext<Command> context, RunPlan plan) {
      refs = new ActorRef[plan.domainCount()];
      DomainSequencer.Peers peers = (domain, message) -> refs[domain].tell(message);
      for (int i = 0; i < refs.length; i++) {
        refs[i] = context.spawn(DomainSequencer.create(i, plan, outboxes, peers), "domain-" + i);
        context.watchWith(refs[i], new DomainStopped(i));
      }
      DomainSequencer.Start start = new DomainSequencer.Start(context.getSelf());
      for (ActorRef<DomainSequencer.Command> ref : refs) {
        ref.tell(start);
      }
    }

    @Override
    public void order(int domain, DomainSequencer.RunWindow run) {
      refs[domain].tell(run);
    }

    @Override
    public int flush() {
      return 0;
    }

    @Override
    public void collect(ActorContext<Command> context, RunPlan plan) {
      EntityTotals totals = new EntityTotals(plan.cells.length);
      totals.add(plan);
      context.getSelf().tell(new Collected(totals));
    }

    @Override
    public String engine() {
      return "actors";
    }
  }

  private final RunPlan plan;
  private final RunSpec spec;
  private final CompletableFuture<RunResult> result;
  private final Deployment deployment;
  private final long[] nextTime;
  private final long[] inboundMin;
  private final long[] inboundTotal;
  private final long[] batches;
  private final long[] events;
  private long eventsTotal;
  /** Messages between JVMs so far. */
  private long jvmMessages;
  private int pendingReports;
  private long window;
  /** Virtual time at the start of the running window: how far the run has come. */
  private long reached;
  private long wallStart;
  private long wall;
  private boolean done;
  /** The closing round has been ordered: every domain gives back its spare room before the run ends. */
  private boolean closing;

  static Behavior<Command> create(RunPlan plan, RunSpec spec, CompletableFuture<RunResult> result,
      Deployment deployment) {
    return Behaviors.setup(ctx -> new EngineCoordinator(ctx, plan, spec, result, deployment));
  }

  private EngineCoordinator(ActorContext<Command> context, RunPlan plan, RunSpec spec,
      CompletableFuture<RunResult> result, Deployment deployment) {
    super(context);
    this.plan = plan;
    this.spec = spec;
    this.result = result;
    this.deployment = deployment;
    int d = plan.domainCount();
    this.nextTime = new long[d];
    this.inboundMin = new long[d];
    this.inboundTotal = new long[d];
    this.batches = new long[d];
    this.events = new long[d];
    Arrays.fill(inboundMin, Long.MAX_VALUE);
    pendingReports = d;
    deployment.start(context, plan);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(WindowDone.class, this::onWindowDone)
        .onMessage(WindowReports.class, this::onWindowReports)
        .onMessage(DomainFailed.class, this::onDomainFailed)
        .onMessage(DomainStopped.class, this::onDomainStopped)
        .onMessage(Collected.class, this::onCollected)
        .onMessage(WorkerLost.class, this::onWorkerLost)
        .build();
  }

  private Behavior<Command> onWindowReports(WindowReports reports) {
    jvmMessages += 1 + reports.batchMessages();
    Behavior<Command> next = this;
    for (WindowDone done : reports.reports()) {
      next = onWindowDone(done);
    }
    return next;
  }

  private Behavior<Command> onWindowDone(WindowDone done) {
    nextTime[done.domain()] = done.nextTime();
    batches[done.domain()] = done.batches();
    eventsTotal += done.events() - events[done.domain()];
    events[done.domain()] = done.events();
    for (int i = 0; i < done.dests().length; i++) {
      int dest = done.dests()[i];
      inboundTotal[dest]++;
      inboundMin[dest] = Math.min(inboundMin[dest], done.destMin()[i]);
    }
    if (--pendingReports > 0) {
      // same(), not this: as a system's guardian this behavior runs inside one of Pekko's interceptors,
      // which wraps a returned `this` in a new interceptor for every message (some 10,000 a window at
      // 10,000 nodes)
      return Behaviors.same();
    }
    if (window == 0 && !closing) { // the start phase's reports (a run may close without a window)
      spec.afterSetup().run();
      wallStart = spec.wallClock().getAsLong();
    }
    return nextWindow();
  }

  private Behavior<Command> nextWindow() {
    int d = nextTime.length;
    long start = Long.MAX_VALUE;
    for (int i = 0; i < d; i++) {
      start = Math.min(start, Math.min(nextTime[i], inboundMin[i]));
    }
    if (start >= plan.endTime) {
      return closing ? finish() : close();
    }
    long end = Math.min(plan.endTime, VirtualTime.after(start, plan.lookahead));
    spec.progress().reached(start, eventsTotal);
    reached = start;
    window++;
    for (int i = 0; i < d; i++) {
      if (Math.min(nextTime[i], inboundMin[i]) < end) {
        inboundMin[i] = Long.MAX_VALUE;
        pendingReports++;
        deployment.order(i, new DomainSequencer.RunWindow(window, start, end, inboundTotal[i]));
      }
    }
    jvmMessages += deployment.flush();
    return Behaviors.same();
  }

  /**
   * Orders every domain an empty last window at the run's end (not counted among the windows): nothing
   * runs in it, and each domain gives back the room its queue and buffers kept for reuse, so that the
   * end is measured as on the sequential engine. The run finishes when all have reported.
   */
  private Behavior<Command> close() {
    closing = true;
    for (int i = 0; i < nextTime.length; i++) {
      pendingReports++;
      deployment.order(i, new DomainSequencer.RunWindow(window + 1, plan.endTime, plan.endTime, inboundTotal[i]));
    }
    jvmMessages += deployment.flush();
    return Behaviors.same();
  }

  private Behavior<Command> finish() {
    wall = RunPlan.elapsed(spec.wallClock(), wallStart);
    spec.atEnd().run();
    deployment.collect(getContext(), plan);
    return Behaviors.same();
  }

  private Behavior<Command> onCollected(Collected collected) {
    long totalBatches = 0;
    for (long b : batches) {
      totalBatches += b;
    }
    done = true;
    result.complete(plan.result(collected.totals(), deployment.engine(), spec.threads(), window, totalBatches,
        wall, jvmMessages));
    return Behaviors.stopped();
  }

  private Behavior<Command> onWorkerLost(WorkerLost lost) {
    if (!done) {
      done = true;
      result.completeExceptionally(new ClusterFailure(lost.who() + "; the run stopped at virtual time "
          + reached + " ns (window " + window + " of the coordinator's lookahead windows) and is abandoned, "
          + "nothing of it was written; " + plan.replayHint()));
    }
    return Behaviors.stopped();
  }

  private Behavior<Command> onDomainFailed(DomainFailed failed) {
    done = true;
    result.completeExceptionally(failed.entity() == DomainSequencer.STREAM
        ? new SimulationFailure("the event stream of domain " + failed.domain() + " failed at t="
            + failed.time() + "ns (the domain's virtual time): " + failed.error() + "; " + plan.replayHint(),
            failed.error())
        : SequentialEngine.failure(plan, failed.entity(), failed.time(), failed.error()));
    return Behaviors.stopped();
  }

  private Behavior<Command> onDomainStopped(DomainStopped stopped) {
    if (!done) {
      done = true;
      result.completeExceptionally(new IllegalStateException("engine domain " + stopped.domain()
          + " stopped unexpectedly at window " + window + "; " + plan.replayHint()));
    }
    return Behaviors.stopped();
  }
}
