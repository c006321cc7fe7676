package io.mcksim.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed while it writes its report leaves the earlier report as it was, and the next run removes
 * what the killed one left behind. The child JVM stops itself after writing and before committing (a
 * test hook), so the kill always lands at the same point: no sleeps, no timing.
 */
class OutputSafetyTest {

  private static final String[] CHEAP = {"run", "--set", "workload.type=syscalls", "--set",
      "workload.syscalls.calls=5", "--set", "workload.syscalls.names=[getpid]", "--quiet", "--seed"};

  private static Process start(Path out, String seed, boolean pause) throws IOException {
    List<String> props = pause ? List.of("-Dmcksim.test.pause-before-commit=true") : List.of();
    String[] args = java.util.Arrays.copyOf(CHEAP, CHEAP.length + 3);
    args[CHEAP.length] = seed;
    args[CHEAP.length + 1] = "--out";
    args[CHEAP.length + 2] = out.toString();
    return new ProcessBuilder(ChildJvm.mcksim(props, args)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aRunKilledWhileWritingLeavesTheEarlierReportAndTheNextRunCleansUp(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("report");
    Process first = start(out, "1", false);
    first.getErrorStream().transferTo(System.err);
    assertThat(first.waitFor(120, TimeUnit.SECONDS)).as("first run ended").isTrue();
    assertThat(first.exitValue()).isZero();
    byte[] before = Files.readAllBytes(out.resolve("report.json"));

    Process killed = start(out, "2", true);
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(killed.getErrorStream(),
        StandardCharsets.UTF_8))) {
      String line;
      do {
        line = lines.readLine();
      } while (line != null && !line.contains("written, not yet committed"));
      assertThat(line).as("the child reached the point between writing and committing").isNotNull();
      killed.destroyForcibly();
      assertThat(killed.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.readAllBytes(out.resolve("report.json"))).isEqualTo(before);
    assertThat(names(dir)).anyMatch(n -> n.startsWith(".report.new-")); // what the killed run left

    Process next = start(out, "3", false);
    next.getErrorStream().transferTo(System.err);
    assertThat(next.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(next.exitValue()).isZero();
    assertThat(names(dir)).containsExactly("report");
    assertThat(Files.readAllBytes(out.resolve("report.json"))).isNotEqualTo(before);
  }
}
