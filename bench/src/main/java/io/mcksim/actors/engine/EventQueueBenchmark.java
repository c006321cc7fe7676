package io.mcksim.actors.engine;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hold model on the engines' {@link EventQueue}, on the 4-ary {@link EventHeap} it replaced, and
 * on a {@link java.util.PriorityQueue} of event records, all ordered by the same total order (time,
 * target, source, sequence number).
 *
 * <p>A queue is pre-filled with {@code n} events; each operation pops the earliest event and pushes
 * one new event at the popped time plus an increment, so the queue size stays {@code n}. Increments
 * follow {@code dist}:
 * <ul>
 *   <li>{@code exponential}: mean 1 µs, in whole nanoseconds (PHOLD's pattern);</li>
 *   <li>{@code bimodal}: 90% with mean 100 ns, 10% with mean 100 µs (short local hops beside long
 *       compute phases, as on a node);</li>
 *   <li>{@code ties}: 1 + an exponential of mean 1, in whole microseconds, so that hundreds to
 *       millions of events share each instant and the order among them is decided by (target,
 *       source, sequence number), as at the barriers of a BSP run.</li>
 * </ul>
 * All queues draw the same increments and targets from tables filled by a seeded
 * {@link SplittableRandom}, and since sequence numbers are unique they pop exactly the same events:
 * only the queue differs. The tables keep the cost of the random draws out of the measurement.
 *
 * <p>Lives in the engine's package because the queues are package-private.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(jvmArgsAppend = "-Xmx3g")
public class EventQueueBenchmark {

  /** Targets and sources are entity ids in {@code [0, ENTITIES)}. */
  private static final int ENTITIES = 4096;
  /** Size of the tables of pre-drawn increments and targets; a power of two. */
  private static final int TABLE = 1 << 16;
  private static final long SEED = 0x6d636b73696dL;

  /**
   * A queue of {@code n} events under {@code dist}, with pre-drawn increments and targets shared by all
   * queues so that they see the same events; each kind of queue says how to make it and add to it.
   */
  @State(Scope.Thread)
  public abstract static class Draws {
    @Param({"1000", "100000", "5000000"})
    public int n;
    @Param({"exponential", "bimodal", "ties"})
    public String dist;

    final long[] increments = new long[TABLE];
    final int[] targets = new int[TABLE];
    int next;
    long seq;

    /** Makes the empty queue, for {@code n} events. */
    abstract void create(int n);

    /** Adds one event to the queue. */
    abstract void add(long time, int target, int source, long seq);

    @Setup
    public void setUp() {
      SplittableRandom random = new SplittableRandom(SEED);
      create(n);
      for (int i = 0; i < n; i++) {
        add(increment(random), random.nextInt(ENTITIES), random.nextInt(ENTITIES), seq++);
      }
      for (int i = 0; i < TABLE; i++) {
        increments[i] = increment(random);
        targets[i] = random.nextInt(ENTITIES);
      }
    }

    long increment(SplittableRandom random) {
      return switch (dist) {
        case "exponential" -> exponential(random, 1000.0);
        case "bimodal" -> random.nextInt(10) == 0 ? exponential(random, 100_000.0)
            : exponential(random, 100.0);
        case "ties" -> 1000 * (1 + exponential(random, 1.0));
        default -> throw new IllegalArgumentException("no distribution " + dist);
      };
    }

    static long exponential(SplittableRandom random, double mean) {
      return (long) (-mean * Math.log(1.0 - random.nextDouble()));
    }
  }

  /** The engines' queue. */
  public static class QueueState extends Draws {
    EventQueue queue;

    @Override
    void create(int n) {
      queue = new EventQueue();
    }

    @Override
    void add(long time, int target, int source, long seq) {
      queue.push(time, target, source, seq, 0L, null);
    }
  }

  /** The 4-ary heap the engines used before. */
  public static class HeapState extends Draws {
    EventHeap heap;

    @Override
    void create(int n) {
      heap = new EventHeap(n);
    }

    @Override
    void add(long time, int target, int source, long seq) {
      heap.push(time, target, source, seq, 0L, null);
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

  /** The baseline: {@link PriorityQueue} of {@link Event} records. */
  public static class PriorityQueueState extends Draws {
    PriorityQueue<Event> queue;

    @Override
    void create(int n) {
      queue = new PriorityQueue<>(n);
    }

    @Override
    void add(long time, int target, int source, long seq) {
      queue.add(new Event(time, target, source, seq, 0L, null));
    }
  }

  /** One hold step on the engines' queue; returns the popped time. */
  @Benchmark
  public long eventQueue(QueueState s) {
    EventQueue queue = s.queue;
    queue.pop();
    int i = s.next++ & (TABLE - 1);
    long time = queue.topTime;
    queue.push(time + s.increments[i], s.targets[i], queue.topTarget, s.seq++, queue.topData + 1,
        null);
    return time;
  }

  /** One hold step on the 4-ary heap; returns the popped time. */
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
  public long priorityQueue(PriorityQueueState s) {
    Event e = s.queue.poll();
    int i = s.next++ & (TABLE - 1);
    s.queue.add(new Event(e.time() + s.increments[i], s.targets[i], e.target(), s.seq++,
        e.data() + 1, null));
    return e.time();
  }
}
