package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every command-line option is checked like a scenario key: a bad value, an unknown option or command,
 * a missing value ends with exit code 2 before anything runs, and one line that names the option (a
 * scenario problem adds its one-line heading), never a stack trace or the whole usage.
 */
class OptionsCliTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "run --threads -5                 | --threads -5: run.threads: -5 is out of range; expected 0-1024",
      "run --threads 5000               | --threads 5000: run.threads",
      "run --threads abc                | mcksim run: Invalid value for option '--threads': 'abc' is not an int",
      "run --seed 1e3                   | Invalid value for option '--seed': '1e3' is not a long",
      "run --seed                       | Missing required parameter for option '--seed'",
      "run --sed 3                      | Unknown option: '--sed'; did you mean --set or --seed?",
      "runn                             | mcksim: unknown command 'runn'; did you mean run?",
      "frobnicate                       | mcksim: unknown command 'frobnicate'",
      "chaos --threads -5               | --threads -5: out of range; expected 0-1024",
      "chaos --threads 99999            | --threads 99999: out of range; expected 0-1024",
      "chaos --seeds 9..2               | --seeds '9..2': the range is reversed",
      "chaos --seeds 1..100000000       | --seeds '1..100000000': 100,000,000 seeds; a campaign runs at most 1,000,000",
      "chaos --seeds 0..9223372036854775807 | a campaign runs at most 1,000,000",
      "chaos --seeds x                  | --seeds 'x': expected A..B",
      "chaos --replay abc               | Invalid value for option '--replay': 'abc' is not a long",
      "compare-os --nodes ,,            | --nodes: expected a list of values, for example --nodes 1,64,1024",
      "compare-os --nodes 0             | --nodes 0: machine.nodes: 0 is out of range",
      "compare-os --nodes x             | Invalid value for option '--nodes'",
      "bench phold --entities -1        | --entities -1: phold.entities: -1 is out of range",
      "bench phold --remote 2           | --remote 2.0: phold.remote-fraction",
      "bench phold --threads -1         | --threads -1: run.threads",
      "bench phold --engine quantum     | --engine quantum: run.engine: 'quantum' is not one of",
      "bench phold --lookahead {        | --lookahead {: phold.lookahead: cannot parse",
      "bench ikc --packets 0            | --packets 0: out of range; expected 1-1000000000",
      "bench ikc --packets 99999999999  | --packets 99999999999: out of range",
      "bench ikc --threads -3           | --threads -3: out of range; expected 0-1024",
      "bench bsp --nodes 0              | --nodes 0: machine.nodes: 0 is out of range",
      "bench bsp --iterations -1        | --iterations -1: workload.bsp.iterations",
      "bench bsp --engine quantum       | --engine quantum: run.engine",
      "bench bsp --os windows           | --os windows: os.model",
      "bench frob                       | mcksim bench: unknown command 'frob'",
      "shell --out                      | Missing required parameter for option '--out'",
      "config --set                     | Missing required parameter for option '--set'",
      "config a.conf b.conf             | mcksim config: Unmatched argument at index 2: 'b.conf'"})
  void aBadOptionEndsWithExitCode2AndOneLineNamingIt(String line, String expected) {
    CliRun o = CliRun.of(line.split(" "));
    assertThat(o.code()).as(o.err()).isEqualTo(2);
    assertThat(o.err()).contains(expected);
    assertThat(o.err().lines().count()).as(o.err()).isLessThanOrEqualTo(2);
    assertThat(o.err()).doesNotContain("Exception", "\tat ", "Usage:");
    assertThat(o.out()).isEmpty();
  }

  @Test
  void aRangeCheckNamesTheOptionItsValueAndTheRange() {
    assertThat(Options.inRange("--packets", 5L, 1, 10)).isEqualTo(5);
    assertThatThrownBy(() -> Options.inRange("--packets", 0L, 1, Long.MAX_VALUE))
        .hasMessage("--packets 0: out of range; expected 1 or more");
    assertThatThrownBy(() -> Options.threads("--threads", 1025))
        .hasMessage("--threads 1025: out of range; expected 0-1024");
    assertThatThrownBy(() -> Options.nonEmpty("--nodes", List.of(), "1,2"))
        .hasMessage("--nodes: expected a list of values, for example --nodes 1,2");
  }

  @Test
  void anOptionThatSetsAScenarioKeyIsNamedInsteadOfItsOverrideAndTheUsersOwnSetIsLeftAlone() {
    Options.Keys keys = Options.keys().put("--threads", "run.threads", -5).put("--seed", "run.seed", null);
    assertThat(keys.overrides()).containsExactly("run.threads=-5");
    List<String> all = new java.util.ArrayList<>(List.of("run.sed=3"));
    all.addAll(keys.overrides());
    assertThatThrownBy(() -> keys.load(() -> new io.mcksim.config.ScenarioLoader().load(null, all)))
        .hasMessageContaining("--threads -5: run.threads: -5 is out of range")
        .hasMessageContaining("--set run.sed=3: run.sed");
  }
}
