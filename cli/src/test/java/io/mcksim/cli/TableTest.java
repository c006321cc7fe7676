package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's tables: aligned, and wrapped at spaces to fit the width. */
class TableTest {

  private static final String[] HEAD = {"model", "runtime (ms)", "LWK crash", "isolation design"};
  private static final List<String[]> ROWS = List.of(
      new String[] {"McKernel", "12.0110", "application killed, Linux runs on",
          "its own kernel on offlined cores and memory"},
      new String[] {"Linux", "10.5730", "no LWK", "none: one kernel"});

  @Test
  void aNarrowTableIsNotWrapped() {
    String t = Table.render(HEAD, ROWS, 1, 200);
    assertThat(t.lines()).hasSize(3);
    assertThat(t).contains("  application killed, Linux runs on  ");
  }

  @Test
  void aWideTableWrapsItsTextCellsAtSpacesAndKeepsFiguresWhole() {
    String t = Table.render(HEAD, ROWS, 1, 60);

    assertThat(t.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(60));
    assertThat(t.lines().count()).isGreaterThan(3);
    assertThat(t).contains("12.0110", "10.5730");
    // every word is still there, in order
    String words = String.join(" ", t.replaceAll("\\s+", " ").trim().split(" "));
    for (String w : "application killed, Linux runs on".split(" ")) {
      assertThat(words).contains(w);
    }
  }

  @Test
  void aWordLongerThanTheWidthIsNeverCut() {
    String t = Table.render(new String[] {"a"}, List.<String[]>of(new String[] {"x".repeat(30)}), 1, 10);
    assertThat(t).contains("x".repeat(30));
  }
}
