package io.mcksim.actors.engine;

/**
 * How a supervisor treats the failures of one child: a pure function of the failure and of how often
 * the supervisor has restarted that child so far (its count starts again when the supervisor itself is
 * restarted). It runs in the supervisor's cell, at the virtual time the failure notice reaches it.
 */
@FunctionalInterface
public interface SupervisorStrategy {

  /**
   * @param child    the failed child
   * @param cause    why it failed (the crash's message, or the escalated failure of a grandchild)
   * @param restarts how often this supervisor has restarted the child so far
   */
  Directive decide(int child, String cause, int restarts);

  /** The child stays dead (Pekko typed's default). */
  static SupervisorStrategy stop() {
    return (child, cause, restarts) -> Directive.STOP;
  }

  /** The supervisor fails in turn (Pekko classic's {@code Escalate}). */
  static SupervisorStrategy escalate() {
    return (child, cause, restarts) -> Directive.ESCALATE;
  }

  /**
   * Restart at most {@code maxRestarts} times, then stop; the n-th restart (from 0) waits
   * {@code min(maxBackoffNs, minBackoffNs * 2^n)} of virtual time, like Pekko's
   * {@code restartWithBackoff(min, max, 0).withMaxRestarts(maxRestarts)}, without the random factor.
   */
  static SupervisorStrategy restart(int maxRestarts, long minBackoffNs, long maxBackoffNs) {
    if (maxRestarts < 0 || minBackoffNs < 0 || maxBackoffNs < minBackoffNs) {
      throw new IllegalArgumentException("need maxRestarts >= 0 and 0 <= minBackoff <= maxBackoff, got "
          + maxRestarts + ", " + minBackoffNs + "ns, " + maxBackoffNs + "ns");
    }
    return (child, cause, restarts) -> {
      if (restarts >= maxRestarts) {
        return Directive.STOP;
      }
      long backoff = restarts >= 62 || minBackoffNs > (maxBackoffNs >> restarts)
          ? maxBackoffNs : Math.min(maxBackoffNs, minBackoffNs << restarts);
      return new Directive.Restart(backoff);
    };
  }
}
