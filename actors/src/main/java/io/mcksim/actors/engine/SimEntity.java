package io.mcksim.actors.engine;

/**
 * The model side of a simulated entity: a CPU, a kernel, a proxy process, a PHOLD logical process.
 *
 * <p>Both engines host the same {@code SimEntity}: the actor engine runs each one inside its own Pekko
 * typed actor, the sequential baseline calls it from its single loop. An entity sees the world only
 * through its {@link SimContext}: it reads virtual time there and sends timestamped events there. It
 * must not share mutable state with other entities, read the wall clock, or draw randomness from
 * anything but the streams of {@link RandomStreams}.
 */
public interface SimEntity {

  /**
   * Called once at virtual time 0, before any event is processed, to schedule initial events; and on
   * each fresh instance a supervisor's restart creates, at the restart's virtual time
   * ({@link SimContext#incarnation()} tells which).
   */
  default void start(SimContext ctx) {}

  /**
   * Handles one event addressed to this entity, at virtual time {@code ctx.now()}.
   *
   * @param source  the id of the entity that sent it (this entity's own id for self-events)
   * @param data    a primitive word of event data, free for the model to use
   * @param payload an optional message object; implement {@link Fingerprinted} to have its content
   *                folded into the event-log digest
   */
  void onEvent(SimContext ctx, int source, long data, Object payload);

  /**
   * Handles a {@link Signal} at virtual time {@code ctx.now()}: a death this entity watched, a child's
   * failure, the outcome of an ask. The default ignores {@link Signal.ChildFailed} (the engine has
   * already carried out the supervisor's strategy) and treats any other signal as a model bug: an entity
   * that watches or asks must handle what it asked for.
   */
  default void onSignal(SimContext ctx, Signal signal) {
    if (!(signal instanceof Signal.ChildFailed)) {
      throw new IllegalStateException("entity " + ctx.self() + " got " + signal
          + " but does not override SimEntity.onSignal");
    }
  }
}
