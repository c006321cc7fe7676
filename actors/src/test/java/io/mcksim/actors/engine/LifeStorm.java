package io.mcksim.actors.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random storm of crashes, restarts, escalations, watches and asks, for determinism checks: 3 domains
 * of 5 entities (lookahead 1000 ns, 100 ns within a domain), a random supervision tree with random
 * strategies, and entities that until {@link #HORIZON} keep sending, crashing, watching, unwatching,
 * asking and answering (at once, later or never) at random, each from its own stream per incarnation.
 */
final class LifeStorm implements SimModel {

  static final long HORIZON = 60_000;
  private static final int DOMAINS = 3;
  private static final int PER_DOMAIN = 5;

  private final long seed;

  LifeStorm(long seed) {
    this.seed = seed;
  }

  @Override
  public String name() {
    return "life-storm";
  }

  @Override
  public long seed() {
    return seed;
  }

  @Override
  public int entityCount() {
    return DOMAINS * PER_DOMAIN;
  }

  @Override
  public int domainCount() {
    return DOMAINS;
  }

  @Override
  public int domainOf(int entity) {
    return entity / PER_DOMAIN;
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
  public Supervision supervision(int id) {
    SplittableRandom r = new SplittableRandom(RandomStreams.streamSeed(seed, id, "storm.tree"));
    if (id == 0 || r.nextInt(10) < 2) {
      return null;
    }
    int parent = r.nextInt(id); // a lower id: always a tree
    SupervisorStrategy strategy = switch (r.nextInt(4)) {
      case 0 -> SupervisorStrategy.stop();
      case 1 -> SupervisorStrategy.escalate();
      default -> SupervisorStrategy.restart(1 + r.nextInt(3), 100 + r.nextInt(500), 3_000);
    };
    return new Supervision(parent, delay(r, id, parent), strategy);
  }

  /** A random delay from {@code from} to {@code to} that the lookahead allows. */
  private static long delay(SplittableRandom r, int from, int to) {
    if (from == to) {
      return r.nextInt(50);
    }
    return from / PER_DOMAIN == to / PER_DOMAIN ? 100 + r.nextInt(300) : 1_000 + r.nextInt(1_000);
  }

  @Override
  public SimEntity createEntity(int id) {
    return new SimEntity() {
      private SplittableRandom r;
      private final List<AskRef> owed = new ArrayList<>();
      private long signals;

      @Override
      public void start(SimContext ctx) {
        r = new SplittableRandom(RandomStreams.streamSeed(seed, id, "storm." + ctx.incarnation()));
        ctx.send(id, 1 + r.nextInt(500), 0, "tick");
      }

      @Override
      public void onEvent(SimContext ctx, int source, long data, Object payload) {
        AskRef ask = ctx.currentAsk();
        if (ask != null) {
          if (data == 0) {
            ctx.reply(ask, delay(r, id, ask.asker()), signals, "answer");
          } else if (data == 1) {
            owed.add(ask);
          }
          return;
        }
        if (!"tick".equals(payload) || ctx.now() >= HORIZON) {
          return;
        }
        int other = r.nextInt(entityCount());
        int roll = r.nextInt(100);
        if (roll < 3) {
          ctx.crash("storm at " + ctx.now());
        } else if (roll < 40) {
          ctx.send(other, delay(r, id, other), roll, "msg");
        } else if (roll < 55 && other != id) {
          ctx.watch(other, delay(r, id, other));
        } else if (roll < 60) {
          ctx.unwatch(other);
        } else if (roll < 80) {
          ctx.ask(other, delay(r, id, other), r.nextInt(3), "question", 200 + r.nextInt(5_000));
        } else if (!owed.isEmpty()) {
          AskRef later = owed.remove(r.nextInt(owed.size()));
          ctx.reply(later, delay(r, id, later.asker()), signals, "late answer");
        }
        ctx.send(id, 50 + r.nextInt(450), 0, "tick");
      }

      @Override
      public void onSignal(SimContext ctx, Signal signal) {
        signals++;
        if (signal instanceof Signal.Terminated t && r.nextBoolean() && t.entity() != id) {
          ctx.watch(t.entity()); // watch the next incarnation, if any
        }
      }
    };
  }
}
