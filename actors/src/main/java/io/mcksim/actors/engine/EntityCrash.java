package io.mcksim.actors.engine;

/**
 * A modelled crash of an entity: the entity fails at the current virtual time instead of stopping the
 * run. Throw it (or a subclass) from an entity's code, or call {@link SimContext#crash(String)}; a model
 * may mark further exception types as crashes through {@link SimModel#isCrash(Throwable)}.
 *
 * <p>What follows a crash is described in {@link Supervision}: the entity receives nothing more, its
 * watchers and askers are told, and its supervisor decides.
 */
public class EntityCrash extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EntityCrash(String reason) {
    super(reason, null, false, false);
  }
}
