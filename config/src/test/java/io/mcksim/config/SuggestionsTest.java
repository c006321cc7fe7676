package io.mcksim.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one "did you mean" of scenarios, programs and syscall names. */
class SuggestionsTest {

  @Test
  void editDistanceCountsSingleCharacterEdits() {
    assertThat(Suggestions.editDistance("run.sed", "run.seed")).isEqualTo(1);
    assertThat(Suggestions.editDistance("", "abc")).isEqualTo(3);
    assertThat(Suggestions.editDistance("abc", "")).isEqualTo(3);
    assertThat(Suggestions.editDistance("kitten", "sitting")).isEqualTo(3);
    assertThat(Suggestions.editDistance("same", "same")).isZero();
  }

  @Test
  void editDistanceCountsAdjacentSwapsAsOne() {
    assertThat(Suggestions.editDistance("opne", "open")).isEqualTo(1);
    assertThat(Suggestions.editDistance("open", "openat")).isEqualTo(2);
    assertThat(Suggestions.editDistance("run.egnine", "run.engine")).isEqualTo(1);
    // optimal string alignment: a swapped pair is not edited again
    assertThat(Suggestions.editDistance("ca", "abc")).isEqualTo(3);
  }

  @Test
  void editDistanceOfALongWordIsComputedWithoutATableOfItsLength() {
    String huge = "x".repeat(2_000_000);
    assertThat(Suggestions.editDistance(huge, "run.seed")).isEqualTo(huge.length());
  }

  @Test
  void closestIsTheFirstOfTheNearestWithinReach() {
    List<String> known = List.of("exec", "exit", "fork");
    assertThat(Suggestions.closest("exic", known, 1)).isEqualTo("exec"); // one edit from both: the first
    assertThat(Suggestions.closest("exut", known, 1)).isEqualTo("exit");
    assertThat(Suggestions.closest("spawn", known, 1)).isNull();
  }

  @Test
  void reachMayDependOnTheKnownWord() {
    List<String> known = List.of("fork", "spawn-thread");
    assertThat(Suggestions.closest("forkxx", known, k -> Math.max(1, k.length() / 3))).isNull();
    assertThat(Suggestions.closest("spawn-thrd", known, k -> Math.max(1, k.length() / 3)))
        .isEqualTo("spawn-thread");
  }

  @Test
  void didYouMeanNamesTheClosestOrNothing() {
    List<String> known = List.of("name", "ops");
    assertThat(Suggestions.didYouMean("nmae", known, 1)).isEqualTo("; did you mean 'name'?");
    assertThat(Suggestions.didYouMean("program", known, 2)).isEmpty();
  }

  @Test
  void nearestRanksByDistanceThenSharedPrefixThenName() {
    List<String> known = List.of("openat", "open", "one", "read", "pread64", "readv", "close");
    assertThat(Suggestions.nearest("opne", known, 3, 5)).containsExactly("open", "one", "openat");
    assertThat(Suggestions.nearest("abc", List.of("abe", "abd"), 1, 5)).containsExactly("abd", "abe");
    assertThat(Suggestions.nearest("read", known, 1, 5)).containsExactly("read", "readv", "pread64");
    assertThat(Suggestions.nearest("read", known, 1, 2)).containsExactly("read", "readv");
    assertThat(Suggestions.nearest("zzzz", known, 1, 5)).isEmpty();
  }
}
