package io.mcksim.mckernel.chaos;

import io.mcksim.config.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A chaos campaign: seeds {@code first..last} of one scenario, each an independent run on its own
 * sequential engine, {@code threads} at a time in this JVM. Rows come back in seed order and do not
 * depend on the number of threads.
 */
public final class ChaosCampaign {

  private ChaosCampaign() {}

  /** @param bug a planted bug (tests only), or null */
  public static List<ChaosRun.Row> run(Scenario s, long first, long last, int threads, ChaosMachine.PlantedBug bug) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<ChaosRun.Row>> futures = new ArrayList<>();
      for (long seed = first; seed <= last; seed++) {
        long one = seed;
        futures.add(pool.submit(() -> ChaosRun.run(s, one, bug, null)));
      }
      List<ChaosRun.Row> rows = new ArrayList<>();
      for (Future<ChaosRun.Row> f : futures) {
        rows.add(f.get());
      }
      return rows;
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
