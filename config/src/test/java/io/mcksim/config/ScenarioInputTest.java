package io.mcksim.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scenario's text within its bounds: size, encoding, nesting, includes, substitutions, output. */
class ScenarioInputTest {

  @TempDir
  Path dir;

  private final ScenarioLoader loader = new ScenarioLoader();

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  private ConfigProblem onlyProblem(Path file, String... overrides) {
    ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> loader.load(file, List.of(overrides)));
    assertThat(e).as("the scenario should have been rejected").isNotNull();
    assertThat(e.problems()).hasSize(1);
    return e.problems().get(0);
  }

  @Nested
  class TheText {

    @Test
    void aFileLargerThanTheLimitIsRefusedWithoutReadingItAll() throws IOException {
      Path file = dir.resolve("big.conf");
      Files.write(file, ("# " + "x".repeat(1000) + "\n").repeat(1100).getBytes(StandardCharsets.UTF_8));

      ConfigProblem p = onlyProblem(file);

      assertThat(p.origin()).isEqualTo(file.toString());
      assertThat(p.message()).contains("more than 1024 KiB");
    }

    @Test
    void binaryIsNotAScenario() throws IOException {
      Path file = dir.resolve("bin.conf");
      Files.write(file, new byte[] {'r', 'u', 'n', '.', 's', 'e', 'e', 'd', '=', (byte) 0xff, (byte) 0xfe, 0, 1});

      assertThat(onlyProblem(file).message()).contains("is not UTF-8 text");
    }

    @Test
    void aNulCharacterIsReportedAtItsLine() throws IOException {
      Path file = write("nul.conf", "run.seed = 3\nrun.threads = 1\u0000\n");

      ConfigProblem p = onlyProblem(file);

      assertThat(p.origin()).isEqualTo(file + ":2");
      assertThat(p.message()).contains("NUL");
    }

    @Test
    void aByteOrderMarkIsSkipped() throws IOException {
      Path file = write("bom.conf", "\uFEFFrun.seed = 3\n");

      assertThat(loader.load(file, List.of()).run().seed()).isEqualTo(3);
    }

    @Test
    void anEmptyFileIsTheDefaults() throws IOException {
      assertThat(loader.load(write("empty.conf", ""), List.of()).run()).isEqualTo(loader.defaults().run());
    }

    @Test
    void aDeviceIsNotAScenarioFile() {
      Path zero = Path.of("/dev/zero");
      if (Files.exists(zero)) {
        assertThat(onlyProblem(zero).message()).contains("not a regular file");
      }
    }
  }

  @Nested
  class Nesting {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{ a = ", "[", "{ a = [ "})
    void deeperThanTheLimitIsRefusedAtTheLineItPasses(String level) throws IOException {
      StringBuilder sb = new StringBuilder("run.seed = 1\nx = ");
      for (int i = 0; i < 100_000; i++) {
        sb.append(level).append(i % 1000 == 999 ? "\n" : "");
      }
      Path file = write("deep.conf", sb.toString());

      ConfigProblem p = onlyProblem(file);

      assertThat(p.origin()).startsWith(file + ":");
      assertThat(p.message()).contains("nest more than 320 levels");
    }

    @Test
    void threeHundredTwentyLevelsAreFine() throws IOException {
      Path file = write("deep.conf", "sweep { a = " + "[".repeat(319) + "1" + "]".repeat(319) + " }\n");

      ConfigProblem p = onlyProblem(file);

      assertThat(p.message()).doesNotContain("nest more than");
    }

    @Test
    void theNestingAroundAnIncludeCounts() throws IOException {
      write("inner.conf", "b = " + "[".repeat(200) + "]".repeat(200) + "\n");
      Path file = write("outer.conf", "a " + "{ a ".repeat(130) + "{ include \"inner.conf\" }" + "}".repeat(130) + "\n");

      ConfigProblem p = onlyProblem(file);

      assertThat(p.origin()).isEqualTo(dir.resolve("inner.conf") + ":1");
      assertThat(p.message()).contains("nest more than 320", "131 around the include");
    }

    @Test
    void anUnclosedBraceIsReportedWhereItOpens() throws IOException {
      Path file = write("open.conf", "run.seed = 1\nrun {\n  threads = 2\n");

      ConfigProblem p = onlyProblem(file);

      assertThat(p.origin()).isEqualTo(file + ":2");
      assertThat(p.message()).contains("brace '{' opened here is never closed");
    }

    @Test
    void aStringLeftOpenIsReportedAtItsLine() throws IOException {
      Path file = write("string.conf", "run.seed = 1\nos.image = \"mckernel.img\n");

      ConfigProblem p = onlyProblem(file);

      assertThat(p.origin()).isEqualTo(file + ":2");
      assertThat(p.message()).contains("quoted string is not closed");
    }

    @Test
    void braceMismatchIsReportedWithBothLines() throws IOException {
      Path file = write("mismatch.conf", "workload.showcase.bsp-nodes = [1,\n 2 }\n");

      ConfigProblem p = onlyProblem(file);

      assertThat(p.origin()).isEqualTo(file + ":2");
      assertThat(p.message()).contains("bracket '[' opened at line 1");
    }
  }

  @Nested
  class Includes {

    @Test
    void anIncludedFileIsReadRelativeToItsIncluder() throws IOException {
      write("sub/common.conf", "run.seed = 42\nrun.threads = 3\n");
      Path file = write("sub/s.conf", "include \"common.conf\"\nrun.threads = 2\n");

      Scenario s = loader.load(file, List.of());

      assertThat(s.run().seed()).isEqualTo(42);
      assertThat(s.run().threads()).isEqualTo(2);
    }

    @Test
    void aMissingIncludeIsAnErrorAtItsLine() throws IOException {
      Path file = write("s.conf", "run.seed = 1\ninclude \"comon.conf\"\n");

      ConfigProblem p = onlyProblem(file);

      assertThat(p.origin()).isEqualTo(file + ":2");
      assertThat(p.message()).contains("include \"comon.conf\": no such file");
    }

    @Test
    void aMissingIncludeInAnIncludedFileNamesThatFile() throws IOException {
      write("a.conf", "run.seed = 1\n\ninclude file(\"nope.conf\")\n");
      Path file = write("s.conf", "include \"a.conf\"\n");

      ConfigProblem p = onlyProblem(file);

      assertThat(p.origin()).isEqualTo(dir.resolve("a.conf") + ":3");
    }

    @Test
    void aUrlIsRefusedWithoutANetworkRequest() throws IOException {
      // a port nothing listens on, on an address that routes nowhere: a request would hang or fail
      Path file = write("s.conf", "include url(\"http://10.255.255.1:9/x.conf\")\n");

      ConfigProblem p = onlyProblem(file);

      assertThat(p.origin()).isEqualTo(file + ":1");
      assertThat(p.message()).contains("cannot include from the network");
    }

    @Test
    void aClasspathResourceIsRefused() throws IOException {
      Path file = write("s.conf", "include required(classpath(\"reference.conf\"))\n");

      assertThat(onlyProblem(file).message()).contains("includes files only");
    }

    @Test
    void aFileCannotIncludeItself() throws IOException {
      write("b.conf", "include \"a.conf\"\n");
      Path file = write("a.conf", "include \"b.conf\"\n");

      ConfigProblem p = onlyProblem(file);

      assertThat(p.message()).contains("a file cannot include itself");
    }

    @Test
    void includesNestAtMostEightDeep() throws IOException {
      for (int i = 1; i <= 9; i++) {
        write("f" + i + ".conf", "include \"f" + (i + 1) + ".conf\"\n");
      }
      write("f10.conf", "run.seed = 3\n");

      ConfigProblem p = onlyProblem(dir.resolve("f1.conf"));

      assertThat(p.message()).contains("includes nest more than 8 deep");
      assertThat(p.origin()).isEqualTo(dir.resolve("f9.conf") + ":1");
    }

    @Test
    void eightDeepIsFine() throws IOException {
      for (int i = 1; i <= 8; i++) {
        write("f" + i + ".conf", "include \"f" + (i + 1) + ".conf\"\n");
      }
      write("f9.conf", "run.seed = 3\n");

      assertThat(loader.load(dir.resolve("f1.conf"), List.of()).run().seed()).isEqualTo(3);
    }

    @Test
    void includedTextCountsTowardsTheLimit() throws IOException {
      String half = ("# " + "x".repeat(1000) + "\n").repeat(600);
      write("a.conf", half);
      write("b.conf", half);
      Path file = write("s.conf", "include \"a.conf\"\ninclude \"b.conf\"\n");

      assertThat(onlyProblem(file).message()).contains("more than 1024 KiB");
    }

    @Test
    void anIncludeInASetIsReadToo() throws IOException {
      write("seed.conf", "seed = 9\n");

      Scenario s = loader.load(null, List.of("run = { include \"" + dir.resolve("seed.conf") + "\" }"));

      assertThat(s.run().seed()).isEqualTo(9);
    }
  }

  @Nested
  class Substitutions {

    @Test
    void aValueDoubledAgainAndAgainIsRefusedBeforeItExpands() throws IOException {
      Path file = write("s.conf", "os.kargs = \"hidos\"\n" + "os.kargs = ${os.kargs}${os.kargs}\n".repeat(40));

      ConfigProblem p = onlyProblem(file);

      assertThat(p.path()).isEqualTo("os.kargs");
      assertThat(p.message()).contains("may expand the scenario to as many as");
    }

    @Test
    void aListDoubledThroughOtherKeysIsRefused() throws IOException {
      StringBuilder sb = new StringBuilder("costs.syscall.local.a0 = [1, 2, 3, 4]\n");
      for (int i = 1; i < 40; i++) {
        sb.append("costs.syscall.local.a").append(i).append(" = ${costs.syscall.local.a").append(i - 1)
            .append("} ${costs.syscall.local.a").append(i - 1).append("}\n");
      }
      Path file = write("s.conf", sb.toString());

      assertThat(onlyProblem(file).message()).contains("may expand the scenario");
    }

    @Test
    void ordinaryUseIsFine() throws IOException {
      Path file = write("s.conf", """
          base = 2us
          costs.lifecycle.message = ${base}
          costs.ikc.latency = ${base}
          os.kargs = ${os.kargs}" quiet"
          workload.bsp.syscalls = [write]
          workload.bsp.syscalls += getpid
          """.replace("base = 2us\n", "costs.syscall.local.base = 2us\n").replace("${base}",
          "${costs.syscall.local.base}"));

      Scenario s = loader.load(file, List.of());

      assertThat(s.ikc().latency()).isEqualTo(2_000);
      assertThat(s.os().kargs()).isEqualTo("hidos quiet");
      assertThat(s.workload().bsp().syscalls()).containsExactly("write", "getpid");
    }

    @Test
    void aMissingEnvironmentVariableIsAProblem() throws IOException {
      Path file = write("s.conf", "os.image = ${MCKSIM_NO_SUCH_VARIABLE_SET}\n");

      ConfigProblem p = onlyProblem(file);

      assertThat(p.origin()).isEqualTo(file + ":1");
      assertThat(p.message()).contains("MCKSIM_NO_SUCH_VARIABLE_SET");
    }

    @Test
    void aCycleIsAProblem() throws IOException {
      Path file = write("s.conf", "costs.syscall.local.a = ${costs.syscall.local.b}\n"
          + "costs.syscall.local.b = ${costs.syscall.local.a}\n");

      ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> loader.load(file, List.of()));

      assertThat(e.getMessage()).contains("cycle");
    }
  }

  @Nested
  class LinearTime {

    @Test
    void twentyThousandDottedKeysLoad() throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 20_000; i++) {
        sb.append("costs.syscall.local.call").append(i).append(" = ").append(i % 100).append("ns\n");
      }
      Path file = write("s.conf", sb.toString());

      Scenario s = loader.load(file, List.of());

      assertThat(s.syscalls().local()).hasSize(20_000 + loader.defaults().syscalls().local().size())
          .containsEntry("call19999", 99L);
      assertThat(ConfigProblem.placeOf(s.config().getValue("costs.syscall.local.call19999").origin()))
          .isEqualTo(file + ":20000");
    }

    @Test
    void thousandsOfUnknownKeysAreCountedNotEachReported() throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 5_000; i++) {
        sb.append("foo.bar").append(i).append(" = 1\n");
      }
      Path file = write("s.conf", sb.toString());

      ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> loader.load(file, List.of()));

      assertThat(e.problems()).hasSize(KeySchema.UNKNOWN_KEYS_REPORTED + 1);
      assertThat(e.getMessage()).contains("and 4,950 more unknown keys");
    }

    @Test
    void manySetsMergeInOrder() {
      List<String> sets = new java.util.ArrayList<>();
      for (int i = 0; i < 3_000; i++) {
        sets.add("run.seed=" + i);
      }

      assertThat(loader.load(null, sets).run().seed()).isEqualTo(2_999);
    }
  }

  @Nested
  class TheEffectiveConfiguration {

    @Test
    void aScenarioNearTheLimitReachesAWorkerJvmWhole() throws IOException {
      Path file = write("s.conf", "os.kargs = \"hidos " + "x".repeat(1_000_000) + "\"\n");
      Scenario s = loader.load(file, List.of());

      Scenario copy = loader.loadText(s.text(), "the scenario sent by the coordinating JVM");

      assertThat(copy.os().kargs()).isEqualTo(s.os().kargs());
    }

    @Test
    void oneLongValueDoesNotWidenEveryLine() {
      String out = loader.load(null, List.of("os.kargs=\"hidos " + "x".repeat(50_000) + "\"")).render();

      List<String> lines = out.lines().toList();
      assertThat(lines).allSatisfy(l -> assertThat(l.length()).satisfiesAnyOf(
          n -> assertThat(n).isLessThanOrEqualTo(Scenario.WIDTH),
          n -> assertThat(l).startsWith("os.kargs")));
      assertThat(out.length()).isLessThan(50_000 + lines.size() * Scenario.WIDTH);
    }
  }
}
