package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.workloads.strace.StraceParser;
import io.mcksim.workloads.strace.StraceTrace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mcksim trace} on traces it records itself with strace, and on committed samples. */
class TraceTest {

  @TempDir
  Path dir;

  /** Records {@code command} with strace -f -ttt -T into a file of {@code dir}. */
  Path record(String name, String... command) throws IOException, InterruptedException {
    Path out = dir.resolve(name + ".trace");
    List<String> cmd = new ArrayList<>(List.of("strace", "-f", "-ttt", "-T", "-o", out.toString()));
    cmd.addAll(List.of(command));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new AssertionError("strace is needed to record traces (.ci/run installs it): " + e.getMessage(), e);
    }
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("strace of " + List.of(command) + " finished").isTrue();
    assertThat(p.exitValue()).as("strace " + List.of(command)).isZero();
    assertThat(out).isNotEmptyFile();
    return out;
  }

  static StraceTrace parse(Path file) throws IOException {
    return StraceParser.parse(List.of(StraceParser.Source.of(file.toString(),
        Files.readAllLines(file, StandardCharsets.ISO_8859_1))));
  }

  Config replay(Path trace, String... more) {
    Path out = dir.resolve("report-" + trace.getFileName());
    List<String> args = new ArrayList<>(List.of("trace", trace.toString(), "--out", out.toString(), "--json"));
    args.addAll(List.of(more));
    CliRun o = ReportTest.run(args);
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(out.resolve("report.html")).isNotEmptyFile();
    try {
      String html = Files.readString(out.resolve("report.html"));
      for (String chart : TraceHtml.CHARTS) {
        assertThat(html).as(chart).contains("id=\"" + chart + "\"");
      }
      assertThat(html).doesNotContainPattern("<script[^>]+src=").contains("const REPORT = {\"schema\": \"mcksim-trace\"");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(out.resolve("trace-syscalls.csv")).isNotEmptyFile();
    Config json = ConfigFactory.parseString(o.out(), ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
    assertThat(json.getLong("mckernel_ns")).isPositive();
    assertThat(json.getLong("linux_ns")).isPositive();
    return json;
  }

  @Test
  void aShellPipelineForksExecsAndReplaysUnderBothModels() throws Exception {
    Path t = record("pipeline", "/bin/sh", "-c", "ls / | wc -l");
    StraceTrace trace = parse(t);
    assertThat(trace.bad()).as("unreadable lines of a real trace").isEmpty();
    long processes = trace.children().values().stream().flatMap(List::stream).filter(c -> !c.thread()).count();
    assertThat(processes).as("ls and wc").isGreaterThanOrEqualTo(2);
    assertThat(trace.calls().values().stream().flatMap(List::stream)
        .filter(c -> c.name().equals("execve") && !c.failed()).count()).isGreaterThanOrEqualTo(3);
    Config json = replay(t);
    assertThat(json.getInt("threads")).isEqualTo(trace.calls().size());
    assertThat(json.getConfigList("syscalls")).anySatisfy(r -> {
      assertThat(r.getString("syscall")).isEqualTo("execve");
      assertThat(r.getString("where")).isEqualTo("local");
    });
  }

  @Test
  void aMultiThreadedProgramMakesThreads() throws Exception {
    Path t = record("jvm", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version");
    StraceTrace trace = parse(t);
    assertThat(trace.bad()).isEmpty();
    assertThat(trace.children().values().stream().flatMap(List::stream).filter(StraceTrace.Child::thread).count())
        .as("the JVM's threads").isGreaterThanOrEqualTo(2);
    Config json = replay(t);
    assertThat(json.getConfigList("syscalls")).anySatisfy(r -> assertThat(r.getString("syscall")).isIn("clone",
        "clone3"));
  }

  @Test
  void aProgramThatForksMakesProcesses() throws Exception {
    Path t = record("fork", "/bin/sh", "-c", "/bin/true; /bin/true; echo done");
    StraceTrace trace = parse(t);
    assertThat(trace.bad()).isEmpty();
    assertThat(trace.children().get(trace.root())).filteredOn(c -> !c.thread()).hasSize(2);
    replay(t);
  }

  @Test
  void aTraceWithoutLocalCallsPredictsExactlyItsOffloadStagesPlusItsGaps() throws IOException {
    Path t = dir.resolve("offload-only.txt");
    try (InputStream in = TraceTest.class.getResourceAsStream("/strace/offload-only.txt")) {
      Files.write(t, in.readAllBytes());
    }
    Config json = replay(t, "--set", "os.linux-noise=none");
    Scenario s = new ScenarioLoader().load(null, List.of("os.linux-noise=none"));
    // the gaps between one call's end and the next call's start, from the sample's timestamps
    long gaps = 80_000 + 396_000 + 9_991_000 + 492_000 + 19_989_000;
    assertThat(json.getLong("compute_ns")).isEqualTo(gaps);
    long stages = 0;
    for (String call : List.of("openat", "fstat", "read", "read", "write", "close")) {
      stages += s.offload().marshal() + s.offload().ikcEnqueue() + s.ikc().latency() + s.ikc().ipi()
          + s.offload().mcctrlDispatch() + s.offload().proxyWakeup() + s.syscalls().linux(call)
          + s.offload().replyWrite() + s.offload().resume();
    }
    assertThat(json.getLong("mckernel_ns")).as("seed 1").isEqualTo(gaps + stages);
    assertThat(json.getConfigList("syscalls")).allSatisfy(r -> assertThat(r.getString("where")).startsWith("offloaded"));
  }

  @Test
  void unreadableLinesAreReportedWithTheirNumbersAndStrictRefusesThem() throws IOException {
    Path t = dir.resolve("cut.txt");
    Files.writeString(t, String.join("\n",
        "9000 1795764940.000000 getuid()                = 0 <0.000002>",
        "9000 1795764940.001000 this is not strace output",
        "9000 1795764940.002000 write(1, \"x\", 1)       = 1 <0.000003>",
        "9000 1795764940.003000 write(1, \"half a li"));
    Path out = dir.resolve("cut-report");
    CliRun o = ReportTest.run(List.of("trace", t.toString(), "--out", out.toString()));
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("2 unreadable", t + ":2: not a call", t + ":4: the arguments of write do not end");
    CliRun strict = ReportTest.run(List.of("trace", t.toString(), "--out", dir.resolve("strict").toString(),
        "--strict"));
    assertThat(strict.code()).isEqualTo(2);
    assertThat(strict.err()).contains("2 lines cannot be read (--strict)", t + ":2");
    assertThat(dir.resolve("strict")).doesNotExist();
    CliRun missing = ReportTest.run(List.of("trace", dir.resolve("nope.txt").toString()));
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("no such trace file; record one with strace -f -ttt -T -o FILE");
  }
}
