package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output folders are mcksim's own: a path that holds anything of the user's is refused before any work,
 * with exit 2 and nothing changed; a report is written whole or not at all.
 */
class OutputFolderTest {

  @TempDir
  Path dir;

  /** Every file under {@code root} with its content, to compare before and after. */
  private static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> all = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        all.put(root.relativize(p).toString(), Files.isRegularFile(p) ? Files.readString(p) : "<dir>");
      }
    }
    return all;
  }

  private Path userFolder() throws IOException {
    Path mine = dir.resolve("mine");
    Files.createDirectories(mine.resolve("thesis"));
    Files.writeString(mine.resolve("thesis/chapter1.tex"), "years of work\n");
    Files.writeString(mine.resolve("notes.txt"), "notes\n");
    return mine;
  }

  /** A cheap run: the syscall microbenchmark with few calls. */
  private static List<String> cheapRun(String out) {
    return List.of("run", "--set", "workload.type=syscalls", "--set", "workload.syscalls.calls=5",
        "--set", "workload.syscalls.names=[getpid]", "--quiet", "--out", out);
  }

  @Test
  void aForeignFolderAFileAndTheEmptyPathAreRefusedBeforeAnyWorkAndLeftUntouched() throws IOException {
    Path mine = userFolder();
    Path file = dir.resolve("results.txt");
    Files.writeString(file, "keep me\n");
    Path emptyInside = Files.createDirectories(dir.resolve("projects/empty-for-now"));
    Map<String, String> before = tree(dir);
    for (String out : List.of(mine.toString(), file.toString(), "", " ", emptyInside.getParent().toString())) {
      CliRun r = CliRun.of(cheapRun(out).toArray(String[]::new));
      assertThat(r.code()).as(out + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).contains("--out '" + out + "'", "nothing was run or written").doesNotContain("\tat ");
      assertThat(r.out()).isEmpty();
    }
    assertThat(tree(dir)).isEqualTo(before);
  }

  @Test
  void theCurrentFolderItsParentsAndTheHomeFolderAreRefused() throws IOException {
    String home = System.getProperty("user.home");
    for (String out : List.of(".", "..", "./", Path.of("").toAbsolutePath().toString(), home, "/")) {
      CliRun r = CliRun.of(cheapRun(out).toArray(String[]::new));
      assertThat(r.code()).as(out + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).contains("nothing was run or written");
    }
  }

  @Test
  void anEarlierReportIsReplacedAnEmptyFolderIsUsedAndAnotherCommandsOutputIsKept() throws IOException {
    Path report = dir.resolve("report");
    assertThat(CliRun.of(cheapRun(report.toString()).toArray(String[]::new)).code()).isZero();
    assertThat(report.resolve(OutputFolder.MARKER)).exists();
    Files.writeString(report.resolve("report.json"), "stale\n");
    assertThat(CliRun.of(cheapRun(report.toString()).toArray(String[]::new)).code()).isZero();
    assertThat(Files.readString(report.resolve("report.json"))).isNotEqualTo("stale\n");

    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThat(CliRun.of(cheapRun(empty.toString()).toArray(String[]::new)).code()).isZero();
    assertThat(empty.resolve("report.json")).exists();

    // a file the user added to an earlier report is not deleted with it
    Files.writeString(report.resolve("my-analysis.py"), "print(1)\n");
    CliRun added = CliRun.of(cheapRun(report.toString()).toArray(String[]::new));
    assertThat(added.code()).isEqualTo(2);
    assertThat(added.err()).contains("my-analysis.py");
    assertThat(report.resolve("my-analysis.py")).hasContent("print(1)");
    Files.delete(report.resolve("my-analysis.py"));

    // the output of another command is not overwritten: a trace folder is not a run's
    Map<String, String> before = tree(report);
    CliRun other = CliRun.of("compare-os", "--nodes", "1", "--out", report.toString(), "--quiet");
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err()).contains("another command (run)");
    assertThat(tree(report)).isEqualTo(before);
  }

  @Test
  void anUnwritablePlaceIsFoundBeforeTheRunAndCreatesNothing() throws IOException {
    Path file = dir.resolve("plain-file");
    Files.writeString(file, "x");
    CliRun r = CliRun.of(cheapRun(file.resolve("sub/out").toString()).toArray(String[]::new));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("cannot be written");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aBadScenarioLeavesNoTemporaryFolderAndNoCreatedParents() throws IOException {
    Path out = dir.resolve("a/b/report");
    CliRun r = CliRun.of("run", "--set", "workload.type=nonsense", "--out", out.toString());
    assertThat(r.code()).isEqualTo(2);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.toList()).isEmpty();
    }
  }

  @Test
  void aReportThatCannotBeWrittenWholeIsNotWrittenAtAll() throws IOException {
    Path target = dir.resolve("atomic");
    try (OutputFolder first = OutputFolder.claim(target.toString(), "--out", "test")) {
      first.add("a.csv", "old\n").commit();
    }
    try (OutputFolder second = OutputFolder.claim(target.toString(), "--out", "test")) {
      second.add("a.csv", "new\n");
      second.add("../escape.csv", "outside\n");
      assertThat(catchThrowable(second::commit)).isInstanceOf(IOException.class);
    }
    assertThat(Files.readString(target.resolve("a.csv"))).isEqualTo("old\n");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("atomic");
    }
  }

  @Test
  void leftoversOfAKilledRunAreRemovedAndAReportCaughtAsideIsPutBack() throws IOException {
    Path target = dir.resolve("r");
    try (OutputFolder first = OutputFolder.claim(target.toString(), "--out", "test")) {
      first.add("a.csv", "kept\n").commit();
    }
    // as a run killed between moving the earlier report aside and renaming the new one into place leaves it
    Path aside = dir.resolve(".r.old-999999999");
    Files.move(target, aside);
    Path stale = Files.createDirectory(dir.resolve(".r.new-123"));
    Files.writeString(stale.resolve(OutputFolder.MARKER), "mcksim output folder: test\npid 999999999\n");
    Files.writeString(stale.resolve("half.csv"), "half");
    Path foreign = Files.createDirectory(dir.resolve(".r.new-not-ours"));
    try (OutputFolder next = OutputFolder.claim(target.toString(), "--out", "test")) {
      assertThat(target.resolve("a.csv")).hasContent("kept");
      assertThat(aside).doesNotExist();
      assertThat(stale).doesNotExist();
      assertThat(foreign).exists(); // no marker: not ours to delete
      next.add("a.csv", "new\n").commit();
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(p -> names.add(p.getFileName().toString()));
    }
    assertThat(names).containsExactlyInAnyOrder("r", ".r.new-not-ours");
  }

  @Test
  void whatAKilledRunWroteAsItWentIsKeptBesideTheTarget() throws IOException {
    Path target = dir.resolve("r");
    // a run that streamed a file and was killed before its commit (its process gone: pid 999999999)
    Path stale = Files.createDirectory(dir.resolve(".r.new-456"));
    Files.writeString(stale.resolve(OutputFolder.MARKER), "mcksim output folder: test\npid 999999999\n"
        + "streamed raw/samples.csv\n");
    Files.createDirectory(stale.resolve("raw"));
    Files.writeString(stale.resolve("raw/samples.csv"), "1\n2\n");
    try (OutputFolder next = OutputFolder.claim(target.toString(), "--out", "test")) {
      assertThat(stale).doesNotExist();
      assertThat(dir.resolve("r.interrupted-999999999/raw/samples.csv")).hasContent("1\n2");
      next.add("a.csv", "new\n").commit();
    }
    // a live run's streamed file is named in its marker as it is opened
    try (OutputFolder live = OutputFolder.claim(dir.resolve("s").toString(), "--out", "test")) {
      Files.writeString(live.streamed("x.csv"), "x");
      try (Stream<Path> files = Files.list(dir)) {
        Path tmp = files.filter(p -> p.getFileName().toString().startsWith(".s.new-")).findFirst().orElseThrow();
        assertThat(Files.readString(tmp.resolve(OutputFolder.MARKER))).contains("streamed x.csv");
      }
      live.commit();
    }
    assertThat(Files.readString(dir.resolve("s").resolve(OutputFolder.MARKER))).doesNotContain("streamed")
        .contains("file x.csv");
  }

  @Test
  void everyCommandHasItsOwnDefaultFolderAndAReplayNeverWritesOverItsCampaign() {
    assertThat(new RunCommand().out).isEqualTo("mcksim-report");
    assertThat(new TraceCommand().out).isEqualTo("mcksim-trace");
    assertThat(new CompareOsCommand().out).isEqualTo("mcksim-compare-os");
  }
}
