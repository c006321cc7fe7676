package io.mcksim.machine.chaos;

import io.mcksim.config.Scenario;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * A chaos campaign: the seeds of a {@link SeedRange} of one scenario, each an independent run on its
 * own sequential engine, {@code threads} at a time in this JVM. Rows come back in seed order and do not
 * depend on the number of threads. The seeds are streamed: at most {@link #AHEAD} runs per thread are
 * submitted ahead of the row being handed over, whatever the range's size.
 */
public final class ChaosCampaign {

  /**
   * Runs submitted per thread ahead of the oldest unfinished one: enough that the threads never wait
   * for this one to hand rows over and submit more (on a loaded machine it may not run for a while),
   * few enough that their rows take little memory.
   */
  static final int AHEAD = 64;

  private ChaosCampaign() {}

  /**
   * Runs every seed of {@code seeds} and hands each row to {@code each}, in seed order.
   *
   * @param bug a planted bug (tests only), or null
   */
  public static void run(Scenario s, SeedRange seeds, int threads, ChaosMachine.PlantedBug bug,
      Consumer<ChaosRun.Row> each) {
    run(s, seeds, threads, bug, each, 0);
  }

  /** The same with each seed on the actor engine with {@code actorThreads} threads (0: the sequential engine). */
  public static void run(Scenario s, SeedRange seeds, int threads, ChaosMachine.PlantedBug bug,
      Consumer<ChaosRun.Row> each, int actorThreads) {
    inOrder(seeds, threads, seed -> ChaosRun.run(s, seed, bug, null, actorThreads), each);
  }

  /** The rows of seeds {@code first..last}, in seed order (for small campaigns: every row is kept). */
  public static List<ChaosRun.Row> run(Scenario s, long first, long last, int threads, ChaosMachine.PlantedBug bug) {
    List<ChaosRun.Row> rows = new ArrayList<>();
    run(s, new SeedRange(first, last), threads, bug, rows::add);
    return rows;
  }

  /** {@code run} of every seed, {@code threads} at a time, its results handed to {@code each} in seed order. */
  static <R> void inOrder(SeedRange seeds, int threads, LongFunction<R> run, Consumer<R> each) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      Deque<Future<R>> pending = new ArrayDeque<>();
      for (long seed = seeds.first(); seed >= 0; seed = seeds.next(seed)) {
        long one = seed;
        pending.add(pool.submit(() -> run.apply(one)));
        if (pending.size() >= AHEAD * threads) {
          each.accept(pending.poll().get());
        }
      }
      while (!pending.isEmpty()) {
        each.accept(pending.poll().get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
