package io.mcksim.cli;

import io.mcksim.config.ChaosSettings;
import io.mcksim.config.Scenario;
import io.mcksim.machine.chaos.ChaosCampaign;
import io.mcksim.machine.chaos.ChaosRun;
import io.mcksim.machine.chaos.SeedRange;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mcksim bench chaos}: seeds per hour of a chaos campaign, against a baseline measured in the same
 * run: the same scenario and seeds with every fault switched off (no scheduled fault, no site armed), so
 * the same nodes boot and run the same jobs on the same entities with every checker on, and the ratio
 * shows what the faults and their recoveries cost. Both campaigns run after a short warm-up of each,
 * which is not measured, then in {@value #ROUNDS} alternating rounds (baseline, chaos, baseline, ...); each
 * keeps its fastest round, so a JIT still compiling or a burst of load on the machine weighs on neither
 * side alone.
 */
final class ChaosBench {

  /** Seeds of each campaign run first to warm the JIT up, and not measured. */
  static final int WARM_UP_SEEDS = 20;

  /** Measured rounds of each campaign, alternating. */
  static final int ROUNDS = 3;

  private ChaosBench() {}

  /** What one measured campaign did. */
  record Measured(long seeds, double wallSeconds, long events, long faults, long minFaults, long violations,
      long firstViolation) {

    double seedsPerHour() {
      return seeds / wallSeconds * 3600;
    }

    double eventsPerSecond() {
      return events / wallSeconds;
    }

    Json json() {
      return new Json().put("seeds", seeds).put("wallSeconds", wallSeconds).put("seedsPerHour", seedsPerHour())
          .put("events", events).put("eventsPerSeed", events / Math.max(1, seeds))
          .put("eventsPerSecond", eventsPerSecond()).put("faultsPerSeed", (double) faults / Math.max(1, seeds))
          .put("minFaultsPerSeed", minFaults).put("violations", violations)
          .put("firstViolatingSeed", firstViolation < 0 ? null : firstViolation);
    }
  }

  /** The overrides that switch every fault of the chaos section off. */
  static List<String> faultsOff() {
    List<String> off = new ArrayList<>(List.of("chaos.faults=[]"));
    for (String kind : ChaosSettings.KINDS) {
      off.add("chaos.sites." + kind + ".enable=0");
    }
    return off;
  }

  /** The figures, and whether every seed of both campaigns held every invariant. */
  record Result(Json json, boolean clean) {}

  /** Runs the baseline and the chaos campaign over {@code seeds}, {@code threads} at a time. */
  static Result run(Scenario chaos, Scenario baseline, SeedRange seeds, int threads) {
    SeedRange warm = new SeedRange(seeds.first(), Math.min(seeds.last(), seeds.first() + WARM_UP_SEEDS - 1));
    measure(baseline, warm, threads);
    measure(chaos, warm, threads);
    Measured base = null;
    Measured faulty = null;
    for (int round = 0; round < ROUNDS; round++) {
      base = faster(base, measure(baseline, seeds, threads));
      faulty = faster(faulty, measure(chaos, seeds, threads));
    }
    return new Result(new Json().put("nodes", chaos.machine().nodes()).put("threads", threads)
        .put("rounds", ROUNDS)
        .put("firstSeed", seeds.first()).put("lastSeed", seeds.last())
        .put("chaos", faulty.json()).put("baselineFaultsOff", base.json())
        .put("ratioSeedsPerHour", faulty.seedsPerHour() / base.seedsPerHour())
        .put("ratioEventsPerSecond", faulty.eventsPerSecond() / base.eventsPerSecond()),
        faulty.violations() == 0 && base.violations() == 0);
  }

  private static Measured faster(Measured best, Measured next) {
    return best == null || next.wallSeconds() < best.wallSeconds() ? next : best;
  }

  private static Measured measure(Scenario s, SeedRange seeds, int threads) {
    long[] sums = new long[] {0, 0, 0, Long.MAX_VALUE, 0, -1}; // seeds, events, faults, min faults, bad, first bad
    long start = System.nanoTime();
    ChaosCampaign.run(s, seeds, threads, null, (ChaosRun.Row r) -> {
      sums[0]++;
      sums[1] += r.events();
      sums[2] += r.outcome().faultsFired();
      sums[3] = Math.min(sums[3], r.outcome().faultsFired());
      if (r.violation() != null) {
        sums[4]++;
        sums[5] = sums[5] < 0 ? r.seed() : sums[5];
      }
    });
    double wall = (System.nanoTime() - start) / 1e9;
    return new Measured(sums[0], wall, sums[1], sums[2], sums[3], sums[4], sums[5]);
  }
}
