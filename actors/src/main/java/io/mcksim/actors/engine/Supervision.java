package io.mcksim.actors.engine;

/**
 * An entity's place in the model's supervision tree: who supervises it, how that supervisor treats its
 * failures, and how long the news of a failure takes to reach the supervisor. A model declares it per
 * entity through {@link SimModel#supervision(int)}; the engines read it once, before the run.
 *
 * <p><b>Failure.</b> An entity fails at virtual time t when it crashes ({@link SimContext#crash},
 * {@link EntityCrash}, or an exception {@link SimModel#isCrash} marks), when its supervisor escalates,
 * or, as a child, when its supervisor fails. From t on it receives nothing: every event that reaches it
 * is dropped and counted ({@link RunResult.Faults#deadEvents()}). At t its watchers and the askers
 * whose asks it had not answered are sent their notices, its children are stopped (each at t plus its
 * own {@link #noticeLatencyNs()}), and, unless it was stopped by its supervisor, its supervisor is sent
 * the failure, to arrive at t + {@link #noticeLatencyNs()}.
 *
 * <p><b>Decision.</b> When the notice arrives, the supervisor's cell asks {@link #strategy()} and
 * carries out the {@link Directive}; the supervisor's entity then gets {@link Signal.ChildFailed}
 * (for its own books) and, for {@link Directive.Escalate}, fails. A restart brings up a fresh instance
 * from {@link SimModel#createEntity} with the next {@link SimContext#incarnation()}, runs its
 * {@link SimEntity#start} hook at the restart's virtual time, and restarts the entity's children in
 * turn. A notice that reaches a dead supervisor is dropped: the child waits for the supervisor's own
 * restart, which restarts its children.
 *
 * <p>Example, a node whose IHK master (entity 0) reboots its OS instance (1) up to three times, 1 ms
 * then 2 ms then 4 ms after the panic is known, and whose CPUs (2..) make the instance panic:
 *
 * <pre>{@code
 * public Supervision supervision(int id) {
 *   if (id == INSTANCE) {
 *     return new Supervision(MASTER, ipiNs, SupervisorStrategy.restart(3, 1_000_000, 4_000_000));
 *   }
 *   if (id >= FIRST_CPU) {
 *     return new Supervision(INSTANCE, ipiNs, SupervisorStrategy.escalate());
 *   }
 *   return null; // the master is supervised by nobody
 * }
 * }</pre>
 *
 * @param supervisor      the supervising entity's id
 * @param noticeLatencyNs how long the failure notice takes (also a stop or restart from the supervisor
 *                        to this entity's children): at least the lookahead between the two entities'
 *                        domains, checked before the run
 * @param strategy        what the supervisor does when this entity fails
 */
public record Supervision(int supervisor, long noticeLatencyNs, SupervisorStrategy strategy) {

  public Supervision {
    if (strategy == null) {
      throw new IllegalArgumentException("a supervision needs a strategy");
    }
  }
}
