package io.mcksim.actors.engine;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hold model on the engine's {@link EventHeap} and, as the baseline, on a
 * {@link java.util.PriorityQueue} of event records ordered by the same total order (time, target,
 * source, sequence number).
 *
 * <p>A queue is pre-filled with {@code n} events; each operation pops the earliest event and pushes
 * one new event at the popped time plus an exponential increment, so the queue size stays {@code n}.
 * Both benchmarks draw the same increments and targets from tables filled by a seeded
 * {@link SplittableRandom}, and since sequence numbers are unique both pop exactly the same events:
 * only the queue differs. The tables keep the cost of the random draws out of the measurement.
 * Times are whole nanoseconds, so many queued events share a time, as in PHOLD: the tie-breaks on
 * (target, source, sequence number) are part of what is measured.
 *
 * <p>Lives in the engine's package because {@code EventHeap} is package-private.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class EventHeapBenchmark {

  /** Mean of the exponential time increment, ns. */
  private static final double MEAN_INCREMENT = 1000.0;
  /** Targets and sources are entity ids in {@code [0, ENTITIES)}. */
  private static final int ENTITIES = 4096;
  /** Size of the tables of pre-drawn increments and targets; a power of two. */
  private static final int TABLE = 4096;
  private static final long SEED = 0x6d636b73696dL;

  /** Pre-drawn increments and targets, shared by both queues so that they see the same events. */
  public static class Draws {
    final long[] increments = new long[TABLE];
    final int[] targets = new int[TABLE];
    int next;
    long seq;

    void fill(SplittableRandom random) {
      for (int i = 0; i < TABLE; i++) {
        increments[i] = increment(random);
        targets[i] = random.nextInt(ENTITIES);
      }
    }

    static long increment(SplittableRandom random) {
      return (long) (-MEAN_INCREMENT * Math.log(1.0 - random.nextDouble()));
    }
  }

  /** The engine's primitive-keyed 4-ary heap, holding {@code n} events. */
  @State(Scope.Thread)
  public static class HeapState extends Draws {
    @Param({"1000", "100000"})
    public int n;

    EventHeap heap;

    @Setup
    public void setUp() {
      SplittableRandom random = new SplittableRandom(SEED);
      heap = new EventHeap(n);
      for (int i = 0; i < n; i++) {
        heap.push(increment(random), random.nextInt(ENTITIES), random.nextInt(ENTITIES), seq++, 0L,
            null);
      }
      fill(random);
    }
  }

  /** One event of the baseline queue, ordered like the engine orders events. */
  record Event(long time, int target, int source, long seq, long data, Object payload)
      implements Comparable<Event> {

    @Override
    public int compareTo(Event o) {
      if (time != o.time) {
        return Long.compare(time, o.time);
      }
      if (target != o.target) {
        return Integer.compare(target, o.target);
      }
      if (source != o.source) {
        return Integer.compare(source, o.source);
      }
      return Long.compare(seq, o.seq);
    }
  }

  /** The baseline: {@link PriorityQueue} of {@link Event} records, holding {@code n} events. */
  @State(Scope.Thread)
  public static class QueueState extends Draws {
    @Param({"1000", "100000"})
    public int n;

    PriorityQueue<Event> queue;

    @Setup
    public void setUp() {
      SplittableRandom random = new SplittableRandom(SEED);
      queue = new PriorityQueue<>(n);
      for (int i = 0; i < n; i++) {
        queue.add(new Event(increment(random), random.nextInt(ENTITIES), random.nextInt(ENTITIES),
            seq++, 0L, null));
      }
      fill(random);
    }
  }

  /** One hold step on the engine's heap; returns the popped time. */
  @Benchmark
  public long eventHeap(HeapState s) {
    EventHeap heap = s.heap;
    heap.pop();
    int i = s.next++ & (TABLE - 1);
    long time = heap.topTime;
    heap.push(time + s.increments[i], s.targets[i], heap.topTarget, s.seq++, heap.topData + 1, null);
    return time;
  }

  /** One hold step on the {@link PriorityQueue} baseline; returns the popped time. */
  @Benchmark
  public long priorityQueue(QueueState s) {
    Event e = s.queue.poll();
    int i = s.next++ & (TABLE - 1);
    s.queue.add(new Event(e.time() + s.increments[i], s.targets[i], e.target(), s.seq++,
        e.data() + 1, null));
    return e.time();
  }
}
