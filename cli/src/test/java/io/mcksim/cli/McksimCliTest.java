package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: output on stdout, errors on stderr, exit codes. */
class McksimCliTest {

  private record Outcome(int code, String out, String err) {}

  private static Outcome run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Mcksim.execute(args);
      return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void benchPholdCompareRunsBothEnginesAndPrintsOneJsonObject() {
    Outcome o = run("bench", "phold", "--entities", "2000", "--domains", "4", "--end-time", "10us",
        "--threads", "2", "--compare");
    assertThat(o.code()).as(o.err()).isZero();
    String json = o.out().trim();
    assertThat(json).startsWith("{\"sequential\": {\"engine\": \"sequential\"")
        .contains("\"actors\": {\"engine\": \"actors\", \"threads\": 2")
        .contains("\"ratio\": ")
        .contains("\"sameDigest\": true");
    for (String field : new String[] {"entities", "domains", "events", "virtualEndNs", "wallSeconds",
        "eventsPerSecond", "bytesPerEntity", "digest"}) {
      assertThat(json).contains("\"" + field + "\": ");
    }
  }

  @Test
  void runOnAScenarioFilePrintsTheSummaryWithSeedAndDigest(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("small.conf");
    Files.writeString(file, "run { seed = 9, end-time = 5us, engine = sequential }\n"
        + "phold { entities = 500, domains = 2 }\n");
    Outcome o = run("run", file.toString());
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("seed", "9", "event-log digest", "events per second");
  }

  @Test
  void aBadScenarioIsRejectedWithExitCode2AndEveryProblem(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.conf");
    Files.writeString(file, "run {\n  threads = -1\n  sed = 3\n}\n");
    Outcome o = run("config", file.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("bad.conf:2", "run.threads", "bad.conf:3", "run.sed",
        "did you mean 'run.seed'");
    assertThat(o.out()).isEmpty();
  }

  @Test
  void anUnknownEngineIsABadInput() {
    Outcome o = run("bench", "phold", "--engine", "quantum", "--entities", "10");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("run.engine", "quantum");
  }
}
