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

  /**
   * Takes at once a run of the pending event and the ones after it, each no later than {@code until},
   * when the entity can work out their handling in one step (a computation repeated again and again): the
   * entity is left as {@code n} calls of {@link #take} would leave it, each of which would have returned
   * true, and {@code taken} hears of each event, in order, as it would have been pending. Returns
   * {@code n}; 0 (the default) when no such run lies ahead, and the engine takes the events one by one.
   */
  default long takeRun(long until, Taken taken) {
    return 0;
  }

  /** Hears of the events a {@link #takeRun} takes, in their order. */
  @FunctionalInterface
  interface Taken {
    /** An event at {@code time} with event word {@code data} and a payload of this fingerprint. */
    void event(long time, long data, long fingerprint);
  }
}
