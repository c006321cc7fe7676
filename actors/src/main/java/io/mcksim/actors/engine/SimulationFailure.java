package io.mcksim.actors.engine;

/**
 * A run stopped because a model threw (a model bug, not a modelled fault). The message names the seed,
 * the entity and the virtual time, so that the run can be replayed; {@link #entity} and {@link #timeNs}
 * say them again for a caller that reports the failure as a finding (a chaos campaign's row).
 */
public final class SimulationFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int entity;
  private final long timeNs;

  public SimulationFailure(String message, Throwable cause) {
    this(message, cause, -1, -1);
  }

  /**
   * @param entity the entity that threw, or -1 if not known
   * @param timeNs the virtual time it threw at, or -1 (while starting, or not known)
   */
  public SimulationFailure(String message, Throwable cause, int entity, long timeNs) {
    super(message, cause);
    this.entity = entity;
    this.timeNs = timeNs;
  }

  /** The entity that threw, or -1 if not known. */
  public int entity() {
    return entity;
  }

  /** The virtual time it threw at, or -1 (while starting, or not known). */
  public long timeNs() {
    return timeNs;
  }
}
