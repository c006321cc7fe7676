package io.mcksim.actors.engine;

/**
 * A run stopped because a model threw (a model bug, not a modelled fault). The message names the seed,
 * the entity and the virtual time, so that the run can be replayed.
 */
public final class SimulationFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SimulationFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
