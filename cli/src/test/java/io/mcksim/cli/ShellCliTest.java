package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcksim shell} on hostile input: dumps stay inside {@code --out}, {@code advance} never wraps
 * virtual time, an endless line is refused without being held; the session goes on after each error.
 */
class ShellCliTest {

  private static final String INSTANCE = "ihkconfig 0 reserve cpu 4-7\nihkconfig 0 reserve mem 1G@0\n"
      + "ihkconfig 0 create\n";

  @Test
  void aDumpOutsideTheOutFolderIsRefusedAndOneInsideIsWritten(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("out");
    CliRun o = CliRun.withInput(INSTANCE + "ihkosctl 0 dump ../escaped\nihkosctl 0 dump " + dir.resolve("abs")
        + "\nihkosctl 0 dump inside\n", "shell", "--out", out.toString());
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.out()).contains("error: dump: '../escaped' is outside the dump folder " + out.toAbsolutePath(),
        "Permission denied (EACCES)", "dumped OS 0 to " + out.resolve("inside"));
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile)).containsExactly(out.resolve("inside"));
    }
  }

  @Test
  void anAdvancePastTheShellsLastTimeIsRefusedAndTimeStaysWhereItWas() {
    // one advance is a duration (at most 1000000s, like every duration); 3318 of 11d reach 36498d
    String script = "advance 11d\n".repeat(3318) + "advance 3d\nadvance 9223372036854775807\ntime\nadvance 2d\ntime\n";
    CliRun o = CliRun.withInput(script, "shell");
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.out()).contains("error: line 3319: advance 3d: the shell's virtual time goes up to 36500d",
        "error: line 3320: cannot read duration '9223372036854775807'", "is too long",
        "$ time\n3153427200.000 s\n", "$ time\n3153600000.000 s\n");
    assertThat(o.out()).doesNotContain("-");
  }

  @Test
  void anEndlessLineIsRefusedWithoutBeingKeptAndTheNextLineRuns() throws IOException {
    String longLine = "x".repeat(ShellCommand.MAX_LINE * 3);
    CliRun o = CliRun.withInput(longLine + "\ntime\n", "shell");
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.out()).startsWith("error: line 1: longer than 65536 characters; skipped\n$ time\n0 ns\n");
    BufferedReader in = new BufferedReader(new StringReader(longLine + "\r\nlast"));
    assertThat(ShellCommand.readLine(in)).hasSize(ShellCommand.MAX_LINE + 1);
    assertThat(ShellCommand.readLine(in)).isEqualTo("last");
    assertThat(ShellCommand.readLine(in)).isNull();
  }
}
