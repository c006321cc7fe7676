package io.mcksim.actors.phold;

import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;

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

  /** The purpose the entities' random streams are drawn for ({@link RandomStreams#streamSeed}). */
  static final String PURPOSE = "phold";

  private final Params params;

  public Phold(Params params) {
    this.params = params;
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
    return new Entity(id, domainOf(id), RandomStreams.streamSeed(params.seed(), id, PURPOSE));
  }

  /**
   * One PHOLD entity. Its random stream is {@link RandomStreams#stream}'s {@code SplittableRandom},
   * drawn exactly as that class draws (SplitMix64 with the golden gamma: {@code nextDouble},
   * {@code nextInt(bound)}), but held as its one {@code long} of state: a million entities need no
   * generator objects (48 bytes each with the JDK's, on both engines).
   */
  final class Entity implements SimEntity {
    /** SplittableRandom's gamma for a generator made from a seed. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private final int domain;
    /** The random stream's state: SplittableRandom's seed. */
    private long seed;

    Entity(int id, int domain, long seed) {
      this.domain = domain;
      this.seed = seed;
    }

    /** {@code SplittableRandom.nextDouble()}. */
    double nextDouble() {
      return (RandomStreams.mix64(seed += GOLDEN_GAMMA) >>> 11) * 0x1.0p-53;
    }

    /** {@code SplittableRandom.nextInt()}. */
    private int nextInt() {
      long z = seed += GOLDEN_GAMMA;
      z = (z ^ (z >>> 33)) * 0x62A9D9ED799705F5L;
      return (int) (((z ^ (z >>> 28)) * 0xCB24D0A5C88C35B3L) >>> 32);
    }

    /** {@code SplittableRandom.nextInt(bound)}, {@code bound >= 1}: the same rejection of over-represented draws. */
    int nextInt(int bound) {
      int r = nextInt();
      int m = bound - 1;
      if ((bound & m) == 0) {
        return r & m;
      }
      for (int u = r >>> 1; u + m - (r = u % bound) < 0; u = nextInt() >>> 1) {
        // draw again
      }
      return r;
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
      if (domains > 1 && nextDouble() < params.remoteFraction()) {
        d = nextInt(domains - 1);
        if (d >= domain) {
          d++;
        }
      }
      int first = firstOf(d);
      int end = d + 1 == domains ? params.entities() : firstOf(d + 1);
      return first + nextInt(end - first);
    }

    private long delay() {
      double mean = params.meanDelay();
      if (mean == 0) {
        return params.lookahead();
      }
      return params.lookahead() + (long) (-mean * Math.log(1.0 - nextDouble()));
    }
  }
}
