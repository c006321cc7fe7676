package io.mcksim.actors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The event queue pops in the engine's total order (time, target, source, sequence number), the same
 * order as {@link EventHeap}, whatever the interleaving of pushes and pops: times far apart and close,
 * huge instants of tied events, zero-delay sends into the instant being popped, and pushes earlier than
 * it.
 */
class EventQueueTest {

  private record Ev(long time, int target, int source, long seq, long data) {}

  private static final Comparator<Ev> ORDER = Comparator.comparingLong(Ev::time)
      .thenComparingInt(Ev::target).thenComparingInt(Ev::source).thenComparingLong(Ev::seq);

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 99, 123456789})
  void popsInOrderWithManyTiesAndPushesIntoThePast(long seed) {
    // few distinct times and ids, independent of the time reached: ties on time and on (time,
    // target) are the common case, and many pushes lie at or before the instant being popped
    check(seed, 20_000, 3, now -> 0, random -> random.nextInt(20), 4);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 99, 123456789})
  void popsInOrderOnTheHoldModel(long seed) {
    // an engine's pattern: every push at or after the last popped time, exponential increments,
    // with a zero delay now and then (a send to oneself)
    check(seed, 60_000, 10, now -> now, random -> random.nextInt(8) == 0 ? 0
        : (long) (-1000.0 * Math.log(1.0 - random.nextDouble())), 64);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 99, 123456789})
  void popsInOrderWithLargeInstantsAndWideTimes(long seed) {
    // whole milliseconds (instants of hundreds of events, out of key order) mixed with times up to
    // 2^62 ns, so that events cross every bucket
    check(seed, 40_000, 4, now -> now, random -> random.nextInt(50) == 0
        ? random.nextLong(1L << 62) : 1_000_000L * random.nextInt(3), 1 << 20);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 99, 123456789})
  void popsInOrderWhenSmallBucketsMoveWholeWithTiesInsideTheirSpan(long seed) {
    // a node's pattern: a few events a few hundred ns ahead (buckets above rung 0 small enough to move
    // whole into the run), on a coarse grid so that pushes into the run's span tie with its events on
    // time, and few ids so that they tie on target and source too
    check(seed, 40_000, 2, now -> now, random -> 16L * random.nextInt(80), 3);
  }

  private interface Increment {
    long draw(SplittableRandom random);
  }

  /**
   * Pushes ({@code pushWeight} of {@code pushWeight + 1} steps) and pops, {@code steps} in all, each
   * push at {@code base(now) + increment}, and compares every pop with a reference priority queue.
   */
  private static void check(long seed, int steps, int pushWeight, LongUnaryOperator base,
      Increment increment, int ids) {
    SplittableRandom random = new SplittableRandom(seed);
    EventQueue queue = new EventQueue();
    PriorityQueue<Ev> reference = new PriorityQueue<>(ORDER);
    long seq = 0;
    long now = 0;
    List<Ev> popped = new ArrayList<>();
    List<Ev> expected = new ArrayList<>();
    for (int step = 0; step < steps; step++) {
      if (reference.isEmpty() || random.nextInt(pushWeight + 1) > 0) {
        Ev e = new Ev(base.applyAsLong(now) + increment.draw(random), random.nextInt(ids),
            random.nextInt(ids), seq++, random.nextLong());
        queue.push(e.time(), e.target(), e.source(), e.seq(), e.data(), e);
        reference.add(e);
      } else {
        assertThat(queue.minTime()).as("seed %d", seed).isEqualTo(reference.peek().time());
        queue.pop();
        popped.add(new Ev(queue.topTime, queue.topTarget, queue.topSource, queue.topSeq, queue.topData));
        assertThat(queue.topPayload).as("seed %d: payload travels with its event", seed)
            .isEqualTo(reference.peek());
        Ev e = reference.poll();
        expected.add(e);
        now = e.time();
      }
      assertThat(queue.size()).as("seed %d", seed).isEqualTo(reference.size());
      if (step % 1000 == 999) {
        queue.trim(); // giving back the spare room changes no order
      }
    }
    while (!reference.isEmpty()) {
      queue.pop();
      popped.add(new Ev(queue.topTime, queue.topTarget, queue.topSource, queue.topSeq, queue.topData));
      expected.add(reference.poll());
    }
    assertThat(popped).as("seed %d", seed).isEqualTo(expected);
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.minTime()).isEqualTo(Long.MAX_VALUE);
  }
}
