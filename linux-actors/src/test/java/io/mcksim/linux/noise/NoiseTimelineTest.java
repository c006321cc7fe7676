package io.mcksim.linux.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The closed form against the event-by-event model: every interruption its own start and end event,
 * a piece of work paused and resumed by them. They must agree exactly.
 */
class NoiseTimelineTest {

  private record Mark(int kind, long value) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return kind * 31L + value;
    }
  }

  /** One CPU, noise as events: work items run back to back, preempted by every interruption. */
  private static final class EventCpu implements SimEntity {
    private final List<NoiseSource> sources;
    private final long[] work;
    final long[] finishedAt;
    private int item;
    private long remaining;
    private long runningSince = -1;
    private int noiseDepth;
    private long token;

    EventCpu(List<NoiseSource> sources, long[] work) {
      this.sources = sources;
      this.work = work;
      this.finishedAt = new long[work.length];
    }

    @Override
    public void start(SimContext ctx) {
      long horizon = 0;
      for (long w : work) {
        horizon += w;
      }
      horizon = horizon * 4 + 10_000_000;
      for (NoiseSource source : sources) {
        NoiseSource.Cursor c = source.cursor();
        while (c.start() < horizon) {
          if (c.duration() > 0) {
            ctx.send(ctx.self(), c.start(), 0, new Mark(1, 0));
            ctx.send(ctx.self(), c.start() + c.duration(), 0, new Mark(2, 0));
          }
          c.advance();
        }
      }
      remaining = work[0];
      resume(ctx);
    }

    private void resume(SimContext ctx) {
      if (noiseDepth == 0 && item < work.length && runningSince < 0) {
        runningSince = ctx.now();
        ctx.send(ctx.self(), remaining, 0, new Mark(3, ++token));
      }
    }

    private void pause(SimContext ctx) {
      if (runningSince >= 0) {
        remaining -= ctx.now() - runningSince;
        runningSince = -1;
        token++;
      }
    }

    @Override
    public void onEvent(SimContext ctx, int source, long data, Object payload) {
      Mark m = (Mark) payload;
      if (m.kind() == 1) {
        noiseDepth++;
        pause(ctx);
      } else if (m.kind() == 2) {
        noiseDepth--;
        resume(ctx);
      } else if (m.value() == token && runningSince >= 0) {
        finishedAt[item++] = ctx.now();
        runningSince = -1;
        if (item < work.length) {
          remaining = work[item];
          resume(ctx);
        }
      }
    }
  }

  private static long[] eventModel(List<NoiseSource> sources, long[] work) {
    EventCpu cpu = new EventCpu(sources, work);
    SimModel model = new SimModel() {
      @Override
      public String name() {
        return "noise-events";
      }

      @Override
      public long seed() {
        return 0;
      }

      @Override
      public int entityCount() {
        return 1;
      }

      @Override
      public int domainCount() {
        return 1;
      }

      @Override
      public int domainOf(int entity) {
        return 0;
      }

      @Override
      public long lookahead() {
        return 1;
      }

      @Override
      public long localLookahead() {
        return 1;
      }

      @Override
      public SimEntity createEntity(int id) {
        return cpu;
      }
    };
    new SequentialEngine().run(model, RunSpec.until(Long.MAX_VALUE / 4, 1));
    return cpu.finishedAt;
  }

  private static long[] closedForm(List<NoiseSource> sources, long[] work) {
    NoiseTimeline noise = new NoiseTimeline(sources);
    long[] out = new long[work.length];
    long t = 0;
    for (int i = 0; i < work.length; i++) {
      t = noise.finish(t, work[i]);
      out[i] = t;
    }
    return out;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void theClosedFormGivesExactlyWhatEveryInterruptionAsAnEventGives(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<NoiseSource> sources = List.of(
        new PeriodicTick(1_000_000, 2_000 + r.nextInt(5_000), r.nextInt(1_000_000)),
        new RandomNoise("daemon", Distribution.exponential(3_000_000), Distribution.uniform(10_000, 80_000),
            r.nextInt(500_000), seed, 3),
        RandomNoise.interrupts("irq", 20_000, 1_500, seed, 3));
    long[] work = new long[2_000];
    for (int i = 0; i < work.length; i++) {
      work[i] = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(200_000);
    }
    assertThat(closedForm(sources, work)).as("seed %d", seed).containsExactly(eventModel(sources, work));
  }

  @Test
  void aPeriodicTickStealsItsFrequencyTimesItsDurationWithinOnePercent() {
    // 1000 Hz, 2 us per tick; 10,000 quanta of 100 us of work
    NoiseTimeline noise = new NoiseTimeline(List.of(PeriodicTick.hz(1_000, 2_000, 0)));
    long t = 0;
    long quantum = 100_000;
    long total = 0;
    for (int i = 0; i < 10_000; i++) {
      long end = noise.finish(t, quantum);
      total += end - t;
      t = end;
    }
    double fraction = (total - 10_000.0 * quantum) / total;
    assertThat(fraction).isCloseTo(1_000 * 2_000e-9, org.assertj.core.data.Percentage.withPercentage(1));
  }

  @Test
  void traceDrivenNoiseStealsExactlyWhatTheTraceSays(@TempDir Path dir) throws Exception {
    List<String> lines = new ArrayList<>(List.of("# start duration", "1000 500", "5000 200",
        "5100 400", "20000 1000"));
    Path file = dir.resolve("noise.trace");
    Files.write(file, lines);
    TraceNoise trace = TraceNoise.read(file);
    assertThat(trace.stolen()).isEqualTo(500 + 500 + 1000); // the 5000/5100 pair overlaps
    NoiseTimeline noise = new NoiseTimeline(List.of(trace));
    long end = noise.finish(0, 100_000);
    assertThat(end - 100_000).isEqualTo(trace.stolen());
    Files.write(file, List.of("1000 500", "oops"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TraceNoise.read(file))
        .hasMessageContaining("noise.trace:2: expected 'start duration' in ns, got 'oops'");
  }

  @Test
  void eachCpuDrawsItsOwnDaemonSequence() {
    RandomNoise a = new RandomNoise("d", Distribution.exponential(1_000_000), Distribution.fixed(10_000),
        0, 7, 0);
    RandomNoise b = new RandomNoise("d", Distribution.exponential(1_000_000), Distribution.fixed(10_000),
        0, 7, 1);
    assertThat(a.cursor().start()).isNotEqualTo(b.cursor().start());
    assertThat(a.cursor().start()).isEqualTo(a.cursor().start());
    assertThat(RandomStreams.streamSeed(7, 0, "noise/d")).isNotEqualTo(RandomStreams.streamSeed(7, 1, "noise/d"));
  }

  /** A tick, a daemon and interrupts: about 2 % of the time. */
  private static List<NoiseSource> busy(long seed) {
    return List.of(PeriodicTick.hz(1_000, 2_000, 0),
        new RandomNoise("daemon", Distribution.exponential(3_000_000), Distribution.uniform(10_000, 80_000), 0,
            seed, 0),
        RandomNoise.interrupts("irq", 2_000, 1_500, seed, 0));
  }

  /** Their long-run share of the time, taken as independent. */
  private static final double BUSY = 1 - (1 - 0.002) * (1 - 45_000.0 / 3_000_000) * (1 - 1_500 * 2_000e-9);

  @Test
  void longWorkRunsAtTheLongRunRateInTheTimeOfShortWork() {
    long day = 86_400L * 1_000_000_000L;
    NoiseTimeline closed = new NoiseTimeline(busy(3));
    long end = closed.finish(0, 1_000 * day);
    assertThat((double) (end - 1_000 * day) / end).isCloseTo(BUSY,
        org.assertj.core.data.Percentage.withPercentage(1));
    assertThat(closed.stolen()).isEqualTo(end - 1_000 * day);
    // against 200 s walked one interruption at a time, in pieces of a second
    NoiseTimeline exact = new NoiseTimeline(busy(3));
    long t = 0;
    for (int i = 0; i < 200; i++) {
      t = exact.finish(t, 1_000_000_000L);
    }
    NoiseTimeline fast = new NoiseTimeline(busy(3));
    assertThat((double) fast.finish(0, 200_000_000_000L)).isCloseTo(t,
        org.assertj.core.data.Percentage.withPercentage(0.05));
  }

  @Test
  void anIdleStretchIsSkippedAndTheNoiseAfterItIsStillThere() {
    NoiseTimeline noise = new NoiseTimeline(busy(5));
    long t = noise.finish(0, 1_000);
    long far = 100_000L * 86_400 * 1_000_000_000L; // 100,000 days on
    long total = 0;
    long at = far;
    for (int i = 0; i < 1_000; i++) {
      long end = noise.finish(at, 100_000_000);
      total += end - at - 100_000_000;
      at = end;
    }
    assertThat(t).isPositive();
    assertThat((double) total / (at - far)).isCloseTo(BUSY, org.assertj.core.data.Percentage.withPercentage(10));
    // a tick and a trace skip exactly: the tick's phase is kept, the trace's later interruptions apply
    NoiseTimeline tick = new NoiseTimeline(List.of(new PeriodicTick(1_000_000, 1_000, 300)));
    tick.finish(0, 10);
    assertThat(tick.finish(5_000_000_000_000L + 300, 10)).isEqualTo(5_000_000_000_000L + 1_300 + 10);
    NoiseTimeline trace = new NoiseTimeline(List.of(new TraceNoise(new long[] {100, 9_000_000_000L, 9_500_000_000L},
        new long[] {50, 1_000, 2_000})));
    assertThat(trace.finish(0, 10)).isEqualTo(10);
    assertThat(trace.finish(8_999_999_990L, 100)).isEqualTo(8_999_999_990L + 100 + 1_000);
    assertThat(trace.finish(9_400_000_000L, 200_000_000L)).isEqualTo(9_600_000_000L + 2_000);
  }
}
