package io.mcksim.actors.phold;

import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
import java.util.SplittableRandom;

/**
 * PHOLD, the standard benchmark of parallel discrete-event simulators. Entities are spread over
 * domains in contiguous blocks; each starts with {@code population} events; every event schedules one
 * new event after {@code lookahead + Exp(meanDelay)} for a random entity, in another domain with
 * probability {@code remoteFraction}, else in its own domain (possibly itself).
 */
public final class Phold implements SimModel {

  /**
   * PHOLD's parameters.
   *
   * @param entities       number of entities (logical processes)
   * @param domains        number of domains the entities are spread over
   * @param population     initial events per entity
   * @param lookahead      fixed part of every delay, ns; the engine's lookahead
   * @param meanDelay      mean of the exponential part of every delay, ns
   * @param remoteFraction probability that an event goes to another domain
   * @param seed           run seed
   */
  public record Params(int entities, int domains, int population, long lookahead, long meanDelay,
      double remoteFraction, long seed) {

    public Params {
      require(entities >= 1, "entities must be at least 1, got " + entities);
      require(domains >= 1 && domains <= entities,
          "domains must be between 1 and the number of entities (" + entities + "), got " + domains);
      require(population >= 1, "population (initial events per entity) must be at least 1, got "
          + population);
      require(lookahead >= 1, "lookahead must be at least 1ns, got " + lookahead);
      require(meanDelay >= 0, "mean delay must not be negative, got " + meanDelay);
      require(remoteFraction >= 0 && remoteFraction <= 1,
          "remote fraction must lie in [0, 1], got " + remoteFraction);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException("phold: " + message);
      }
    }
  }

  private final Params params;
  private final RandomStreams streams;

  public Phold(Params params) {
    this.params = params;
    this.streams = new RandomStreams(params.seed());
  }

  public Params params() {
    return params;
  }

  @Override
  public String name() {
    return "phold";
  }

  @Override
  public long seed() {
    return params.seed();
  }

  @Override
  public int entityCount() {
    return params.entities();
  }

  @Override
  public int domainCount() {
    return params.domains();
  }

  @Override
  public int domainOf(int entity) {
    return (int) ((long) entity * params.domains() / params.entities());
  }

  /** First entity id of a domain: the inverse of the block partition of {@link #domainOf}. */
  int firstOf(int domain) {
    long n = params.entities();
    long d = params.domains();
    return (int) ((domain * n + d - 1) / d);
  }

  @Override
  public long lookahead() {
    return params.lookahead();
  }

  @Override
  public long localLookahead() {
    return params.lookahead();
  }

  @Override
  public SimEntity createEntity(int id) {
    return new Entity(id, domainOf(id), streams.stream(id, "phold"));
  }

  private final class Entity implements SimEntity {
    private final int domain;
    private final SplittableRandom random;

    Entity(int id, int domain, SplittableRandom random) {
      this.domain = domain;
      this.random = random;
    }

    @Override
    public void start(SimContext ctx) {
      for (int i = 0; i < params.population(); i++) {
        hop(ctx, 0);
      }
    }

    @Override
    public void onEvent(SimContext ctx, int source, long data, Object payload) {
      hop(ctx, data + 1);
    }

    private void hop(SimContext ctx, long hops) {
      ctx.send(pickTarget(), delay(), hops);
    }

    private int pickTarget() {
      int d = domain;
      int domains = params.domains();
      if (domains > 1 && random.nextDouble() < params.remoteFraction()) {
        d = random.nextInt(domains - 1);
        if (d >= domain) {
          d++;
        }
      }
      int first = firstOf(d);
      int end = d + 1 == domains ? params.entities() : firstOf(d + 1);
      return first + random.nextInt(end - first);
    }

    private long delay() {
      double mean = params.meanDelay();
      if (mean == 0) {
        return params.lookahead();
      }
      return params.lookahead() + (long) (-mean * Math.log(1.0 - random.nextDouble()));
    }
  }
}
