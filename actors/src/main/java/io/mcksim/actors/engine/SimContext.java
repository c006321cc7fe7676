package io.mcksim.actors.engine;

/** What an entity may do while it handles an event: read virtual time and send timestamped events. */
public interface SimContext {

  /** Current virtual time in nanoseconds. */
  long now();

  /** This entity's id. */
  int self();

  /**
   * Schedules an event for {@code target} at {@code now() + delay}.
   *
   * <p>The delay must respect the model's lookahead: at least {@link SimModel#lookahead()} to an entity
   * of another domain, at least {@link SimModel#localLookahead()} to another entity of the same domain,
   * and at least 0 to this entity itself. A violation is a model bug and stops the run.
   *
   * <p>An event at or after the run's end time is not delivered; nor is one whose time would go past
   * the largest virtual time ({@link VirtualTime#NEVER}): it never wraps into the past.
   */
  void send(int target, long delay, long data, Object payload);

  /**
   * Like {@link #send(int, long, long, Object)}, for traffic that models a stream between two entities
   * of one domain (an IKC channel): on the actor engine it travels through the domain's Pekko stream,
   * with a bounded buffer and backpressure, instead of the batch outbox. Ordering, timing and digest
   * are exactly those of {@code send}. The target must be in this entity's domain.
   */
  default void sendStreamed(int target, long delay, long data, Object payload) {
    send(target, delay, data, payload);
  }

  /** {@link #send(int, long, long, Object)} without a payload object. */
  default void send(int target, long delay, long data) {
    send(target, delay, data, null);
  }
}
