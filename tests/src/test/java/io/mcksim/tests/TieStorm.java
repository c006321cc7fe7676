package io.mcksim.tests;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
import java.util.SplittableRandom;

/**
 * A model built to put many events on exactly the same virtual time, across entities and domains: every
 * delay is 0, the local lookahead or a multiple of the lookahead, so all events fall on a coarse grid.
 * Each entity folds the order in which it sees events into an accumulator that travels in the events it
 * sends, so any difference in tie-breaking between engines changes the digest. Zero-delay self "echo"
 * events exercise self-scheduling inside a batch.
 */
final class TieStorm implements SimModel {

  static final long LOOKAHEAD = 1_000;
  static final long LOCAL_LOOKAHEAD = 250;

  /** A payload whose content is folded into the digest. */
  record Note(long acc, int hops) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return acc * 31 + hops;
    }
  }

  private final int entities;
  private final int domains;
  private final int population;
  private final RandomStreams streams;

  TieStorm(int entities, int domains, int population, long seed) {
    this.entities = entities;
    this.domains = domains;
    this.population = population;
    this.streams = new RandomStreams(seed);
  }

  @Override
  public String name() {
    return "tie-storm";
  }

  @Override
  public long seed() {
    return streams.seed();
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
    return LOOKAHEAD;
  }

  @Override
  public long localLookahead() {
    return LOCAL_LOOKAHEAD;
  }

  @Override
  public SimEntity createEntity(int id) {
    return new Entity(id, streams.stream(id, "tie-storm"));
  }

  private final class Entity implements SimEntity {
    private final int id;
    private final SplittableRandom random;
    private long acc;

    Entity(int id, SplittableRandom random) {
      this.id = id;
      this.random = random;
      this.acc = id;
    }

    @Override
    public void start(SimContext ctx) {
      for (int i = 0; i < population; i++) {
        // everyone starts on the same instants: maximal ties from the first window on
        ctx.send(sameDomainPeer(), LOCAL_LOOKAHEAD * (1 + random.nextInt(2)), acc);
      }
    }

    @Override
    public void onEvent(SimContext ctx, int source, long data, Object payload) {
      acc = acc * 1_000_003L + source * 31L + data;
      if (payload instanceof Note note) {
        acc ^= note.fingerprint();
      }
      if ((data & 1) == 1) {
        return; // an echo: absorbed, not passed on
      }
      double r = random.nextDouble();
      long next = acc << 1;
      if (r < 0.2) {
        ctx.send(id, random.nextBoolean() ? 0 : LOCAL_LOOKAHEAD, next);
      } else if (r < 0.6) {
        ctx.send(sameDomainPeer(), LOCAL_LOOKAHEAD * (1 + random.nextInt(4)), next, new Note(acc, 1));
      } else {
        ctx.send(otherDomainPeer(), LOOKAHEAD * (1 + random.nextInt(2)), next);
      }
      if (random.nextInt(10) == 0) {
        ctx.send(id, 0, next | 1);
      }
    }

    private int sameDomainPeer() {
      int perDomain = entities / domains;
      int k = random.nextInt(perDomain);
      return k * domains + id % domains;
    }

    private int otherDomainPeer() {
      if (domains == 1) {
        return sameDomainPeer();
      }
      int d = random.nextInt(domains - 1);
      if (d >= id % domains) {
        d++;
      }
      return random.nextInt(entities / domains) * domains + d;
    }
  }
}
