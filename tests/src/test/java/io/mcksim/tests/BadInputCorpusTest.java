package io.mcksim.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bad-input corpus ({@code src/test/resources/bad-input/}, format in its README): every case through
 * the real entry point, all in one child JVM with a 512 MB heap ({@link CorpusRunner}), each ending with
 * its exit code and messages, no stack trace, nothing changed outside its output folder. Fails listing
 * every failing case with its reason and the start of its output; the child's console is in
 * {@code target/bad-input/runner.log}, failing cases' folders in {@code target/bad-input/failed/}.
 *
 * <p>{@code -Dcorpus.filter=scenario/,deep} runs only the cases whose name contains one of the
 * substrings; {@code -Dcorpus.timeout=SECONDS} sets the guard against hangs (default 120).
 */
class BadInputCorpusTest {

  private static final Path MODULE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  private static final Path CORPUS = MODULE.resolve("src/test/resources/bad-input");
  private static final Path WORK = MODULE.resolve("target/bad-input");

  @Test
  void everyCaseEndsWithItsCodeAndMessageAndNoStackTraceAndTouchesNothingOutsideItsOutputFolder()
      throws IOException, InterruptedException {
    String filter = System.getProperty("corpus.filter", "");
    long timeout = Long.getLong("corpus.timeout", 120);
    List<String> cases = CorpusRunner.cases(CORPUS, filter);
    assertThat(cases).as("cases under %s matching '%s'", CORPUS, filter).isNotEmpty();

    CorpusRunner.deleteTree(WORK);
    Path scratch = WORK.resolve("scratch");
    Path home = scratch.resolve("home");
    Files.createDirectories(home);
    Path log = WORK.resolve("runner.log");
    Process runner = new ProcessBuilder(ChildJvm.command(
        List.of("-Duser.dir=" + scratch, "-Duser.home=" + home, "-Dcorpus.filter=" + filter,
            "-Dcorpus.timeout=" + timeout),
        CorpusRunner.class.getName(), List.of(CORPUS.toString(), WORK.toString())))
        .directory(scratch.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    if (!runner.waitFor(cases.size() * (timeout + 30) + 120, TimeUnit.SECONDS)) {
      runner.destroyForcibly().waitFor();
      fail("the corpus runner did not end; its console: " + log);
    }

    List<String> lines = Files.readAllLines(WORK.resolve(CorpusRunner.RESULTS), StandardCharsets.UTF_8);
    List<CorpusRunner.Result> results = lines.stream().filter(l -> l.startsWith(CorpusRunner.Result.PREFIX + "\t"))
        .map(CorpusRunner.Result::parse).toList();
    String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    List<String> failures = new ArrayList<>();
    for (CorpusRunner.Result r : results) {
      if (!r.passed()) {
        failures.add(r.name() + " (exit " + r.exit() + ", " + r.wallMs() + " ms): " + r.reason()
            + (r.excerpt().isBlank() ? "" : "\n    " + r.excerpt().strip().replace("\n", "\n    ")));
      }
    }
    if (!last.startsWith("runner\t")) {
      failures.add(last.startsWith(CorpusRunner.STOPPED) ? "the runner stopped: " + last.substring(8)
          : "the runner died (exit " + runner.exitValue() + ") after " + results.size() + " of " + cases.size()
              + " cases; its console: " + log);
    }
    System.out.printf("bad-input corpus: %d of %d cases ran, %d failed; %s%n", results.size(), cases.size(),
        results.stream().filter(r -> !r.passed()).count(), last);
    if (!failures.isEmpty()) {
      fail("the bad-input corpus (" + cases.size() + " cases) failed; console " + log + ":\n"
          + String.join("\n", failures));
    }
    assertThat(results).hasSize(cases.size());
  }
}
