package io.mcksim.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A noise trace is read as a stream, line by line, and refused early when it is not one. */
class NoiseTraceTest {

  @TempDir
  Path dir;

  @Test
  void readsPairsCommentsAndALastLineWithoutItsNewline() throws IOException {
    Path file = Files.writeString(dir.resolve("n.trace"), "# start duration\n0 10\n\n100, 5  # a comment\n100 0\n250 7");

    NoiseTrace t = NoiseTrace.read(file);

    assertThat(t.starts()).containsExactly(0, 100, 100, 250);
    assertThat(t.durations()).containsExactly(10, 5, 0, 7);
  }

  @Test
  void manyLinesGrowTheArrays() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      sb.append(i * 10).append(' ').append(3).append('\n');
    }
    NoiseTrace t = NoiseTrace.read(Files.writeString(dir.resolve("n.trace"), sb));

    assertThat(t.starts()).hasSize(5000).endsWith(49_990);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "0 10\\n5 | n.trace:2: expected 'start duration'",
      "0 10\\n5 x | n.trace:2: expected 'start duration'",
      "50 1\\n40 1 | n.trace:2: starts at 40ns, before the line above",
      "-5 1 | n.trace:1: start and duration must not be negative",
      "5 -1 | n.trace:1: start and duration must not be negative",
      "9223372036854775807 9223372036854775807 | the interruption must end within 10^17 ns",
      "99999999999999999999 1 | n.trace:1: expected 'start duration'",
  })
  void aBadLineIsReportedWithItsNumber(String content, String fragment) throws IOException {
    Path file = Files.writeString(dir.resolve("n.trace"), content.replace("\\n", "\n"));

    assertThatIllegalArgumentException().isThrownBy(() -> NoiseTrace.read(file)).withMessageContaining(fragment);
  }

  @Test
  void aLineLongerThanTheLimitIsRefusedWithoutReadingOn() throws IOException {
    Path file = Files.write(dir.resolve("n.trace"), new byte[100_000]);

    assertThatIllegalArgumentException().isThrownBy(() -> NoiseTrace.read(file))
        .withMessageContaining("n.trace:1: a line longer than 256 characters");
  }

  @Test
  void aFolderOrADeviceIsNotATrace() {
    assertThatIllegalArgumentException().isThrownBy(() -> NoiseTrace.read(dir))
        .withMessageContaining("not a regular file");
    if (Files.exists(Path.of("/dev/zero"))) {
      assertThatIllegalArgumentException().isThrownBy(() -> NoiseTrace.read(Path.of("/dev/zero")))
          .withMessageContaining("not a regular file");
    }
  }
}
