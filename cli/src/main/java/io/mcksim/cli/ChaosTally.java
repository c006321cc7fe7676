package io.mcksim.cli;

import io.mcksim.machine.chaos.ChaosRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What a chaos campaign reports, gathered row by row as its seeds finish, so that no seed's full
 * result is kept: {@code chaos.csv} (one line per seed, kept as text), the totals, the console's rows
 * and the first {@value #FAILURES_LISTED} failures in full for {@code chaos.json}.
 */
final class ChaosTally implements Consumer<ChaosRun.Row> {

  /** The failures {@code chaos.json} lists in full; the CSV has every one. */
  static final int FAILURES_LISTED = 1_000;
  /** The console shows every row of a campaign up to this many seeds, otherwise this many failing ones. */
  static final int CONSOLE_ROWS = 20;

  static final String[] CSV_HEAD = {"seed", "faults", "recoveries", "jobs", "verdict", "violation_time_ns",
      "digest"};
  /** The console's columns: the CSV's without the violation time, digests cut short. */
  static final String[] CONSOLE_HEAD = {"seed", "faults", "recoveries", "jobs", "verdict", "digest"};

  private final Csv csv = new Csv(CSV_HEAD);
  private long seeds;
  private long violations;
  private long faults;
  private long recoveries;
  private final Map<String, Long> byKind = new TreeMap<>();
  private final Map<String, Long> jobs = new TreeMap<>();
  private final List<ChaosRun.Row> failed = new ArrayList<>();
  private final List<String[]> firstRows = new ArrayList<>();
  private final List<String[]> failingRows = new ArrayList<>();

  @Override
  public void accept(ChaosRun.Row r) {
    seeds++;
    faults += r.outcome().faultsFired();
    recoveries += r.outcome().recoveries();
    r.outcome().faultsByKind().forEach((kind, n) -> byKind.merge(kind, n, Long::sum));
    r.outcome().jobs().forEach(j -> jobs.merge(j, 1L, Long::sum));
    String[] c = columns(r);
    csv.row((Object[]) c);
    String[] shown = {c[0], c[1], c[2], c[3], c[4], c[6].substring(0, 16)};
    if (firstRows.size() < CONSOLE_ROWS) {
      firstRows.add(shown);
    }
    if (r.violation() != null) {
      violations++;
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

  String csv() {
    return csv.text();
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

  /** chaos.json: the totals and the listed failures' details. */
  Json json(double wallSeconds) {
    StringBuilder list = new StringBuilder("[");
    for (ChaosRun.Row r : failed) {
      list.append(list.length() > 1 ? ",\n  " : "").append(new Json().put("seed", r.seed())
          .put("invariant", r.violation().invariant()).put("time_ns", r.violation().timeNs())
          .put("detail", r.violation().detail()).put("digest", r.digest()));
    }
    return new Json().put("seeds", seeds).put("ok", seeds - violations).put("violations", violations)
        .put("faults_fired", faults).put("recoveries", recoveries).put("wall_s", wallSeconds)
        .put("seeds_per_hour", seeds / wallSeconds * 3600).put("failed", new SyscallsRun.RawJson(list + "]"));
  }
}
