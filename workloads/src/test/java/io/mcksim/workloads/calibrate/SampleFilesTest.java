package io.mcksim.workloads.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample formats {@code calibrate} reads. */
class SampleFilesTest {

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  @Test
  void oneNumberPerLineIsOneCoreWithCommentsAndBlankLinesSkipped() throws IOException {
    Path f = write("core0.txt", "# FWQ on core 0\n20000\n\n20500.4\n2.1e4\n");

    List<SampleFiles.Series> s = SampleFiles.read(List.of(f), 1);

    assertThat(s).singleElement().satisfies(x -> {
      assertThat(x.name()).isEqualTo(f.toString());
      assertThat(x.values()).containsExactly(20000, 20500, 21000);
    });
  }

  @Test
  void aColumnPerCoreWithAHeaderNamesTheCores() throws IOException {
    Path f = write("s.csv", "cpu0,cpu1\n20,21\n22,23\n");

    List<SampleFiles.Series> s = SampleFiles.read(List.of(f), 1000);

    assertThat(s).extracting(SampleFiles.Series::name).containsExactly(f + ":cpu0", f + ":cpu1");
    assertThat(s.get(0).values()).containsExactly(20_000, 22_000);
    assertThat(s.get(1).values()).containsExactly(21_000, 23_000);
  }

  @Test
  void columnsWithoutAHeaderBySpacesTabsOrSemicolons() throws IOException {
    Path f = write("s.txt", "1 2\t3\n4;5 6\n");

    List<SampleFiles.Series> s = SampleFiles.read(List.of(f), 1);

    assertThat(s).extracting(SampleFiles.Series::name).containsExactly(f + ":column 1", f + ":column 2",
        f + ":column 3");
    assertThat(s.get(2).values()).containsExactly(3, 6);
  }

  @Test
  void mcksimsOwnSamplesGiveItsLinuxCores() throws IOException {
    Path f = write("fwq-samples.csv", "kernel,cpu,iteration,ns\nlinux,0,0,100\nlinux,0,1,101\nlinux,1,0,102\n"
        + "mckernel,4,0,100\n");

    List<SampleFiles.Series> s = SampleFiles.read(List.of(f), 1);

    assertThat(s).extracting(SampleFiles.Series::name).containsExactly("linux cpu 0", "linux cpu 1");
    assertThat(s.get(0).values()).containsExactly(100, 101);
  }

  @Test
  void aBadValueIsRefusedAtItsLine() throws IOException {
    Path f = write("s.txt", "1\n2\nx3\n");

    assertThatIllegalArgumentException().isThrownBy(() -> SampleFiles.read(List.of(f), 1))
        .withMessageStartingWith(f + ":3: 'x3' is not a number");
  }

  @Test
  void aShortRowIsRefusedAtItsLine() throws IOException {
    Path f = write("s.txt", "1 2\n3\n");

    assertThatIllegalArgumentException().isThrownBy(() -> SampleFiles.read(List.of(f), 1))
        .withMessageContaining(f + ":2: 1 column, but the first row has 2");
  }
}
