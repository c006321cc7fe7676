package io.mcksim.actors.engine;

/** A model sent an event closer in time than its declared lookahead allows: a model bug. */
public final class CausalityViolation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CausalityViolation(String message) {
    super(message);
  }
}
