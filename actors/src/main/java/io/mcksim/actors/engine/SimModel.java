package io.mcksim.actors.engine;

/**
 * A model the engines can run: a fixed set of entities, their assignment to domains, and the lookahead
 * guarantees the engines rely on.
 *
 * <p>A domain is the unit of exact sequencing (one simulated node): events between entities of one
 * domain may be as close as {@link #localLookahead()}, events between domains are never closer than
 * {@link #lookahead()}, which sets the width of the global windows of the parallel engine.
 */
public interface SimModel {

  /** A short name for reports. */
  String name();

  /** The run seed every random stream of the model derives from; printed with every failure. */
  long seed();

  int entityCount();

  int domainCount();

  /** The domain of an entity, in {@code [0, domainCount())}. Must be a pure function. */
  int domainOf(int entity);

  /** Smallest delay of an event between entities of different domains, in ns; positive. */
  long lookahead();

  /** Smallest delay of an event between different entities of one domain, in ns; in (0, lookahead]. */
  long localLookahead();

  /**
   * Creates the model state of one entity. Called once per entity id, in any order, before the run;
   * and again for every restart of a supervised entity, during the run, in the thread that runs that
   * entity (concurrently with other entities): then it must only read the model's immutable setup.
   */
  SimEntity createEntity(int id);

  /**
   * Who supervises entity {@code id}, and how (see {@link Supervision}); null, the default, for an
   * unsupervised entity, which stays dead when it fails. Called once per entity before the run; the
   * supervisors must form a tree (no entity its own ancestor).
   */
  default Supervision supervision(int id) {
    return null;
  }

  /**
   * An event reached entity {@code target} while it was dead (failed, and not restarted yet): the engine
   * drops it, as Pekko hands a message to a dead actor to its dead letters. Called in the thread that runs
   * {@code target}, in event order, so a model may count per domain what its dead entities missed (a
   * checker's books); the default does nothing.
   */
  default void deadLetter(int target, int source, Object payload) {
  }

  /**
   * Whether an exception thrown by an entity is a modelled crash (the entity fails, the run goes on)
   * rather than a model bug (the run stops with a {@link SimulationFailure}). By default only
   * {@link EntityCrash} and its subclasses are crashes. Must be a pure function of the exception.
   */
  default boolean isCrash(Throwable error) {
    return error instanceof EntityCrash;
  }

  /**
   * The graph this model's streamed events ({@link SimContext#sendStreamed}) travel through on the
   * actor engine, one materialization per domain that streams; {@link StreamTransport#DIRECT}, the
   * default, passes them straight to the domain. Called once per domain, before the run.
   */
  default StreamTransport streamTransport() {
    return StreamTransport.DIRECT;
  }
}
