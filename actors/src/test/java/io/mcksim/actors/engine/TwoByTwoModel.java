package io.mcksim.actors.engine;

/**
 * A test model of two domains of two entities (lookahead 1000 ns, local 100 ns): each entity sends
 * itself an event at t=5000, then {@link #react} decides what it does with every event.
 */
abstract class TwoByTwoModel implements SimModel {

  private final String name;
  private final long seed;

  TwoByTwoModel(String name, long seed) {
    this.name = name;
    this.seed = seed;
  }

  /** What entity {@code id} does with an event carrying {@code data}. */
  abstract void react(SimContext ctx, int id, long data);

  @Override
  public String name() {
    return name;
  }

  @Override
  public long seed() {
    return seed;
  }

  @Override
  public int entityCount() {
    return 4;
  }

  @Override
  public int domainCount() {
    return 2;
  }

  @Override
  public int domainOf(int entity) {
    return entity / 2;
  }

  @Override
  public long lookahead() {
    return 1_000;
  }

  @Override
  public long localLookahead() {
    return 100;
  }

  @Override
  public SimEntity createEntity(int id) {
    return new SimEntity() {
      @Override
      public void start(SimContext ctx) {
        ctx.send(id, 5_000, 0);
      }

      @Override
      public void onEvent(SimContext ctx, int source, long data, Object payload) {
        react(ctx, id, data);
      }
    };
  }
}
