package io.mcksim.actors.engine;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One simulated entity as a Pekko typed actor. Its domain hands it a batch of events that no other
 * entity can still influence; it runs them through its {@link SimEntity} in order and reports to the
 * domain's latch. A model exception is recorded on the cell for the domain to report with the seed.
 */
public final class EntityActor extends AbstractBehavior<EntityActor.Command> {

  public interface Command {}

  /** Process the batch the domain set on the cell, and self-events, up to {@code end} (exclusive). */
  public record Run(long end) implements Command {}

  private final EntityCell cell;
  private final BatchLatch latch;
  private final Outboxes outboxes;

  static Behavior<Command> create(EntityCell cell, BatchLatch latch, Outboxes outboxes) {
    return Behaviors.setup(ctx -> new EntityActor(ctx, cell, latch, outboxes));
  }

  private EntityActor(ActorContext<Command> context, EntityCell cell, BatchLatch latch,
      Outboxes outboxes) {
    super(context);
    this.cell = cell;
    this.latch = latch;
    this.outboxes = outboxes;
  }

  /**
   * Entity actors are the engine's most numerous objects and {@link Run} its most frequent message, so
   * instead of a built receive table (two cases and two arrays per actor, a scan per message) each
   * actor gets one small dispatcher object.
   */
  @Override
  public Receive<Command> createReceive() {
    return new Dispatch();
  }

  private final class Dispatch extends Receive<Command> {
    @Override
    public Behavior<Command> receiveMessage(Command message) {
      if (message instanceof Run run) {
        return onRun(run);
      }
      return Behaviors.unhandled();
    }

    @Override
    public Behavior<Command> receiveSignal(Signal signal) {
      return Behaviors.unhandled();
    }
  }

  private Behavior<Command> onRun(Run run) {
    runBatch(cell, run.end(), outboxes.forCurrentThread(cell.domain));
    latch.arrive();
    return this;
  }

  /**
   * Runs {@code cell}'s part of its domain's batch up to {@code end}, its sends going to {@code out};
   * a model exception is kept on the cell for the domain to report. Also used by a domain that runs a
   * small batch itself.
   */
  static void runBatch(EntityCell cell, long end, EventBuffer out) {
    try {
      cell.runBatch(end, out);
    } catch (RuntimeException | StackOverflowError e) {
      cell.batches().failure = e;
      cell.batches().failureTime = cell.now();
    }
  }

}
