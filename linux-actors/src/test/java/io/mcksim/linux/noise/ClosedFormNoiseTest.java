package io.mcksim.linux.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link NoiseTimeline#finish} in closed form against the per-interruption model it replaces: a CPU
 * entity that gets an event at the start and at the end of every interruption of every source, and
 * runs its work only while no interruption is under way.
 */
class ClosedFormNoiseTest {

  /** Work items: each becomes ready {@code gap} after the previous one is done. */
  record Item(long gap, long work) {}

  static List<Item> items(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Item> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Item(r.nextLong(0, 200_000), r.nextLong(1, 3_000_000)));
    }
    return out;
  }

  static List<Long> closedForm(List<NoiseSource> sources, List<Item> items) {
    NoiseTimeline t = new NoiseTimeline(sources);
    List<Long> done = new ArrayList<>();
    long now = 0;
    for (Item it : items) {
      now = t.finish(now + it.gap(), it.work());
      done.add(now);
    }
    return done;
  }

  /** The per-event CPU: events 2k / 2k+1 are the start / end of source k's current interruption. */
  static final class TickedCpu implements SimEntity {
    private final List<NoiseSource.Cursor> cursors = new ArrayList<>();
    private final List<Item> items;
    final List<Long> done = new ArrayList<>();
    private int depth;
    private int next;
    private long remaining = -1;
    private long resumed;
    private long generation;

    TickedCpu(List<NoiseSource> sources, List<Item> items) {
      sources.forEach(s -> cursors.add(s.cursor()));
      this.items = items;
    }

    @Override
    public void start(SimContext ctx) {
      for (int k = 0; k < cursors.size(); k++) {
        if (cursors.get(k).start() != Long.MAX_VALUE) {
          ctx.send(0, cursors.get(k).start(), 2L * k);
        }
      }
      ctx.send(0, items.get(0).gap(), -1); // the first item becomes ready
    }

    @Override
    public void onEvent(SimContext ctx, int source, long data, Object payload) {
      long now = ctx.now();
      if (data == -1) {
        remaining = items.get(next).work();
        resumed = now;
        plan(ctx);
      } else if (data <= -2) {
        if (-data - 2 == generation && depth == 0 && remaining >= 0) {
          finishItem(ctx, now);
        }
      } else if (data % 2 == 0) { // an interruption starts: pause the work, line up the source's next
        NoiseSource.Cursor c = cursors.get((int) (data / 2));
        if (depth++ == 0 && remaining >= 0) {
          remaining -= now - resumed;
          generation++;
        }
        ctx.send(0, c.duration(), 1);
        c.advance();
        if (c.start() != Long.MAX_VALUE && next < items.size()) {
          ctx.send(0, c.start() - now, data);
        }
      } else { // an interruption ends: resume the work if no other one is under way
        if (--depth == 0 && remaining >= 0) {
          resumed = now;
          plan(ctx);
        }
      }
    }

    private void plan(SimContext ctx) {
      if (depth == 0) {
        generation++;
        ctx.send(0, remaining, -2 - generation);
      }
    }

    private void finishItem(SimContext ctx, long now) {
      done.add(now);
      remaining = -1;
      next++;
      if (next < items.size()) {
        ctx.send(0, items.get(next).gap(), -1);
      }
    }
  }

  static List<Long> perEvent(List<NoiseSource> sources, List<Item> items) {
    TickedCpu cpu = new TickedCpu(sources, items);
    SimModel model = new SimModel() {
      public String name() { return "ticked-cpu"; }
      public long seed() { return 0; }
      public int entityCount() { return 1; }
      public int domainCount() { return 1; }
      public int domainOf(int entity) { return 0; }
      public long lookahead() { return 1; }
      public long localLookahead() { return 1; }
      public SimEntity createEntity(int id) { return cpu; }
    };
    Engine.named("sequential").run(model, RunSpec.until(Long.MAX_VALUE / 4, 1));
    return cpu.done;
  }

  @Test
  void theClosedFormGivesExactlyWhatAnEventPerInterruptionGives() {
    for (long seed = 1; seed <= 5; seed++) {
      for (String profile : List.of("linux-default", "linux-tuned")) {
        List<Item> items = items(seed, 60);
        List<Long> expected = perEvent(NoiseProfile.sources(profile, seed, 0, 3), items);
        assertThat(expected).as("seed %d, %s", seed, profile).hasSize(items.size());
        assertThat(closedForm(NoiseProfile.sources(profile, seed, 0, 3), items))
            .as("seed %d, %s", seed, profile).isEqualTo(expected);
      }
    }
  }

  @Test
  void overlappingSourcesAgreeToo() {
    List<NoiseSource> sources = List.of(new PeriodicTick(100_000, 30_000, 0),
        new PeriodicTick(70_000, 25_000, 5_000), new PeriodicTick(1_000_000, 400_000, 90_000));
    List<Item> items = items(9, 80);
    assertThat(closedForm(sources, items)).isEqualTo(perEvent(sources, items));
  }
}
