package io.mcksim.cli;

import io.mcksim.machine.chaos.ChaosRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What a chaos campaign reports, gathered row by row as its seeds finish, so that no seed's full
 * result is kept: the report's tables ({@code seeds.csv}, one line per seed; {@code failed-seeds.csv},
 * every failure with the command that replays it), the totals, the faults by kind, the console's rows
 * and the first {@value #FAILURES_LISTED} failures in full.
 */
final class ChaosTally implements Consumer<ChaosRun.Row> {

  /** The failures kept in full for the console; the report's tables have every one. */
  static final int FAILURES_LISTED = 1_000;
  /** The console shows every row of a campaign up to this many seeds, otherwise this many failing ones. */
  static final int CONSOLE_ROWS = 20;

  static final String[] CSV_HEAD = {"seed", "faults", "recoveries", "jobs", "verdict", "violation_time_ns",
      "digest"};
  /** The console's columns: the CSV's without the violation time, digests cut short. */
  static final String[] CONSOLE_HEAD = {"seed", "faults", "recoveries", "jobs", "verdict", "digest"};

  private final Report report;
  private final java.util.function.LongFunction<String> replay;
  private final Map<String, Long> seedsByKind = new TreeMap<>();
  private final Map<String, Long> verdicts = new TreeMap<>();
  private final DigestFold digests = new DigestFold();
  private long events;
  private long seeds;
  private long violations;
  private long modelErrors;
  private long faults;
  private long recoveries;
  private final Map<String, Long> byKind = new TreeMap<>();
  private final Map<String, Long> jobs = new TreeMap<>();
  private final List<ChaosRun.Row> failed = new ArrayList<>();
  private final List<String[]> firstRows = new ArrayList<>();
  private final List<String[]> failingRows = new ArrayList<>();

  /**
   * @param report the campaign's report, whose tables this fills
   * @param replay the command that replays a seed
   */
  ChaosTally(Report report, java.util.function.LongFunction<String> replay) {
    this.report = report;
    this.replay = replay;
  }

  @Override
  public void accept(ChaosRun.Row r) {
    seeds++;
    faults += r.outcome().faultsFired();
    recoveries += r.outcome().recoveries();
    r.outcome().faultsByKind().forEach((kind, n) -> {
      byKind.merge(kind, n, Long::sum);
      seedsByKind.merge(kind, n > 0 ? 1L : 0L, Long::sum);
    });
    r.outcome().jobs().forEach(j -> jobs.merge(j, 1L, Long::sum));
    verdicts.merge(r.verdict(), 1L, Long::sum);
    events += r.events();
    // the seeds' digests, in seed order, make the campaign's
    digests.add(r.digest());
    String[] c = columns(r);
    report.row("seeds", r.seed(), r.outcome().faultsFired(), r.outcome().recoveries(), r.outcome().reboots(),
        r.outcome().relaunches(), r.outcome().jobSummary(), r.verdict(),
        r.violation() == null ? null : r.violation().timeNs(), r.events(), r.digest());
    String[] shown = {c[0], c[1], c[2], c[3], c[4], c[6].substring(0, 16)};
    if (firstRows.size() < CONSOLE_ROWS) {
      firstRows.add(shown);
    }
    if (r.violation() != null) {
      violations++;
      modelErrors += r.modelError() ? 1 : 0;
      report.row("failed_seeds", r.seed(), r.violation().invariant(), r.violation().timeNs(),
          r.violation().detail(), replay.apply(r.seed()));
      if (failingRows.size() < CONSOLE_ROWS) {
        failingRows.add(shown);
      }
      if (failed.size() < FAILURES_LISTED) {
        failed.add(r);
      }
    }
  }

  /** One seed's row: seed, faults, recoveries, jobs, verdict, violation time, digest. */
  private static String[] columns(ChaosRun.Row r) {
    return new String[] {Long.toString(r.seed()), Long.toString(r.outcome().faultsFired()),
        Long.toString(r.outcome().recoveries()), r.outcome().jobSummary(), r.verdict(),
        r.violation() == null ? "" : Long.toString(r.violation().timeNs()), r.digest()};
  }

  long seeds() {
    return seeds;
  }

  long violations() {
    return violations;
  }

  /** Seeds whose run an exception of the model stopped (counted in {@link #violations} too). */
  long modelErrors() {
    return modelErrors;
  }

  long faults() {
    return faults;
  }

  long recoveries() {
    return recoveries;
  }

  /** The first failures, in seed order (at most {@link #FAILURES_LISTED}). */
  List<ChaosRun.Row> failed() {
    return failed;
  }

  /** The console's table rows: every row of a small campaign, else the first failing ones. */
  List<String[]> shown() {
    return seeds <= CONSOLE_ROWS ? firstRows : failingRows;
  }

  /** "lwk-panic 3, ikc-drop 2" of the kinds that fired, or "none". */
  String kinds() {
    StringBuilder sb = new StringBuilder();
    byKind.forEach((kind, n) -> {
      if (n > 0) {
        sb.append(sb.length() == 0 ? "" : ", ").append(kind).append(' ').append(n);
      }
    });
    return sb.length() == 0 ? "none" : sb.toString();
  }

  /** "done 40, restarted-done 2": the nodes' job outcomes. */
  String jobs() {
    StringBuilder sb = new StringBuilder();
    jobs.forEach((j, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(j).append(' ').append(n));
    return sb.toString();
  }

  /** Fills the report's summary and its tables of totals, once every seed is in. */
  void finish(double wallSeconds, long firstSeed, long lastSeed) {
    report.run("seeds " + firstSeed + ".." + lastSeed, events, digests.digest(), wallSeconds);
    report.put("first_seed", firstSeed).put("last_seed", lastSeed).put("seeds", seeds)
        .put("ok", seeds - violations).put("violations", violations).put("model_errors", modelErrors)
        .put("faults_fired", faults)
        .put("recoveries", recoveries).put("seeds_per_hour", wallSeconds > 0 ? seeds / wallSeconds * 3600 : 0.0)
        .put("replay_command", failed.isEmpty() ? null : replay.apply(failed.get(0).seed()));
    byKind.forEach((kind, n) -> report.row("faults_by_kind", kind, n, seedsByKind.getOrDefault(kind, 0L)));
    jobs.forEach((j, n) -> report.row("job_outcomes", j, n));
    List<String> kinds = new ArrayList<>(byKind.keySet());
    report.chart(ReportChart.bars("chart-chaos-faults", "Faults that struck, by kind, over " + seeds + " seed"
            + (seeds == 1 ? "" : "s"), kinds, "fault kind", "faults (count)")
        .bars("faults", null, kinds.stream().map(byKind::get).toList())
        .bars("seeds struck", null, kinds.stream().map(k -> seedsByKind.getOrDefault(k, 0L)).toList()));
    List<String> outcomes = new ArrayList<>(verdicts.keySet());
    report.chart(ReportChart.bars("chart-chaos-outcomes",
            "Seeds by verdict (ok, the invariant that failed, or model-error)", outcomes, "verdict", "seeds (count)")
        .bars("seeds", null, outcomes.stream().map(verdicts::get).toList())
        .note("Every seed's verdict is in seeds.csv; every failed seed, with its replay command, in failed-seeds.csv."));
  }
}
