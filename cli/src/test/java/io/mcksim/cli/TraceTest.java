package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.strace.StraceParser;
import io.mcksim.workloads.strace.TracePrograms;
import java.io.IOException;
import java.io.InputStream;
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

  static TracePrograms.Result parse(Path file) throws IOException {
    return TracePrograms.read(List.of(StraceParser.Source.of(file)));
  }

  /** The programs inside {@code p}, {@code p} first, breadth first, each once (a trace's tree is a tree). */
  static List<Program> tree(Program p) {
    List<Program> all = new ArrayList<>(List.of(p));
    for (int i = 0; i < all.size(); i++) {
      for (Op op : all.get(i).ops()) {
        if (op instanceof Op.Fork f) {
          all.add(f.child());
        } else if (op instanceof Op.SpawnThread t) {
          all.add(t.program());
        } else if (op instanceof Op.Exec x) {
          all.add(x.image());
        }
      }
    }
    return all;
  }

  static long count(Program root, Class<? extends Op> kind) {
    return tree(root).stream().flatMap(p -> p.ops().stream()).filter(kind::isInstance).count();
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
      assertThat(html).contains("id=\"chart-trace-stages\"");
      assertThat(html).doesNotContainPattern("<script[^>]+src=").contains("const CHARTS = [");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(out.resolve("trace-syscalls.csv")).isNotEmptyFile();
    Config report = ConfigFactory.parseString(o.out(), ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
    // the summary, and every call as "syscalls"
    Config json = report.getConfig("summary").withValue("syscalls", report.getValue("tables.trace_syscalls.rows"));
    assertThat(json.getLong("mckernel_ns")).isPositive();
    assertThat(json.getLong("linux_ns")).isPositive();
    return json;
  }

  @Test
  void aShellPipelineForksExecsAndReplaysUnderBothModels() throws Exception {
    Path t = record("pipeline", "/bin/sh", "-c", "ls / | wc -l");
    TracePrograms.Result trace = parse(t);
    assertThat(trace.trace().unreadable()).as("unreadable lines of a real trace").isZero();
    assertThat(trace.warnings().first()).as("warnings of a whole trace").isEmpty();
    assertThat(count(trace.root(), Op.Fork.class)).as("ls and wc").isGreaterThanOrEqualTo(2);
    assertThat(count(trace.root(), Op.Exec.class)).isGreaterThanOrEqualTo(3);
    Config json = replay(t);
    assertThat(json.getInt("threads")).isEqualTo(trace.threadCount()).isEqualTo(trace.threads().size());
    assertThat(json.getConfigList("syscalls")).anySatisfy(r -> {
      assertThat(r.getString("syscall")).isEqualTo("execve");
      assertThat(r.getString("where")).isEqualTo("local");
    });
  }

  @Test
  void aMultiThreadedProgramMakesThreads() throws Exception {
    Path t = record("jvm", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version");
    TracePrograms.Result trace = parse(t);
    assertThat(trace.trace().unreadable()).isZero();
    assertThat(count(trace.root(), Op.SpawnThread.class)).as("the JVM's threads").isGreaterThanOrEqualTo(2);
    Config json = replay(t);
    assertThat(json.getConfigList("syscalls")).anySatisfy(r -> assertThat(r.getString("syscall")).isIn("clone",
        "clone3"));
  }

  @Test
  void aProgramThatForksMakesProcesses() throws Exception {
    Path t = record("fork", "/bin/sh", "-c", "/bin/true; /bin/true; echo done");
    TracePrograms.Result trace = parse(t);
    assertThat(trace.trace().unreadable()).isZero();
    Program sh = ((Op.Exec) trace.root().ops().get(0)).image();
    assertThat(sh.ops()).filteredOn(o -> o instanceof Op.Fork).hasSize(2);
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

  @Test
  void manyUnreadableLinesAreCountedAllAndListedBoundedlyAndStrictNamesTheFirst() throws IOException {
    Path t = dir.resolve("garbage.txt");
    List<String> lines = new ArrayList<>(List.of("9000 1795764940.000000 getuid() = 0 <0.000002>"));
    for (int i = 0; i < 2500; i++) {
      lines.add(i % 2 == 0 ? "\u0001\u0002 binary garbage " + i : "9000 1795764940.001000 read(3, \"unterminated");
    }
    lines.add("9000 99999999999999999999.000000 getuid() = 0 <0.000002>");
    Files.write(t, lines, java.nio.charset.StandardCharsets.ISO_8859_1);
    Path out = dir.resolve("garbage-report");
    CliRun o = ReportTest.run(List.of("trace", t.toString(), "--out", out.toString()));
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("2,502 lines, 2,501 unreadable", t + ":2: no timestamp, unlike the lines before: ?? binary",
        t + ":3: the arguments of read do not end", "... and 2,491 more unreadable lines (unreadable.csv lists the "
        + "first 1000)");
    Config json = ConfigFactory.parseFile(out.resolve("report.json").toFile(),
        ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
    assertThat(json.getLong("summary.unreadable_count")).isEqualTo(2501);
    assertThat(json.getConfigList("tables.unreadable.rows")).hasSize(StraceParser.KEPT);
    CliRun strict = ReportTest.run(List.of("trace", t.toString(), "--out", dir.resolve("strict").toString(),
        "--strict"));
    assertThat(strict.code()).isEqualTo(2);
    assertThat(strict.err()).contains("2501 lines cannot be read (--strict); the first: " + t + ":2: ", t + ":3: ",
        t + ":4: ", "without --strict they are skipped").doesNotContain(t + ":5: ");
    assertThat(dir.resolve("strict")).doesNotExist();
  }

  @Test
  void aTraceCutOffRightAfterACloneReplaysWithAWarning() throws IOException {
    Path t = dir.resolve("clone-cut.txt");
    Files.writeString(t, String.join("\n",
        "500 1795764940.000000 execve(\"/bin/sh\", [\"sh\"], 0x7ffe /* 3 vars */) = 0 <0.000300>",
        "500 1795764940.001000 clone(child_stack=NULL, flags=CLONE_CHILD_SETTID|SIGCHLD) = 501 <0.000100>"));
    CliRun o = ReportTest.run(List.of("trace", t.toString(), "--out", dir.resolve("cut").toString(), "--strict"));
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("0 unreadable", "warning: " + t + ":2: the pid this call creates, 501, makes no call",
        "warning: the trace ends while 1 thread still runs (500): cut off?");
  }

  @Test
  void aFolderADeviceOrAnEmptyFileIsNoTrace() throws IOException {
    CliRun folder = ReportTest.run(List.of("trace", dir.toString(), "--out", dir.resolve("o1").toString()));
    assertThat(folder.code()).isEqualTo(2);
    assertThat(folder.err()).contains(dir + ": is a folder, not a trace file");
    CliRun device = ReportTest.run(List.of("trace", "/dev/null", "--out", dir.resolve("o2").toString()));
    assertThat(device.code()).isEqualTo(2);
    assertThat(device.err()).contains("/dev/null: not a regular file");
    Path empty = Files.createFile(dir.resolve("empty.txt"));
    CliRun none = ReportTest.run(List.of("trace", empty.toString(), "--out", dir.resolve("o3").toString()));
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("no system calls in [" + empty + "]").doesNotContain("Exception");
    assertThat(dir.resolve("o1")).doesNotExist();
    assertThat(dir.resolve("o3")).doesNotExist();
  }

  @Test
  void anIdleGapOfThirtyYearsIsReplayedInClosedFormUnderBothModels() throws IOException {
    // far more noise interruptions than a run could walk one by one: it ends only in closed form
    Path t = dir.resolve("gap.txt");
    long gapS = 900_000_000L;
    Files.writeString(t, String.join("\n",
        "700 1700000000.000000 write(1, \"x\", 1) = 1 <0.000001>",
        "700 " + (1_700_000_000L + gapS) + ".000000 write(1, \"x\", 1) = 1 <0.000001>",
        "700 " + (1_700_000_000L + gapS) + ".000100 exit_group(0) = ?"));
    Config json = replay(t);
    assertThat(json.getLong("compute_ns")).isEqualTo(gapS * 1_000_000_000L - 1_000 + 99_000);
    assertThat(json.getLong("mckernel_ns")).isGreaterThan(gapS * 1_000_000_000L);
    assertThat(json.getLong("linux_ns")).as("the gap, stretched by Linux's noise at its long-run rate")
        .isGreaterThan(gapS * 1_000_000_000L).isLessThan(gapS * 1_050_000_000L);
  }
}
