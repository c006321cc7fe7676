package io.mcksim.actors.engine;

/**
 * What an entity may do while it handles an event: read virtual time and send timestamped events; and,
 * in virtual time, what Pekko offers actors besides messages: crash ({@link #crash}), watch another
 * entity's death ({@link #watch}) and ask with a timeout ({@link #ask}). Supervision itself is declared
 * by the model ({@link SimModel#supervision}); see {@link Supervision}.
 *
 * <p>An ask, from a page-fault handler to the kernel that resolves it:
 *
 * <pre>{@code
 * // the asker
 * long id = ctx.ask(kernel, ikcLatency, vaddr, new FaultRequest(pid), 10_000_000); // 10 ms timeout
 * pendingFaults.put(id, thread);
 * ...
 * public void onSignal(SimContext ctx, Signal signal) {
 *   if (signal instanceof Signal.Answered a) { resume(pendingFaults.remove(a.askId()), a.payload()); }
 *   else if (signal instanceof Signal.AskOutcome o) { killWithSigbus(pendingFaults.remove(o.askId())); }
 * }
 * // the asked kernel: keep the ref, answer when the fault is resolved
 * public void onEvent(SimContext ctx, int source, long data, Object payload) {
 *   if (payload instanceof FaultRequest) { inFlight.add(ctx.currentAsk()); ... }
 * }
 * ... ctx.reply(ref, ikcLatency, 0, FaultResolved.OK);
 * }</pre>
 */
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

  /**
   * Sends this entity {@code ahead}'s pending event ({@link RunAhead#time()}, {@link RunAhead#data()},
   * {@link RunAhead#payload()}), as {@code send(self(), ...)} would, and lets the engine have
   * {@code ahead} take it and the events of its stretch in closed form instead of queueing them one by
   * one: each is taken in its place in the total order, at the latest before any other event reaches
   * this entity, before {@link RunAhead#endBound()} and before the run's end. The stretch lasts until
   * an event not of it reaches the entity (another's message, a fault, a signal): the pending event then
   * becomes an ordinary one, as if sent. Digests, counts and results are those of the event-by-event
   * run; an engine may also run every event one by one (this default does).
   */
  default void runAhead(RunAhead ahead) {
    send(self(), ahead.time() - now(), ahead.data(), ahead.payload());
  }

  /** {@link #send(int, long, long, Object)} without a payload object. */
  default void send(int target, long delay, long data) {
    send(target, delay, data, null);
  }

  /**
   * Fails this entity now, as a modelled crash (a kernel panic, a killed process): never returns. See
   * {@link Supervision} for what follows. Throwing an {@link EntityCrash} does the same.
   */
  default void crash(String reason) {
    throw new EntityCrash(reason);
  }

  /** How often this entity has been restarted by its supervisor: 0 for the instance the run began with. */
  default int incarnation() {
    return 0;
  }

  /**
   * Watches {@code target}, with the smallest latency the lookahead allows between the two (see
   * {@link #watch(int, long)}).
   */
  default void watch(int target) {
    throw new UnsupportedOperationException("this context does not support watch");
  }

  /**
   * Watches {@code target}: this entity will get one {@link Signal.Terminated} when the target's
   * current incarnation dies, at its time of death plus {@code latencyNs}. The watch itself travels
   * to the target with that latency: a target that is already dead when it arrives is reported then,
   * one more latency later (the round trip of a remote watch in Pekko). A watch attaches to the
   * incarnation alive when it arrives (a restarted entity is watched anew). Watching an entity already
   * watched does nothing; a watch ends with its {@code Terminated}. {@code latencyNs} obeys the same
   * lookahead rule as {@link #send}.
   */
  default void watch(int target, long latencyNs) {
    throw new UnsupportedOperationException("this context does not support watch");
  }

  /** Stops watching {@code target}: no {@link Signal.Terminated} for it comes after this call. */
  default void unwatch(int target) {
    throw new UnsupportedOperationException("this context does not support unwatch");
  }

  /**
   * Asks {@code target}: it gets ({@code data}, {@code payload}) at {@code now() + delay} as an event
   * from this entity, with {@link #currentAsk()} set, and answers with {@link #reply}. This entity then
   * gets exactly one {@link Signal.AskOutcome}, through {@link SimEntity#onSignal}: the answer when it
   * arrives; or {@link Signal.TimedOut} at {@code now() + timeoutNs}; or {@link Signal.TargetDied} at
   * the target's death plus {@code delay} (if the target dies before it answers, or is dead when the
   * request arrives), whichever comes first in the engine's total order. An answer after that is
   * dropped and counted ({@link RunResult.Faults#lateReplies()}). The timer of an ask that ended
   * earlier is ignored when it comes: it is not counted as an event and does not extend the run.
   *
   * @return this entity's number for the ask, as the outcome carries it
   */
  default long ask(int target, long delay, long data, Object payload, long timeoutNs) {
    throw new UnsupportedOperationException("this context does not support ask");
  }

  /** The ask whose request this entity is handling now, or null if the current event is not an ask. */
  default AskRef currentAsk() {
    return null;
  }

  /**
   * Answers {@code ask}: the asker gets ({@code data}, {@code payload}) as {@link Signal.Answered} at
   * {@code now() + delay} (same lookahead rule as {@link #send}), unless its ask has already ended.
   */
  default void reply(AskRef ask, long delay, long data, Object payload) {
    throw new UnsupportedOperationException("this context does not support reply");
  }
}
