package io.mcksim.actors.engine;

/**
 * What the engine tells an entity about other entities' lives, through {@link SimEntity#onSignal}, at a
 * virtual time like any event: deaths it watched, its children's failures, the outcomes of its asks.
 * Each is delivered at most once.
 */
public sealed interface Signal {

  /**
   * A watched entity died ({@link SimContext#watch}): its incarnation {@code incarnation} failed or was
   * stopped at {@code diedAt}. Delivered once per watch; the watch is then over.
   */
  record Terminated(int entity, int incarnation, long diedAt) implements Signal {}

  /**
   * A child of this supervisor failed at {@code diedAt}, and the supervisor's strategy decided
   * {@code directive}, which the engine has carried out (a restart is on its way; an escalation makes
   * this supervisor fail right after this signal).
   */
  record ChildFailed(int child, int incarnation, long diedAt, String cause, Directive directive)
      implements Signal {}

  /** The outcome of one {@link SimContext#ask}: exactly one per ask. */
  sealed interface AskOutcome extends Signal {
    /** The asker's number for the ask, as {@link SimContext#ask} returned it. */
    long askId();

    /** The asked entity. */
    int target();
  }

  /** The target answered. */
  record Answered(long askId, int target, long data, Object payload) implements AskOutcome {}

  /** No answer within the timeout; an answer that comes later is dropped and counted. */
  record TimedOut(long askId, int target) implements AskOutcome {}

  /** The target died (at {@code diedAt}) before it answered, or was dead when the ask reached it. */
  record TargetDied(long askId, int target, long diedAt) implements AskOutcome {}
}
