package io.mcksim.cli;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.phold.Phold;
import io.mcksim.config.PholdSettings;
import io.mcksim.config.Scenario;
import java.util.List;

/** Runs the PHOLD section of a scenario on one engine and measures it, memory included. */
final class PholdRun {

  private PholdRun() {}

  /** A result plus the heap it took. */
  record Measured(RunResult result, Phold.Params params, long bytesPerEntity) {

    /** Fills a report of kind phold. */
    void fill(Report report) {
      RunResult r = result;
      report.engine(r.engine(), r.threads()).run(r.model(), r);
      report.put("model", r.model()).put("entities", r.entities()).put("domains", r.domains())
          .put("population", params.population()).put("lookahead_ns", params.lookahead())
          .put("mean_delay_ns", params.meanDelay()).put("remote_fraction", params.remoteFraction())
          .put("windows", r.windows()).put("batches", r.subWindows()).put("virtual_end_ns", r.virtualEndNs())
          .put("bytes_per_entity", Math.max(0, bytesPerEntity));
    }

    /** Its figures, and the events per second of every run of its engine among {@code runs}, in order. */
    Json toJson(List<Measured> runs) {
      RunResult r = result;
      return new Json()
          .put("engine", r.engine())
          .put("threads", r.threads())
          .put("model", r.model())
          .put("seed", r.seed())
          .put("entities", r.entities())
          .put("domains", r.domains())
          .put("population", params.population())
          .put("lookaheadNs", params.lookahead())
          .put("meanDelayNs", params.meanDelay())
          .put("remoteFraction", params.remoteFraction())
          .put("events", r.events())
          .put("windows", r.windows())
          .put("batches", r.subWindows())
          .put("virtualEndNs", r.virtualEndNs())
          .put("wallSeconds", r.wallSeconds())
          .put("eventsPerSecond", r.eventsPerSecond())
          .put("eventsPerSecondByRound", runs.stream().filter(m -> m.result().engine().equals(r.engine()))
              .map(m -> m.result().eventsPerSecond()).toList())
          .put("bytesPerEntity", bytesPerEntity)
          .put("digest", r.digest());
    }
  }

  /** The fastest of {@code runs} on {@code engine} (the first of equals): the run least disturbed. */
  static Measured fastest(List<Measured> runs, String engine) {
    Measured best = null;
    for (Measured m : runs) {
      if (m.result().engine().equals(engine)
          && (best == null || m.result().eventsPerSecond() > best.result().eventsPerSecond())) {
        best = m;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("no run on the " + engine + " engine");
    }
    return best;
  }

  static Phold.Params params(Scenario scenario) {
    PholdSettings p = scenario.phold();
    return new Phold.Params(p.entities(), p.domains(), p.population(), p.lookaheadNs(),
        p.meanDelayNs(), p.remoteFraction(), scenario.run().seed());
  }

  static int threads(Scenario scenario, String engine) {
    if (engine.equals("sequential")) {
      return 1;
    }
    int t = scenario.run().threads();
    return t > 0 ? t : Runtime.getRuntime().availableProcessors();
  }

  static Measured run(Scenario scenario, String engineName) {
    return run(scenario, Engine.named(engineName), io.mcksim.actors.engine.Progress.NONE);
  }

  /**
   * Runs PHOLD on {@code engine}. Bytes per entity are measured where the entities live: in this JVM,
   * not on a run spread over worker JVMs (reported as 0 there).
   */
  static Measured run(Scenario scenario, Engine engine, io.mcksim.actors.engine.Progress progress) {
    Phold.Params params = params(scenario);
    boolean here = !engine.name().equals("cluster");
    long before = here ? usedHeap() : 0;
    long[] atEnd = new long[1];
    // measured at the end, while every entity's actor (spawned on its first event) still lives
    RunSpec spec = RunSpec.until(scenario.run().endTimeNs(), threads(scenario, engine.name()))
        .withWallClock(System::nanoTime)
        .withAtEnd(() -> atEnd[0] = here ? usedHeap() : 0)
        .withProgress(progress);
    RunResult result = engine.run(new Phold(params), spec);
    long bytes = Math.max(0, (atEnd[0] - before) / params.entities());
    return new Measured(result, params, bytes);
  }

  /** Heap in use after full collections: what lives, for bytes-per-entity figures. */
  static long usedHeap() {
    return usedHeap(3);
  }

  /**
   * Heap in use after {@code collections} full collections. One is enough for a big model's heap (a BSP
   * machine of millions of CPUs: the second and third find nothing more to free, and each costs seconds
   * per ten gigabytes); small measurements take three, so that what only a later collection frees (a
   * cleaner's, a weak reference's) does not count.
   */
  static long usedHeap(int collections) {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < collections; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
