package io.mcksim.actors.engine;

import java.util.ArrayList;
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
      long events) implements Command {}

  /** A model exception in one of the domain's entities. */
  public record DomainFailed(int domain, int entity, long time, Throwable error) implements Command {}

  private record DomainStopped(int domain) implements Command {}

  private final RunPlan plan;
  private final RunSpec spec;
  private final CompletableFuture<RunResult> result;
  private final List<ActorRef<DomainSequencer.Command>> domains;
  private final long[] nextTime;
  private final long[] inboundMin;
  private final long[] inboundTotal;
  private final long[] batches;
  private final long[] events;
  private long eventsTotal;
  private int pendingReports;
  private long window;
  private long wallStart;
  private boolean done;

  static Behavior<Command> create(RunPlan plan, RunSpec spec, CompletableFuture<RunResult> result) {
    return Behaviors.setup(ctx -> new EngineCoordinator(ctx, plan, spec, result));
  }

  private EngineCoordinator(ActorContext<Command> context, RunPlan plan, RunSpec spec,
      CompletableFuture<RunResult> result) {
    super(context);
    this.plan = plan;
    this.spec = spec;
    this.result = result;
    int d = plan.domainCount();
    this.nextTime = new long[d];
    this.inboundMin = new long[d];
    this.inboundTotal = new long[d];
    this.batches = new long[d];
    this.events = new long[d];
    Arrays.fill(inboundMin, Long.MAX_VALUE);
    Outboxes outboxes = new Outboxes(d);
    List<ActorRef<DomainSequencer.Command>> refs = new ArrayList<>(d);
    for (int i = 0; i < d; i++) {
      ActorRef<DomainSequencer.Command> ref =
          context.spawn(DomainSequencer.create(i, plan, outboxes, context.getSelf()), "domain-" + i);
      context.watchWith(ref, new DomainStopped(i));
      refs.add(ref);
    }
    this.domains = List.copyOf(refs);
    DomainSequencer.Start start = new DomainSequencer.Start(domains);
    for (ActorRef<DomainSequencer.Command> ref : domains) {
      ref.tell(start);
    }
    pendingReports = d;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(WindowDone.class, this::onWindowDone)
        .onMessage(DomainFailed.class, this::onDomainFailed)
        .onMessage(DomainStopped.class, this::onDomainStopped)
        .build();
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
      return this;
    }
    if (window == 0) {
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
      return finish();
    }
    long end = Math.min(plan.endTime, DomainSequencer.saturatingAdd(start, plan.lookahead));
    spec.progress().reached(start, eventsTotal);
    window++;
    for (int i = 0; i < d; i++) {
      if (Math.min(nextTime[i], inboundMin[i]) < end) {
        inboundMin[i] = Long.MAX_VALUE;
        pendingReports++;
        domains.get(i).tell(new DomainSequencer.RunWindow(window, start, end, inboundTotal[i]));
      }
    }
    return this;
  }

  private Behavior<Command> finish() {
    long wall = RunPlan.elapsed(spec.wallClock(), wallStart);
    spec.atEnd().run();
    long totalBatches = 0;
    for (long b : batches) {
      totalBatches += b;
    }
    done = true;
    result.complete(plan.result("actors", spec.threads(), window, totalBatches, wall));
    return Behaviors.stopped();
  }

  private Behavior<Command> onDomainFailed(DomainFailed failed) {
    done = true;
    result.completeExceptionally(
        SequentialEngine.failure(plan, failed.entity(), failed.time(), failed.error()));
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
