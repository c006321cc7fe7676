package io.mcksim.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.cli.Mcksim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of the shipped examples ({@code examples/*.conf}) through the real entry point:
 * {@code mcksim bench fuzz} in a child JVM with a 512 MB heap, for fixed seeds. Every mutant (a line
 * deleted, duplicated or swapped, a number made 0, -1, huge or no number, the file cut short) must end
 * with exit 0 or 2 and no stack trace. On failure the message lists each failing mutant with its seed
 * (the report's {@code bench-fuzz-failures.csv}); the mutants are in
 * {@code target/fuzz/NAME/mutants/SEED-EXAMPLE}, reproducible with {@code bin/mcksim bench
 * fuzz --mutants 1 --seed SEED --example EXAMPLE [--run]}.
 */
class MutationFuzzTest {

  private static final Path MODULE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  private static final Path EXAMPLES = MODULE.resolveSibling("examples");
  private static final Path WORK = MODULE.resolve("target/fuzz");

  @Test
  void twoThousandMutantsOfEveryExampleEndWithExitZeroOrTwoThroughConfig() throws Exception {
    fuzz("config", "--mutants", "2000", "--seed", "1");
  }

  /**
   * Mutants of the examples whose run takes about a second (syscalls, programs) that config accepts go
   * through run too: a run that fails (exit 1), hangs or crashes is a finding.
   */
  @Test
  void mutantsOfTheCheapExamplesThatConfigAcceptsEndWithExitZeroOrTwoThroughRun() throws Exception {
    fuzz("run", "--mutants", "150", "--seed", "1000000", "--run", "--example", "syscalls", "--example", "programs");
  }

  /** Runs {@code bench fuzz} with {@code options} into {@code target/fuzz/NAME} and expects exit 0. */
  private static void fuzz(String name, String... options) throws IOException, InterruptedException {
    Path out = WORK.resolve(name);
    CorpusRunner.deleteTree(out);
    Files.createDirectories(WORK);
    Path log = WORK.resolve(name + ".log");
    List<String> args = new ArrayList<>(List.of("bench", "fuzz", "--examples-dir", EXAMPLES.toString(),
        "--out", out.toString()));
    args.addAll(List.of(options));
    Process fuzz = new ProcessBuilder(ChildJvm.command(List.of(), Mcksim.class.getName(), args))
        .directory(WORK.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    if (!fuzz.waitFor(30, TimeUnit.MINUTES)) {
      fuzz.destroyForcibly().waitFor();
    }
    String console = Files.readString(log, StandardCharsets.UTF_8);
    Path failures = out.resolve("bench-fuzz-failures.csv");
    String details = Files.exists(failures) ? Files.readString(failures, StandardCharsets.UTF_8) : "";
    System.out.println(console);
    assertThat(fuzz.exitValue())
        .as("bench fuzz %s (console %s, mutants in %s):%n%s%n%s", String.join(" ", options), log, out, console,
            details)
        .isZero();
  }
}
