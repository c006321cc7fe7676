package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What every command has in common: the version with the build's commit, the exit codes in its help,
 * {@code --json} and {@code --quiet} where it has results, and the completion script.
 */
class CliConventionsTest {

  @Test
  void versionNamesTheBuildAndItsCommit() {
    CliRun v = CliRun.of("--version");

    assertThat(v.code()).isZero();
    assertThat(v.out()).startsWith("mcksim " + BuildInfo.version() + " (commit " + BuildInfo.commit() + ")")
        .contains("Java ");
    assertThat(BuildInfo.version()).isNotBlank().isNotEqualTo("unknown");
    // a subcommand answers the same
    assertThat(CliRun.of("chaos", "--version").out()).isEqualTo(v.out());
  }

  @Test
  void everyCommandsHelpListsItsExitCodes() {
    CommandLine root = Mcksim.commandLine();
    List<CommandLine> all = new ArrayList<>();
    collect(root, all);
    assertThat(all).hasSizeGreaterThan(10);
    for (CommandLine c : all) {
      String help = c.getUsageMessage();
      assertThat(help).as(c.getCommandSpec().qualifiedName()).contains("Exit codes:")
          .containsPattern("(?m)^\\s+0\\s+success").containsPattern("(?m)^\\s+1\\s+")
          .containsPattern("(?m)^\\s+2\\s+bad input");
    }
    assertThat(CliRun.of("chaos", "--help").out()).containsPattern("1\\s+a seed broke an invariant");
  }

  @Test
  void aListOptionShowsItsFormOnce() {
    assertThat(CliRun.of("compare-os", "--help").out()).contains("--nodes=N[,N...]")
        .contains("Usage: mcksim compare-os [FILE] [--nodes=N[,N...]] [--set=KEY=VALUE]... [--out=DIR]")
        .doesNotContain("......");
  }

  @Test
  void theCompletionScriptKnowsTheCommandsAndTheirOptions() {
    CliRun c = CliRun.of("generate-completion");

    assertThat(c.code()).isZero();
    assertThat(c.out()).contains("complete -F", "chaos", "compare-os", "--seeds", "--replay");
    assertThat(CliRun.of("--help").out()).contains("generate-completion");
  }

  @Test
  void chaosPrintsOneJsonObjectOrNothing(@TempDir Path dir) throws Exception {
    CliRun json = CliRun.of("chaos", "../examples/chaos.conf", "--seeds", "1..2", "--threads", "1", "--json",
        "--out", dir.resolve("a").toString());
    assertThat(json.code()).as(json.err()).isZero();
    assertThat(json.out().trim()).startsWith("{").endsWith("}").contains("\"seeds\": 2")
        .doesNotContain("mcksim: chaos campaign");
    assertThat(json.out().trim() + "\n").isEqualTo(Files.readString(dir.resolve("a").resolve("report.json")));

    CliRun quiet = CliRun.of("chaos", "../examples/chaos.conf", "--seeds", "1..2", "--threads", "1", "--quiet",
        "--out", dir.resolve("b").toString());
    assertThat(quiet.code()).as(quiet.err()).isZero();
    assertThat(quiet.out()).isEmpty();
    assertThat(dir.resolve("b").resolve("seeds.csv")).exists();

    CliRun replay = CliRun.of("chaos", "../examples/chaos.conf", "--replay", "2", "--json",
        "--out", dir.resolve("c").toString());
    assertThat(replay.code()).as(replay.err()).isZero();
    assertThat(replay.out().trim()).startsWith("{\"schema\": \"mcksim-report\", \"version\": 2, \"kind\": "
        + "\"chaos_replay\"").contains("\"seed\": 2", "\"digest\": \"");
  }

  private static void collect(CommandLine c, List<CommandLine> into) {
    into.add(c);
    c.getSubcommands().values().forEach(s -> collect(s, into));
  }
}
