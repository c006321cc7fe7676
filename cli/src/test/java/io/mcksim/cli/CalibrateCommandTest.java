package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mcksim.config.NoiseSettings;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.workloads.strace.StraceCall;
import io.mcksim.workloads.strace.StraceParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcksim calibrate} round trips: FWQ samples mcksim made from a known noise profile fitted back to
 * that profile, and a real {@code strace -T} trace whose fitted service times replay its durations.
 */
class CalibrateCommandTest {

  @TempDir
  Path dir;

  /** A node of 4 Linux cores and one McKernel core, FWQ with a 20 us quantum under profile {@code known}. */
  private static final String KNOWN = """
      workload.type = fwq
      workload.fwq { quantum = 20us, iterations = 50000, noise = known }
      machine { cpus = 5, numa = [ { cpus = "0-4", memory = 16G, linux-used = 1G } ] }
      partition.instances = [ { cpus = "4", memory = "4G@0", ikc-map = "" } ]
      noise.profiles.known {
        tick = [ { frequency = 1000, duration = 2us, cpus = all } ]
        daemons = [ { gap = "exponential(5ms)", duration = "uniform(10us, 40us)", cpus = all } ]
      }
      """;

  @Test
  void fwqSamplesOfAKnownProfileFitBackToIt() throws IOException {
    Path scenario = dir.resolve("known.conf");
    Files.writeString(scenario, KNOWN);
    Scenario s = new ScenarioLoader().load(scenario, List.of());
    // every sample, as run --raw-samples writes them
    Path samples = dir.resolve("fwq-samples.csv");
    FwqRun.run(s, "sequential", 1, samples);

    CliRun run = CliRun.of("calibrate", "--fwq", samples.toString(), "--name", "fitted");

    assertThat(run.code()).as(run.err()).isZero();
    // the fragment is a scenario: include it, and run FWQ under the fitted profile
    Path fitted = dir.resolve("fitted.conf");
    Files.writeString(fitted, run.out());
    Path user = dir.resolve("user.conf");
    Files.writeString(user, "include \"fitted.conf\"\nworkload.type = fwq\nworkload.fwq.noise = fitted\n");
    NoiseSettings.Profile p = new ScenarioLoader().load(user, List.of()).noise().profiles().get("fitted");
    // 4 cores x 1 s: 4,000 tick hits, about 800 daemon interruptions (one mean gap's estimate is within
    // 3.5% at one standard deviation: 10% is three); the tick is exact to the Hz and the ns
    assertThat(p.ticks()).singleElement().satisfies(t -> {
      assertThat(t.frequency()).isEqualTo(1000);
      assertThat(t.duration()).isEqualTo(2_000);
      assertThat(t.phase()).isEqualTo(NoiseSettings.Phase.NODE);
    });
    assertThat(p.daemons()).singleElement().satisfies(d -> {
      assertThat(d.gap().kind()).isEqualTo("exponential");
      assertThat((double) d.gap().a()).isCloseTo(5_000_000, within(500_000.0));
      assertThat(d.duration().kind()).isEqualTo("uniform");
      assertThat((double) d.duration().a()).isCloseTo(10_000, within(500.0));
      assertThat((double) d.duration().b()).isCloseTo(40_000, within(2_000.0));
    });
    assertThat(run.out()).contains("os.linux-noise = fitted", "KS distance", "RMS residual");
  }

  @Test
  void eachLineOfTheFragmentIsASetArgument() throws IOException {
    Path samples = dir.resolve("s.txt");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      sb.append(i % 50 == 7 ? 25_000 : 20_000).append('\n');
    }
    Files.writeString(samples, sb.toString());

    CliRun run = CliRun.of("calibrate", "--fwq", samples.toString());

    assertThat(run.code()).as(run.err()).isZero();
    List<String> sets = run.out().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    Scenario s = new ScenarioLoader().load(null, sets);
    assertThat(s.os().linuxNoise()).isEqualTo("calibrated");
    assertThat(s.noise().profiles().get("calibrated").ticks()).singleElement()
        .satisfies(t -> assertThat(t.frequency()).isEqualTo(Math.round(1e9 / (50 * 20_000 + 5_000))));
  }

  @Test
  void aCommittedRealTraceGivesServiceTimesThatReplayItsDurations() throws IOException {
    Path trace = dir.resolve("ls-usr.strace");
    try (InputStream in = CalibrateCommandTest.class.getResourceAsStream("/calibrate/ls-usr.strace")) {
      Files.copy(in, trace);
    }
    replaysItsDurations(trace);
  }

  @Test
  void aTraceRecordedHereGivesServiceTimesThatReplayItsDurations() throws IOException, InterruptedException {
    Path trace = dir.resolve("recorded.strace");
    Process p;
    try {
      p = new ProcessBuilder("strace", "-f", "-ttt", "-T", "-o", trace.toString(), "ls", "-l", "/")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      Assumptions.abort("strace is not installed (apt-get install strace); the committed trace's test still runs: "
          + e.getMessage());
      return;
    }
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).isZero();
    replaysItsDurations(trace);
  }

  /**
   * Fits {@code trace}'s service times, replays the trace natively on Linux (no noise) with them, and
   * checks that each call name's calls take in all what they took in the trace: the recorded durations
   * (strace prints microseconds), to within half a ns per call (each service time rounded to the ns).
   */
  private void replaysItsDurations(Path trace) throws IOException {
    CliRun run = CliRun.of("calibrate", "--strace", trace.toString());
    assertThat(run.code()).as(run.err()).isZero();
    Path fitted = dir.resolve("services.conf");
    Files.writeString(fitted, run.out() + "os.linux-noise = none\n");
    Scenario s = new ScenarioLoader().load(fitted, List.of());

    Map<String, long[]> recorded = new TreeMap<>(); // name -> {calls, total ns}
    List<StraceParser.Source> sources = List.of(StraceParser.Source.of(trace));
    StraceParser.parse(sources, new StraceParser.Sink() {
      @Override
      public void call(StraceCall c) {
        if (c.durationNs() >= 0) {
          long[] t = recorded.computeIfAbsent(c.name(), k -> new long[2]);
          t[0]++;
          t[1] += c.durationNs();
        }
      }
    });
    TraceRun.Replay linux = TraceRun.run(s, TraceRun.read(s, sources), "linux", "sequential", 1).linux();

    List<String> checked = new ArrayList<>();
    recorded.forEach((name, t) -> {
      if (linux.totals().containsKey(name) && s.syscalls().linux(name) > 0) {
        assertThat((double) linux.totalNs(name)).as(name).isCloseTo(t[1], within(t[0] / 2.0 + 1));
        checked.add(name);
      }
    });
    assertThat(checked).as("call names replayed").hasSizeGreaterThan(5).contains("openat", "mmap");
  }
}
