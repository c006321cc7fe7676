package io.mcksim.actors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs of self-events taken at once ({@link RunAhead#takeRun}) give exactly what taking them one by one,
 * and what queuing and delivering each, give: the same digest, events and entity state, on both engines
 * and 1 and 2 threads, while other entities' events land in the middle of the runs, at the very instants
 * of pending events too (where the sender's id decides which comes first), and the run ends in the
 * middle of one.
 */
class RunAheadRunsTest {

  /** The payload of a looper's self-event {@code k}. */
  private record Tick(long k) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return k * 7 + 1;
    }
  }

  /**
   * Entities 0-2 in domain 0, 3-5 in domain 1; 1 and 4 loop (self-events in segments of equal spacing,
   * the spacing changing from segment to segment and with every poke), the others poke both loopers
   * every so often, at times that often fall on a looper's pending event.
   */
  private static final class Model implements SimModel {
    final boolean runs;
    final Looper[] loopers = new Looper[6];
    long takenAtOnce;

    Model(boolean runs) {
      this.runs = runs;
    }

    @Override
    public String name() {
      return "run-ahead-runs";
    }

    @Override
    public long seed() {
      return 11;
    }

    @Override
    public int entityCount() {
      return 6;
    }

    @Override
    public int domainCount() {
      return 2;
    }

    @Override
    public int domainOf(int entity) {
      return entity / 3;
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
      if (id == 1 || id == 4) {
        loopers[id] = new Looper(id);
        return loopers[id];
      }
      return new SimEntity() {
        int pokes;

        @Override
        public void start(SimContext ctx) {
          ctx.send(id, 1_000 + 37L * id, 0);
        }

        @Override
        public void onEvent(SimContext ctx, int source, long data, Object payload) {
          if (source != id) {
            return;
          }
          pokes++;
          int near = id < 3 ? 1 : 4;
          int far = id < 3 ? 4 : 1;
          ctx.send(near, 100L * (1 + pokes % 5), pokes);
          ctx.send(far, 1_000 + 10L * (pokes % 7), -pokes);
          if (pokes < 60) {
            ctx.send(id, 2_000 + 130L * (pokes % 11), 0);
          }
        }
      };
    }

    /**
     * Loops in segments of {@value #SEGMENT} self-events of equal spacing; a poke changes the spacing
     * from the self-event after the pending one on.
     */
    final class Looper implements SimEntity, RunAhead {
      static final int SEGMENT = 40;
      final int id;
      long time;
      long k;
      long spacing;
      long sum;
      final List<Long> seen = new ArrayList<>();

      Looper(int id) {
        this.id = id;
        this.spacing = 10 + id;
      }

      long spacing() {
        return spacing + (k / SEGMENT) % 3;
      }

      @Override
      public void start(SimContext ctx) {
        time = 0;
        ctx.runAhead(this);
      }

      @Override
      public void onEvent(SimContext ctx, int source, long data, Object payload) {
        if (payload instanceof Tick) {
          take(); // the stretch ended (a poke came) and this is its pending event, delivered
          ctx.runAhead(this);
          return;
        }
        // a poke: its pending self-event stays queued, and the spacing changes from the next one on
        seen.add(ctx.now() * 31 + data);
        spacing = 9 + Math.floorMod(data, 5);
      }

      @Override
      public long time() {
        return time;
      }

      @Override
      public long data() {
        return 3 * k;
      }

      @Override
      public Object payload() {
        return new Tick(k);
      }

      @Override
      public boolean take() {
        sum += time * (k + 1);
        time += spacing();
        k++;
        return true;
      }

      @Override
      public long endBound() {
        return Long.MAX_VALUE / 2;
      }

      @Override
      public long takeRun(long until, Taken taken) {
        long inSegment = SEGMENT - k % SEGMENT - 1; // the segment's last keeps its own spacing change
        if (!runs || inSegment <= 0 || time > until) {
          return 0;
        }
        long step = spacing();
        long n = Math.min(inSegment, (until - time) / step + 1);
        for (long i = 0; i < n; i++) {
          taken.event(time, 3 * k, new Tick(k).fingerprint());
          sum += time * (k + 1);
          time += step;
          k++;
        }
        takenAtOnce += n;
        return n;
      }
    }
  }

  private record Seen(String digest, long events, List<Long> state) {}

  private static Seen run(Engine engine, Model m, RunSpec spec) {
    RunResult r = engine.run(m, spec);
    List<Long> state = new ArrayList<>();
    for (int id : new int[] {1, 4}) {
      Model.Looper l = m.loopers[id];
      state.add(l.k);
      state.add(l.sum);
      state.addAll(l.seen);
    }
    return new Seen(r.digest(), r.events(), state);
  }

  @Test
  void runsTakenAtOnceAreWhatOneByOneAndEventByEventGive() {
    for (long end : new long[] {150_000, 123_457}) {
      Seen oracle = run(new SequentialEngine(), new Model(false), RunSpec.until(end, 1).withRunAhead(false));
      assertThat(oracle.state().size()).as("pokes seen").isGreaterThan(200);
      assertThat(run(new SequentialEngine(), new Model(false), RunSpec.until(end, 1)))
          .as("one by one, end %d", end).isEqualTo(oracle);
      Model atOnce = new Model(true);
      assertThat(run(new SequentialEngine(), atOnce, RunSpec.until(end, 1)))
          .as("runs at once, sequential engine, end %d", end).isEqualTo(oracle);
      assertThat(atOnce.takenAtOnce).as("events taken in runs").isGreaterThan(oracle.events() / 2);
      for (int threads : new int[] {1, 2}) {
        assertThat(run(new ActorEngine(), new Model(true), RunSpec.until(end, threads)))
            .as("runs at once, actor engine, %d threads, end %d", threads, end).isEqualTo(oracle);
      }
    }
  }
}
