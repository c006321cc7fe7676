package io.mcksim.tests;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;

/** Each entity sends one event to its successor at a distinct time, then the run runs dry. */
final class OneShot implements SimModel {

  static final long DELAY = 10_000;

  private final int entities;
  private final int domains;

  OneShot(int entities, int domains) {
    this.entities = entities;
    this.domains = domains;
  }

  @Override
  public String name() {
    return "one-shot";
  }

  @Override
  public long seed() {
    return 0;
  }

  @Override
  public int entityCount() {
    return entities;
  }

  @Override
  public int domainCount() {
    return domains;
  }

  @Override
  public int domainOf(int entity) {
    return entity % domains;
  }

  @Override
  public long lookahead() {
    return DELAY;
  }

  @Override
  public long localLookahead() {
    return DELAY;
  }

  @Override
  public SimEntity createEntity(int id) {
    return new SimEntity() {
      @Override
      public void start(SimContext ctx) {
        ctx.send((id + 1) % entities, DELAY * (id + 1), id);
      }

      @Override
      public void onEvent(SimContext ctx, int source, long data, Object payload) {}
    };
  }
}
