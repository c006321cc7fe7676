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

  /** What one measured campaign did; {@code digest} folds its seeds' event-log digests in seed order. */
  record Measured(long seeds, double wallSeconds, long events, long faults, long minFaults, long violations,
      long firstViolation, String digest) {

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

    /** Its row of the report's table, and its run. */
    void fill(Report report, String campaign, SeedRange range) {
      report.run(campaign + ", seeds " + range.first() + ".." + range.last(), events, digest, wallSeconds);
      report.row("bench_chaos_campaigns", campaign, seeds, wallSeconds, seedsPerHour(), events,
          events / Math.max(1, seeds), eventsPerSecond(), (double) faults / Math.max(1, seeds), minFaults, violations,
          firstViolation < 0 ? null : firstViolation, digest);
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

  /** The two campaigns' fastest rounds, over the same seeds. */
  record Result(int nodes, int threads, SeedRange seeds, Measured chaos, Measured baseline) {

    /** Whether every seed of both campaigns held every invariant. */
    boolean clean() {
      return chaos.violations() == 0 && baseline.violations() == 0;
    }

    Json json() {
      return new Json().put("nodes", nodes).put("threads", threads).put("rounds", ROUNDS)
          .put("firstSeed", seeds.first()).put("lastSeed", seeds.last())
          .put("chaos", chaos.json()).put("baselineFaultsOff", baseline.json())
          .put("ratioSeedsPerHour", chaos.seedsPerHour() / baseline.seedsPerHour())
          .put("ratioEventsPerSecond", chaos.eventsPerSecond() / baseline.eventsPerSecond());
    }

    /** Fills a report of kind bench_chaos: the summary, the two campaigns and a chart of each figure. */
    void fill(Report report) {
      report.engine("sequential", threads).seed(seeds.first());
      report.put("nodes", nodes).put("threads", threads).put("first_seed", seeds.first())
          .put("last_seed", seeds.last()).put("warm_up_seeds", warm(seeds).last() - seeds.first() + 1)
          .put("rounds", ROUNDS)
          .put("baseline_overrides", String.join(", ", faultsOff()))
          .put("ratio_seeds_per_hour", chaos.seedsPerHour() / baseline.seedsPerHour())
          .put("ratio_events_per_s", chaos.eventsPerSecond() / baseline.eventsPerSecond());
      baseline.fill(report, BASELINE, seeds);
      chaos.fill(report, "chaos", seeds);
      List<String> campaigns = List.of(BASELINE, "chaos");
      report.chart(ReportChart.bars("chart-bench-chaos-seeds", "Seeds per hour: the campaign against its baseline",
              campaigns, "campaign (each its fastest of " + ROUNDS + " rounds)", "seeds per hour")
          .bars("seeds per hour", null, List.of(baseline.seedsPerHour(), chaos.seedsPerHour()))
          .note(String.format(java.util.Locale.ROOT, "Ratio %.2f: the campaign's seeds per hour over the baseline's, "
              + "the same seeds with every fault off, measured in the same run.",
              chaos.seedsPerHour() / baseline.seedsPerHour())));
      report.chart(ReportChart.bars("chart-bench-chaos-events", "Events per second: the campaign against its "
              + "baseline", campaigns, "campaign (each its fastest of " + ROUNDS + " rounds)", "events per second")
          .bars("events per second", null, List.of(baseline.eventsPerSecond(), chaos.eventsPerSecond()))
          .note(String.format(java.util.Locale.ROOT, "Ratio %.2f; %,d events per seed with faults, %,d without.",
              chaos.eventsPerSecond() / baseline.eventsPerSecond(), chaos.events() / Math.max(1, chaos.seeds()),
              baseline.events() / Math.max(1, baseline.seeds()))));
    }
  }

  /** The baseline's name in the report. */
  static final String BASELINE = "baseline (faults off)";

  /** Runs the baseline and the chaos campaign over {@code seeds}, {@code threads} at a time. */
  static Result run(Scenario chaos, Scenario baseline, SeedRange seeds, int threads) {
    SeedRange warm = warm(seeds);
    measure(baseline, warm, threads);
    measure(chaos, warm, threads);
    Measured base = null;
    Measured faulty = null;
    for (int round = 0; round < ROUNDS; round++) {
      base = faster(base, measure(baseline, seeds, threads));
      faulty = faster(faulty, measure(chaos, seeds, threads));
    }
    return new Result(chaos.machine().nodes(), threads, seeds, faulty, base);
  }

  /** The seeds of the warm-up: the first {@value #WARM_UP_SEEDS} of {@code seeds}. */
  private static SeedRange warm(SeedRange seeds) {
    return new SeedRange(seeds.first(), Math.min(seeds.last(), seeds.first() + WARM_UP_SEEDS - 1));
  }

  private static Measured faster(Measured best, Measured next) {
    return best == null || next.wallSeconds() < best.wallSeconds() ? next : best;
  }

  private static Measured measure(Scenario s, SeedRange seeds, int threads) {
    long[] sums = new long[] {0, 0, 0, Long.MAX_VALUE, 0, -1}; // seeds, events, faults, min faults, bad, first bad
    DigestFold digests = new DigestFold();
    long start = System.nanoTime();
    ChaosCampaign.run(s, seeds, threads, null, (ChaosRun.Row r) -> {
      digests.add(r.digest());
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
    return new Measured(sums[0], wall, sums[1], sums[2], sums[3], sums[4], sums[5], digests.digest());
  }
}
