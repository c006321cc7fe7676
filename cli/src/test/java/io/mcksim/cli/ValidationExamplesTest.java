package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The scenarios of docs/validation.md ({@code examples/validation/}): each says what it reproduces and
 * how to run it at its top, loads, and is named by the page with that command.
 */
class ValidationExamplesTest {

  @Test
  void everyValidationScenarioSaysWhatItIsLoadsAndIsOnThePage() throws IOException {
    String page = Files.readString(Path.of("..", "docs", "validation.md"));
    List<Path> files;
    try (var list = Files.list(Path.of("..", "examples", "validation"))) {
      files = list.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(3);
    for (Path f : files) {
      String command = "bin/mcksim run examples/validation/" + f.getFileName();
      assertThat(Files.readAllLines(f).get(0)).as(f.toString()).startsWith("# Validation: ");
      assertThat(Files.readString(f)).as(f.toString()).containsPattern(Pattern.quote(command));
      assertThat(page).as("docs/validation.md runs " + f.getFileName()).contains(command);
      CliRun o = CliRun.of("config", f.toString());
      assertThat(o.code()).as(f + ": " + o.err()).isZero();
    }
  }
}
