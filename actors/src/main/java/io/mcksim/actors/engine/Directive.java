package io.mcksim.actors.engine;

/**
 * What a {@link SupervisorStrategy} decides for a failed child, as in Pekko: {@link Stop} (it stays
 * dead), {@link Restart} (a fresh instance after a backoff in virtual time) or {@link Escalate} (the
 * supervisor fails in turn, and its own supervisor decides).
 */
public sealed interface Directive {

  Directive STOP = new Stop();
  Directive ESCALATE = new Escalate();

  /** The child stays dead; its watchers were told at its failure. */
  record Stop() implements Directive {}

  /**
   * The child comes back, with fresh state from {@link SimModel#createEntity}, {@code backoffNs} after
   * the supervisor heard of the failure (at least the lookahead between the two).
   */
  record Restart(long backoffNs) implements Directive {
    public Restart {
      if (backoffNs < 0) {
        throw new IllegalArgumentException("a restart backoff cannot be negative, got " + backoffNs + "ns");
      }
    }
  }

  /** The supervisor fails itself, with the child's failure as its cause. */
  record Escalate() implements Directive {}
}
