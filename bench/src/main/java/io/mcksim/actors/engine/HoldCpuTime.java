package io.mcksim.actors.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The hold model of {@link EventQueueBenchmark} on {@link EventQueue} and {@link EventHeap} in one
 * JVM, timed in the thread's CPU time and alternating between the two queues round by round: a
 * comparison that stays fair on a machine shared with other work, where JMH's wall-clock times of two
 * forks run minutes apart are not comparable. Both queues get the same events and must pop the same
 * times (checked).
 *
 * <p>Usage: {@code HoldCpuTime n exponential|bimodal|ties [operations per round] [rounds]}; prints
 * the best round of each (the first is warm-up) in CPU nanoseconds per hold step and their ratio.
 */
public final class HoldCpuTime {

  private HoldCpuTime() {
  }

  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    String dist = args[1];
    long ops = args.length > 2 ? Long.parseLong(args[2]) : 2_000_000;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    EventQueueBenchmark.QueueState q = new EventQueueBenchmark.QueueState();
    q.n = n;
    q.dist = dist;
    q.setUp();
    EventQueueBenchmark.HeapState h = new EventQueueBenchmark.HeapState();
    h.n = n;
    h.dist = dist;
    h.setUp();
    EventQueueBenchmark bench = new EventQueueBenchmark();
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    double bestQueue = Double.MAX_VALUE;
    double bestHeap = Double.MAX_VALUE;
    for (int round = 0; round < rounds; round++) {
      long sum = 0;
      long c0 = cpu.getCurrentThreadCpuTime();
      for (long k = 0; k < ops; k++) {
        sum += bench.eventHeap(h);
      }
      long c1 = cpu.getCurrentThreadCpuTime();
      for (long k = 0; k < ops; k++) {
        sum -= bench.eventQueue(q);
      }
      long c2 = cpu.getCurrentThreadCpuTime();
      if (sum != 0) {
        throw new AssertionError("the queues popped different times");
      }
      if (round > 0 || rounds == 1) {
        bestHeap = Math.min(bestHeap, (c1 - c0) / (double) ops);
        bestQueue = Math.min(bestQueue, (c2 - c1) / (double) ops);
      }
    }
    System.out.printf(Locale.ROOT,
        "hold n=%d %s: EventQueue %.1f, EventHeap %.1f CPU ns per step; ratio %.2fx%n", n, dist,
        bestQueue, bestHeap, bestHeap / bestQueue);
  }
}
