package io.mcksim.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScenarioLoaderTest {

  @TempDir
  Path dir;

  private final ScenarioLoader loader = new ScenarioLoader();

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  /** Loads a scenario that must be rejected and returns its problems. */
  private List<ConfigProblem> problems(Path file, String... overrides) {
    ScenarioException e = rejected(file, overrides);
    return e.problems();
  }

  private ScenarioException rejected(Path file, String... overrides) {
    ScenarioException e = catchThrowableOfType(ScenarioException.class,
        () -> loader.load(file, List.of(overrides)));
    assertThat(e).as("the scenario should have been rejected").isNotNull();
    return e;
  }

  private static String at(Path file, int line) {
    return file + ":" + line;
  }

  @Nested
  class Defaults {

    @Test
    void haveTheDocumentedValues() {
      Scenario s = loader.defaults();

      assertThat(s.run()).isEqualTo(new RunSettings(1, 100_000, "actors", 0, "booted"));
      assertThat(s.phold()).isEqualTo(new PholdSettings(100_000, 16, 4, 1_000, 1_000, 0.25));
    }

    @Test
    void areWhatLoadGivesWithoutFileOrOverrides() {
      Scenario s = loader.load(null, List.of());

      assertThat(s.run()).isEqualTo(loader.defaults().run());
      assertThat(s.phold()).isEqualTo(loader.defaults().phold());
      assertThat(s.config().getLong("run.seed")).isEqualTo(1);
    }

    @Test
    void renderShowsTheEffectiveConfiguration() {
      assertThat(loader.defaults().render())
          .contains("run.seed = 1 ", "phold.remote-fraction = 0.25 ", "# default\n");
    }

    @Test
    void renderFitsInAHundredColumnsAndReadsBackWithItsListsWrapped(@TempDir Path dir) throws IOException {
      String text = loader.defaults().render();

      assertThat(text.lines()).allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(Scenario.WIDTH));
      assertThat(text).contains("os.models.hobbes.local = [\n  \"mmap\", \"munmap\"");
      Path again = dir.resolve("again.conf");
      Files.writeString(again, text);
      assertThat(loader.load(again, List.of()).text()).isEqualTo(loader.defaults().text());
    }

    @Test
    void renderNamesWhereEachValueCameFromAndReadsBackAsTheSameScenario(@TempDir Path dir)
        throws IOException {
      Path file = dir.resolve("s.conf");
      Files.writeString(file, "run.seed = 7\nphold { entities = 500 }\n");
      Scenario s = loader.load(file, List.of("run.engine=sequential"));
      String text = s.render();
      assertThat(text).contains("run.seed = 7", "# " + file + ":1", "phold.entities = 500",
          "# " + file + ":2", "run.engine = \"sequential\"", "# --set run.engine=sequential",
          "run.end-time = \"100us\"", "# default");
      Path again = dir.resolve("again.conf");
      Files.writeString(again, text);
      assertThat(loader.load(again, List.of())).satisfies(r -> {
        assertThat(r.run()).isEqualTo(s.run());
        assertThat(r.phold()).isEqualTo(s.phold());
      });
    }
  }

  @Nested
  class Layering {

    @Test
    void fileOverridesDefaultsAndSetOverridesFile() throws IOException {
      Path file = write("s.conf", """
          run {
            seed = 7
            engine = sequential
          }
          phold.entities = 50
          phold.domains = 5
          """);

      Scenario s = loader.load(file, List.of("run.seed=9", "phold.population = 2"));

      assertThat(s.run().seed()).as("--set beats the file").isEqualTo(9);
      assertThat(s.run().engine()).as("file beats the default").isEqualTo("sequential");
      assertThat(s.run().threads()).as("default kept").isZero();
      assertThat(s.phold().entities()).isEqualTo(50);
      assertThat(s.phold().domains()).isEqualTo(5);
      assertThat(s.phold().population()).isEqualTo(2);
      assertThat(s.phold().remoteFraction()).isEqualTo(0.25);
    }

    @Test
    void laterSetWinsOverEarlierSet() {
      Scenario s = loader.load(null, List.of("run.seed=3", "run.seed=4"));

      assertThat(s.run().seed()).isEqualTo(4);
    }

    @Test
    void setCanRepairABadValueInTheFile() throws IOException {
      Path file = write("s.conf", "run.threads = -3\n");

      Scenario s = loader.load(file, List.of("run.threads=8"));

      assertThat(s.run().threads()).isEqualTo(8);
    }

    @Test
    void setValuesMayBeQuotedOrUnitful() {
      Scenario s = loader.load(null, List.of("run.engine=\"sequential\"", "run.end-time=2ms"));

      assertThat(s.run().engine()).isEqualTo("sequential");
      assertThat(s.run().endTimeNs()).isEqualTo(2_000_000);
    }
  }

  @Nested
  class Durations {

    @ParameterizedTest
    @CsvSource({
        "100us, 100000",
        "2ms, 2000000",
        "1s, 1000000000",
        "250ns, 250",
        "1.5us, 1500",
        "1500, 1500",
        "0, 0",
        "1e3, 1000",
    })
    void parseDurationNsAcceptsUnitsAndBareNanoseconds(String text, long ns) {
      assertThat(ScenarioLoader.parseDurationNs(text)).isEqualTo(ns);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "-5", "1.5", "null", "{}", "[1]"})
    void parseDurationNsRejectsNonDurations(String text) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> ScenarioLoader.parseDurationNs(text))
          .withMessageContaining("cannot read duration '" + text + "'");
    }

    @Test
    void fractionalBareNumberAsksForAUnit() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> ScenarioLoader.parseDurationNs("1.5"))
          .withMessageContaining("must be whole")
          .withMessageContaining("1.5us");
    }

    @Test
    void scenarioKeysTakeUnitsAndBareNanoseconds() throws IOException {
      Path file = write("d.conf", """
          run.end-time = 2ms
          phold.lookahead = 500
          phold.mean-delay = 3us
          """);

      Scenario s = loader.load(file, List.of());

      assertThat(s.run().endTimeNs()).isEqualTo(2_000_000);
      assertThat(s.phold().lookaheadNs()).isEqualTo(500);
      assertThat(s.phold().meanDelayNs()).isEqualTo(3_000);
    }

    @Test
    void quotedUnitlessDurationIsNanosecondsNotMilliseconds() throws IOException {
      // HOCON itself reads a unit-less duration string as milliseconds; a scenario means nanoseconds.
      Path file = write("d.conf", "run.end-time = \"5000\"\n");

      assertThat(loader.load(file, List.of()).run().endTimeNs()).isEqualTo(5_000);
    }

    @Test
    void zeroMeanDelayIsAllowedButZeroLookaheadIsNot() throws IOException {
      Path file = write("d.conf", """
          phold.mean-delay = 0
          phold.lookahead = 0
          """);

      assertThat(problems(file))
          .extracting(ConfigProblem::origin, ConfigProblem::path)
          .containsExactly(tuple(at(file, 2), "phold.lookahead"));
    }

    @Test
    void badDurationInAFileIsAProblemWithItsLine() throws IOException {
      Path file = write("d.conf", "\nrun.end-time = 1.5\nphold.mean-delay = soon\n");

      List<ConfigProblem> problems = problems(file);

      assertThat(problems)
          .extracting(ConfigProblem::origin, ConfigProblem::path)
          .containsExactlyInAnyOrder(
              tuple(at(file, 2), "run.end-time"),
              tuple(at(file, 3), "phold.mean-delay"));
      assertThat(problems).filteredOn(p -> p.path().equals("phold.mean-delay"))
          .singleElement().extracting(ConfigProblem::message).asString()
          .contains("soon", "100us");
    }
  }

  @Nested
  class Validation {

    @Test
    void reportsEveryProblemWithFileLineAndKeyPath() throws IOException {
      Path file = write("three.conf", """
          run {
            threads = -3
            engine = quantum
          }

          phold.remote-fraction = 1.5
          """);

      List<ConfigProblem> problems = problems(file);

      assertThat(problems)
          .extracting(ConfigProblem::origin, ConfigProblem::path)
          .containsExactlyInAnyOrder(
              tuple(at(file, 2), "run.threads"),
              tuple(at(file, 3), "run.engine"),
              tuple(at(file, 6), "phold.remote-fraction"));
      assertThat(problems).allSatisfy(p -> assertThat(p.origin()).contains("three.conf"));
      assertThat(message(problems, "run.threads")).contains("-3", "0-1024");
      assertThat(message(problems, "run.engine")).contains("quantum", "actors", "sequential");
      assertThat(message(problems, "phold.remote-fraction")).contains("1.5");
    }

    @Test
    void exceptionMessageListsEveryProblem() throws IOException {
      Path file = write("three.conf", """
          run.threads = -3
          phold.remote-fraction = 1.5
          run.engine = quantum
          """);

      ScenarioException e = rejected(file);

      assertThat(e.problems()).hasSize(3);
      assertThat(e.getMessage()).startsWith("3 problems in the scenario:");
      assertThat(e.getMessage().lines().skip(1))
          .containsExactlyElementsOf(e.problems().stream().map(p -> "  " + p).toList());
      assertThat(e.getMessage()).contains(
          at(file, 1) + ": run.threads: ",
          at(file, 2) + ": phold.remote-fraction: ",
          at(file, 3) + ": run.engine: ");
    }

    @Test
    void exceptionMessageForOneProblemIsSingular() {
      ScenarioException e = rejected(null, "run.threads=2000");

      assertThat(e.getMessage()).startsWith("1 problem in the scenario:")
          .contains("run.threads: 2000 is out of range");
    }

    @Test
    void unknownKeySuggestsTheNearestKnownOne() throws IOException {
      Path file = write("typo.conf", """
          # a comment

          run.sed = 3
          """);

      List<ConfigProblem> problems = problems(file);

      assertThat(problems).singleElement().satisfies(p -> {
        assertThat(p.origin()).isEqualTo(at(file, 3));
        assertThat(p.path()).isEqualTo("run.sed");
        assertThat(p.message()).contains("unknown key", "did you mean 'run.seed'");
      });
    }

    /** A key that said again what a costs.* key says is refused, with the key to set instead. */
    @Test
    void aRetiredKeyIsRefusedWithWhatReplacesItAndWhereItWasSet() throws IOException {
      Path file = write("old-chaos.conf", """
          chaos {
            proxy-forward = 2us
            job.syscall = 5us
            linux-work { period = 100us, work = 10us }
          }
          """);

      assertThat(problems(file))
          .extracting(ConfigProblem::origin, ConfigProblem::path)
          .containsExactlyInAnyOrder(
              tuple(at(file, 2), "chaos.proxy-forward"),
              tuple(at(file, 3), "chaos.job.syscall"),
              tuple(at(file, 4), "chaos.linux-work.period"));
      assertThat(problems(file)).allSatisfy(p -> assertThat(p.message()).startsWith("retired key: ")
          .doesNotContain("unknown key"));
      assertThat(problems(file)).extracting(ConfigProblem::message).anySatisfy(
          m -> assertThat(m).contains("costs.offload.*", "costs.ikc.*")).anySatisfy(
          m -> assertThat(m).contains("costs.syscall.linux.pwrite64")).anySatisfy(
          m -> assertThat(m).contains("no longer has a meaning", "chaos.linux-work.work"));
      assertThat(problems(null, "sweep.chaos.proxy-forward=[1us, 2us]")).singleElement()
          .extracting(ConfigProblem::message).asString().contains("retired key", "costs.offload.*");
    }

    @Test
    void unknownKeyFarFromAnyListsTheKeysOfItsSection() {
      assertThat(problems(null, "phold.zzzzzzzzzzzz=1")).singleElement()
          .extracting(ConfigProblem::message).asString()
          .contains("unknown key", "phold.entities", "phold.remote-fraction");
    }

    @Test
    void unknownSectionListsTheKnownSections() {
      assertThat(problems(null, "nonsense.key=1")).singleElement()
          .extracting(ConfigProblem::message).asString()
          .contains("unknown key", "known sections", "phold", "run");
    }

    @Test
    void unknownKeysAndBadValuesAreReportedTogether() throws IOException {
      Path file = write("mixed.conf", """
          run.sed = 3
          run.threads = -1
          """);

      assertThat(problems(file, "phold.population=0"))
          .extracting(ConfigProblem::origin, ConfigProblem::path)
          .containsExactlyInAnyOrder(
              tuple(at(file, 1), "run.sed"),
              tuple(at(file, 2), "run.threads"),
              tuple("--set phold.population=0", "phold.population"));
    }

    @Test
    void domainsMayNotExceedEntities() {
      assertThat(problems(null, "phold.entities=4")).singleElement()
          .satisfies(p -> {
            assertThat(p.path()).isEqualTo("phold.domains");
            assertThat(p.message()).contains("16", "1-4");
          });
    }

    @Test
    void badEntityCountDoesNotAlsoBlameTheDomainCount() {
      // Regression: an invalid phold.entities used to be read as 1, making the default 16 domains
      // a second, spurious problem blamed on reference.conf.
      assertThat(problems(null, "phold.entities=-1"))
          .extracting(ConfigProblem::path).containsExactly("phold.entities");
      assertThat(problems(null, "phold.entities=many"))
          .extracting(ConfigProblem::path).containsExactly("phold.entities");
    }

    @Test
    void fractionalWholeNumbersAreRejectedNotTruncated() throws IOException {
      Path file = write("frac.conf", """
          run.seed = 1.5
          run.threads = 2.5
          phold.seed-less = 1
          """);

      List<ConfigProblem> problems = problems(file);

      assertThat(problems)
          .extracting(ConfigProblem::origin, ConfigProblem::path)
          .containsExactlyInAnyOrder(
              tuple(at(file, 1), "run.seed"),
              tuple(at(file, 2), "run.threads"),
              tuple(at(file, 3), "phold.seed-less"));
      assertThat(message(problems, "run.threads")).contains("whole number", "2.5");
    }

    @Test
    void wholeNumbersMayBeWrittenAsExponentsOrStrings() {
      Scenario s = loader.load(null, List.of("phold.entities=1e3", "run.seed=\"42\""));

      assertThat(s.phold().entities()).isEqualTo(1000);
      assertThat(s.run().seed()).isEqualTo(42);
    }

    @Test
    void nullValueIsAProblemNotACrash() throws IOException {
      Path file = write("null.conf", "\nrun.seed = null\nphold.lookahead = null\n");

      assertThat(problems(file))
          .extracting(ConfigProblem::origin, ConfigProblem::path)
          .containsExactlyInAnyOrder(
              tuple(at(file, 2), "run.seed"),
              tuple(at(file, 3), "phold.lookahead"));
    }

    @Test
    void sectionSetToAValueIsOneProblemNotACrash() throws IOException {
      Path file = write("section.conf", "run.seed = 3\nphold = 5\n");

      assertThat(problems(file)).singleElement().satisfies(p -> {
        assertThat(p.origin()).isEqualTo(at(file, 2));
        assertThat(p.path()).isEqualTo("phold");
        assertThat(p.message()).contains("section", "5");
      });
    }

    @Test
    void sectionSetToNullIsOneProblem() {
      assertThat(problems(null, "run=null")).singleElement()
          .extracting(ConfigProblem::path).isEqualTo("run");
    }

    @Test
    void unresolvedSubstitutionIsAProblemWithFileLine() throws IOException {
      Path file = write("sub.conf", "run.seed = 3\nrun.threads = ${nowhere}\n");

      assertThat(problems(file)).singleElement().satisfies(p -> {
        assertThat(p.origin()).isEqualTo(at(file, 2));
        assertThat(p.message()).contains("nowhere");
      });
    }

    @Test
    void substitutionOfAnotherScenarioKeyResolves() throws IOException {
      Path file = write("sub.conf", "phold.lookahead = 3us\nphold.mean-delay = ${phold.lookahead}\n");

      assertThat(loader.load(file, List.of()).phold().meanDelayNs()).isEqualTo(3_000);
    }
  }

  @Nested
  class FilesAndOverrides {

    @Test
    void unbalancedCloseBraceReportsFileLine() throws IOException {
      Path file = write("brace.conf", """
          run {
            seed = 3
          }
          }
          phold.entities = 10
          """);

      assertThat(problems(file)).singleElement().satisfies(p -> {
        assertThat(p.origin()).isEqualTo(at(file, 4));
        assertThat(p.path()).isEqualTo("(syntax)");
        assertThat(p.message()).contains("brace").doesNotStartWith(file.toString());
      });
    }

    @Test
    void unclosedBraceReportsFileLine() throws IOException {
      Path file = write("open.conf", "run {\n  seed = 3\n");

      assertThat(problems(file)).singleElement().satisfies(p -> {
        assertThat(p.origin()).startsWith(file + ":");
        assertThat(p.path()).isEqualTo("(syntax)");
      });
    }

    @Test
    void syntaxErrorAndBadSetAreReportedTogether() throws IOException {
      Path file = write("brace.conf", "run { seed = 3 }\n}\n");

      assertThat(problems(file, "run.seed"))
          .extracting(ConfigProblem::origin)
          .containsExactlyInAnyOrder(at(file, 2), "--set");
    }

    @Test
    void missingFileIsAProblem() {
      Path missing = dir.resolve("nope.conf");

      assertThat(problems(missing)).singleElement().satisfies(p -> {
        assertThat(p.origin()).isEqualTo(missing.toString());
        assertThat(p.message()).contains("no such scenario file");
      });
    }

    @Test
    void directoryIsNotAScenarioFile() {
      assertThat(problems(dir)).singleElement()
          .extracting(ConfigProblem::message).asString().contains("is a folder, not a scenario file");
    }

    @Test
    void missingFileAndMalformedSetAreReportedTogether() {
      Path missing = dir.resolve("nope.conf");

      assertThat(problems(missing, "run.seed", "run.threads=1"))
          .extracting(ConfigProblem::origin, ConfigProblem::path)
          .containsExactly(tuple(missing.toString(), "(file)"), tuple("--set", "run.seed"));
    }

    @Test
    void setWithoutEqualsIsAProblem() {
      assertThat(problems(null, "run.seed")).singleElement().satisfies(p -> {
        assertThat(p.origin()).isEqualTo("--set");
        assertThat(p.path()).isEqualTo("run.seed");
        assertThat(p.message()).contains("key=value");
      });
    }

    @Test
    void setWithoutKeyIsAProblem() {
      assertThat(problems(null, "=5")).singleElement()
          .extracting(ConfigProblem::origin).isEqualTo("--set");
    }

    @Test
    void everyMalformedSetIsReported() {
      assertThat(problems(null, "run.seed", "run.seed=7", "run.threads", "run.engine={"))
          .extracting(ConfigProblem::path)
          .containsExactly("run.seed", "run.threads", "run.engine");
    }

    @Test
    void setValueThatDoesNotParseIsAProblem() {
      assertThat(problems(null, "run.seed={")).singleElement().satisfies(p -> {
        assertThat(p.origin()).isEqualTo("--set");
        assertThat(p.path()).isEqualTo("run.seed");
        assertThat(p.message()).contains("cannot parse '{'");
      });
    }

    @Test
    void badSetValueIsBlamedOnTheSet() throws IOException {
      Path file = write("s.conf", "run.threads = 4\n");

      assertThat(problems(file, "run.threads=-1")).singleElement().satisfies(p -> {
        assertThat(p.origin()).startsWith("--set run.threads=-1");
        assertThat(p.path()).isEqualTo("run.threads");
      });
    }

    @Test
    void unknownKeyInSetSuggestsTheKnownOne() {
      assertThat(problems(null, "run.engien=actors")).singleElement().satisfies(p -> {
        assertThat(p.origin()).startsWith("--set run.engien=actors");
        assertThat(p.message()).contains("did you mean 'run.engine'");
      });
    }

    @Test
    void swappedLettersSuggestTheKeyTheyCameFrom() {
      // one edit from workload.fwq.noise, two from workload.ftq.noise
      assertThat(problems(null, "workload.wfq.noise=none")).singleElement().satisfies(p ->
          assertThat(p.message()).isEqualTo("unknown key; did you mean 'workload.fwq.noise'?"));
    }
  }

  @Test
  void problemToStringOmitsAnEmptyOrigin() {
    assertThat(new ConfigProblem("", "run.seed", "bad")).hasToString("run.seed: bad");
    assertThat(new ConfigProblem("a.conf:3", "run.seed", "bad")).hasToString("a.conf:3: run.seed: bad");
  }

  private static String message(List<ConfigProblem> problems, String path) {
    return problems.stream().filter(p -> p.path().equals(path)).map(ConfigProblem::message)
        .reduce((a, b) -> {
          throw new AssertionError("problem for " + path + " reported twice: " + a + " / " + b);
        })
        .orElseThrow(() -> new AssertionError("no problem for " + path + " in " + problems));
  }
}
