package io.mcksim.actors.engine;

/**
 * A stretch of an entity's own future it can work out in closed form: the events it would send itself
 * one after another, each handled without a word to any other entity (a CPU's thread that computes loop
 * after loop: each step ends one computation and starts the next). An entity hands one to
 * {@link SimContext#runAhead}; the engine then keeps its pending event out of the queue and has it
 * {@link #take} the events when their turn comes (see there), each folded into the digest and counted
 * exactly as the queued event would have been.
 *
 * <p>What {@link #take} does must be exactly what the entity's {@code onEvent} would do with the event,
 * and must send nothing but the entity's next event to itself (which {@link #time}, {@link #data} and
 * {@link #payload} then describe): the engine calls it with no {@link SimContext}.
 */
public interface RunAhead {

  /** The time of the pending event: never before the time it was planned at. */
  long time();

  /** Its event word. */
  long data();

  /** Its payload, or null. */
  Object payload();

  /**
   * Handles the pending event, at {@link #time()}, as {@code onEvent} would; the entity is left as that
   * handling leaves it, with its next event to itself pending.
   *
   * @return whether that next event can be taken in closed form too; false makes it an ordinary event
   *         (its handling does more than this stretch can: ends the loop, talks to others)
   */
  boolean take();

  /**
   * A time no later than the first pending event of the stretch that {@link #take} will decline, and at
   * least {@link #time()}: the engine looks again by then. The closer, the fewer looks.
   */
  long endBound();
}
