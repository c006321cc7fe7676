package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.cli.ScenarioMutants.Example;
import io.mcksim.cli.ScenarioMutants.Kind;
import io.mcksim.cli.ScenarioMutants.Mutant;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mutants of the example scenarios: one per seed, every kind drawn, comments left alone. */
class ScenarioMutantsTest {

  private static final Example EXAMPLE = new Example("s.conf", String.join("\n",
      "# a comment with 42 in it",
      "workload.type = fwq",
      "workload.fwq.iterations = 10000  # and 7 here",
      "workload.fwq.quantum = 100us",
      "run.seed = 3",
      ""));

  @Test
  void theSameSeedGivesTheSameMutantAndOtherSeedsGiveEveryKind() {
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    for (long seed = 0; seed < 400; seed++) {
      Mutant m = ScenarioMutants.mutant(EXAMPLE, seed);
      assertThat(ScenarioMutants.mutant(EXAMPLE, seed)).isEqualTo(m);
      assertThat(m.text()).as("seed %d: %s", seed, m.change()).isNotEqualTo(EXAMPLE.text());
      kinds.add(m.kind());
    }
    assertThat(kinds).containsExactlyInAnyOrder(Kind.values());
  }

  @Test
  void numbersAreReplacedOutsideCommentsOnlyAndCutsArePrefixes() {
    for (long seed = 0; seed < 400; seed++) {
      Mutant m = ScenarioMutants.mutant(EXAMPLE, seed);
      assertThat(m.text()).as("seed %d: %s", seed, m.change())
          .contains("# a comment with 42 in it".substring(0, Math.min(m.text().length(), 25)));
      if (m.kind() == Kind.CUT_SHORT) {
        assertThat(EXAMPLE.text()).startsWith(m.text());
      }
      if (m.kind().name().startsWith("NUMBER")) {
        assertThat(m.text()).contains("# and 7 here").contains("# a comment with 42 in it");
      }
    }
  }

  @Test
  void aCampaignOfMutantsOfAValidScenarioEndsWithExitZeroOrTwo(@TempDir Path dir) throws Exception {
    ScenarioMutants.Campaign campaign = new ScenarioMutants.Campaign(List.of(EXAMPLE), dir.resolve("work"), false,
        60);
    for (long seed = 0; seed < 40; seed++) {
      assertThat(campaign.trial(seed)).isEmpty();
    }
    assertThat(campaign.summary()).startsWith("40 mutants of 1 examples; exit codes: config 0: ")
        .contains("delete-line").contains("cut-short");
    assertThat(dir.resolve("work")).doesNotExist();
  }
}
