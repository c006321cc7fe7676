package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mcksim chaos}: a campaign's table and report, a replay's event log and digest, and bad input. */
class ChaosCliTest {

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void aCampaignPrintsItsTableAndWritesItsReportAndAReplayGivesTheSeedsDigestAndEventLog(@TempDir Path dir)
      throws IOException {
    CliRun c = run("chaos", "../examples/chaos.conf", "--seeds", "1..12", "--threads", "2", "--out",
        dir.resolve("campaign").toString());
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).contains("seeds: 12 run, 12 ok, 0 with a violation", "failed seeds: none", "lwk-panic 12",
        "proxy-death 12", "service-crash");
    List<String> csv = Files.readAllLines(dir.resolve("campaign").resolve("seeds.csv"));
    assertThat(csv).hasSize(13);
    assertThat(csv.get(0)).isEqualTo("seed,faults,recoveries,reboots,relaunches,jobs,verdict,violation_time_ns,events,"
        + "digest");
    String seven = csv.get(7);
    String digest = seven.substring(seven.lastIndexOf(',') + 1);
    assertThat(Files.readString(dir.resolve("campaign").resolve("report.json"))).contains("\"violations\": 0");
    assertThat(Files.readAllLines(dir.resolve("campaign").resolve("faults-by-kind.csv")))
        .contains("lwk-panic,12,12", "proxy-death,12,12");
    assertThat(Files.readAllLines(dir.resolve("campaign").resolve("failed-seeds.csv"))).hasSize(1);

    CliRun r = run("chaos", "../examples/chaos.conf", "--replay", "7", "--out", dir.resolve("replay").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("every invariant held", "digest: " + digest);
    List<String> log = Files.readAllLines(dir.resolve("replay").resolve("events-7.log"));
    assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "(%,d events)", log.size()));
    assertThat(log.get(0)).contains("node 0");
    assertThat(log).anyMatch(l -> l.contains("StatusChanged[os=0, status=PANIC")).anyMatch(l -> l.contains("Exited[pid=1000, status=137]"));
    // the per-node timeline: the scheduled faults, the panic it caused, the recovery, the job's end
    List<String> timeline = Files.readAllLines(dir.resolve("replay").resolve("timeline.csv"));
    assertThat(timeline.get(0)).isEqualTo("time_ns,node,category,what");
    assertThat(timeline).anyMatch(l -> l.contains(",fault,lwk-panic on CPU")).anyMatch(l -> l.contains(",state,os 0 PANIC"))
        .anyMatch(l -> l.contains(",recovery,")).anyMatch(l -> l.contains(",job,the job's process 1000 exits with status 137"));

    // a replay never writes over its campaign's report, even when told to
    byte[] csvBytes = Files.readAllBytes(dir.resolve("campaign").resolve("seeds.csv"));
    byte[] jsonBytes = Files.readAllBytes(dir.resolve("campaign").resolve("report.json"));
    CliRun over = run("chaos", "../examples/chaos.conf", "--replay", "7", "--out", dir.resolve("campaign").toString());
    assertThat(over.code()).isEqualTo(2);
    assertThat(over.err()).contains("another command (chaos campaign)");
    assertThat(Files.readAllBytes(dir.resolve("campaign").resolve("seeds.csv"))).isEqualTo(csvBytes);
    assertThat(Files.readAllBytes(dir.resolve("campaign").resolve("report.json"))).isEqualTo(jsonBytes);
    try (var files = Files.list(dir.resolve("campaign"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("report.json", "report.html", "seeds.csv", "failed-seeds.csv",
              "faults-by-kind.csv", "job-outcomes.csv", OutputFolder.MARKER);
    }
  }

  @Test
  void aCampaignOnTheActorEngineWritesTheSameRowsAsOnTheSequentialEngine(@TempDir Path dir) throws IOException {
    CliRun seq = run("chaos", "../examples/chaos.conf", "--seeds", "1..3", "--out", dir.resolve("seq").toString());
    assertThat(seq.code()).as(seq.err()).isZero();
    for (String threads : List.of("1", "2")) {
      CliRun act = run("chaos", "../examples/chaos.conf", "--seeds", "1..3", "--actors", threads, "--out",
          dir.resolve("actors" + threads).toString());
      assertThat(act.code()).as(act.err()).isZero();
      assertThat(act.out()).contains("on the actor engine with " + threads + " thread");
      assertThat(Files.readAllLines(dir.resolve("actors" + threads).resolve("seeds.csv")))
          .isEqualTo(Files.readAllLines(dir.resolve("seq").resolve("seeds.csv")));
    }
    CliRun replay = run("chaos", "../examples/chaos.conf", "--replay", "1", "--actors", "2", "--out",
        dir.resolve("replay").toString());
    assertThat(replay.code()).isEqualTo(2);
    assertThat(replay.err()).contains("--actors 2 with --replay");
  }

  /**
   * {@code bench chaos}: the benchmark's scenario campaign with its faults, and the same seeds with every
   * fault off as the baseline, both measured, with their ratio (the figures themselves are not asserted).
   */
  @Test
  void benchChaosMeasuresTheCampaignAgainstTheSameSeedsWithFaultsOff(@TempDir Path dir) throws IOException {
    CliRun b = run("bench", "chaos", "../examples/chaos-bench.conf", "--seeds", "1..3", "--threads", "1",
        "--out", dir.resolve("bench").toString());
    assertThat(b.code()).as(b.err()).isZero();
    String json = b.out().strip();
    assertThat(json).contains("\"nodes\": 4", "\"seedsPerHour\": ", "\"eventsPerSecond\": ",
        "\"rounds\": 3", "\"ratioSeedsPerHour\": ", "\"ratioEventsPerSecond\": ",
        "\"baselineFaultsOff\": {\"seeds\": 3",
        "\"faultsPerSeed\": 0,", "\"violations\": 0");
    // the report holds the same figures: the baseline's row first, then the campaign's
    assertThat(Files.readString(dir.resolve("bench").resolve("bench-chaos-campaigns.csv")))
        .startsWith("campaign,seeds,wall_s,seeds_per_hour,").contains("\nbaseline (faults off),3,", "\nchaos,3,");
    // at least three faults in every run of the campaign: the scenario's four scheduled ones
    String chaos = json.substring(json.indexOf("\"chaos\""), json.indexOf("\"baselineFaultsOff\""));
    int min = Integer.parseInt(chaos.replaceAll("(?s).*\"minFaultsPerSeed\": (\\d+).*", "$1"));
    assertThat(min).isGreaterThanOrEqualTo(3);
  }

  @Test
  void badSeedsAJobThatDoesNotFitOrAMisspelledFaultAreRefusedAndNothingIsWritten(@TempDir Path dir) {
    Path out = dir.resolve("r");
    CliRun seeds = run("chaos", "../examples/chaos.conf", "--seeds", "9..2", "--out", out.toString());
    assertThat(seeds.code()).isEqualTo(2);
    assertThat(seeds.err()).contains("--seeds '9..2': the range is reversed; write the smaller seed first");
    CliRun fit = run("chaos", "../examples/chaos.conf", "--set", "chaos.job.threads=9", "--out", out.toString());
    assertThat(fit.code()).isEqualTo(2);
    assertThat(fit.err()).contains("chaos.job.threads = 9, but partition.instances[0] has 8 CPUs");
    CliRun kind = run("chaos", "../examples/chaos.conf", "--set",
        "chaos.faults=[{at=1ms, kind=lwk-pani, target=\"node=0\", duration=0}]", "--out", out.toString());
    assertThat(kind.code()).isEqualTo(2);
    assertThat(kind.err()).contains("chaos.faults[0].kind: 'lwk-pani' is not one of");
    assertThat(out).doesNotExist();
  }
}
