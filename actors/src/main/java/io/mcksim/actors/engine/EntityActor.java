package io.mcksim.actors.engine;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ExtensibleBehavior;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One simulated entity as a Pekko typed actor. Its domain hands it a batch of events that no other
 * entity can still influence; it runs them through its {@link SimEntity} in order and reports to the
 * domain's latch. A model exception is recorded on the cell for the domain to report with the seed.
 *
 * <p>Entity actors are the engine's most numerous objects and {@link Run} its most frequent message,
 * so the behavior is one small object, spawned as it is: no {@code Behaviors.setup} wrapper, no kept
 * context, no receive table (the three cost about 100 bytes per actor and a scan per message).
 */
public final class EntityActor extends ExtensibleBehavior<EntityActor.Command> {

  public interface Command {}

  /** Process the batch the domain set on the cell, and self-events, up to {@code end} (exclusive). */
  public record Run(long end) implements Command {}

  private final EntityCell cell;
  private final BatchLatch latch;
  private final Outboxes outboxes;

  static Behavior<Command> create(EntityCell cell, BatchLatch latch, Outboxes outboxes) {
    return new EntityActor(cell, latch, outboxes);
  }

  private EntityActor(EntityCell cell, BatchLatch latch, Outboxes outboxes) {
    this.cell = cell;
    this.latch = latch;
    this.outboxes = outboxes;
  }

  @Override
  public Behavior<Command> receive(TypedActorContext<Command> ctx, Command message) {
    if (message instanceof Run run) {
      runBatch(cell, run.end(), outboxes.forCurrentThread(cell.domain),
          outboxes.streamedForCurrentThread(cell.domain));
      latch.arrive();
      return this;
    }
    return Behaviors.unhandled();
  }

  @Override
  public Behavior<Command> receiveSignal(TypedActorContext<Command> ctx, Signal signal) {
    return Behaviors.unhandled();
  }

  /**
   * Runs {@code cell}'s part of its domain's batch up to {@code end}, its sends going to {@code out},
   * its streamed sends to {@code streamed}; a model exception is kept on the cell for the domain to
   * report.
   */
  static void runBatch(EntityCell cell, long end, EventBuffer out, EventBuffer streamed) {
    try {
      cell.runBatch(end, out, streamed);
    } catch (RuntimeException | StackOverflowError e) {
      cell.batches().failure = new EntityCell.Failure(e, cell.now());
    }
  }

}
