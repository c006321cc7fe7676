package io.mcksim.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import picocli.CommandLine.Option;

/**
 * {@code --json} and {@code --quiet}, for every command that has results: the console shows the text
 * summary, the result as one JSON object, or nothing but errors. The report folder is written the same
 * way in all three cases.
 */
class ResultOutput {

  @Option(names = "--json", description = "Print the result as one JSON object instead of the text summary.")
  boolean json;

  @Option(names = "--quiet", description = "Print nothing but errors, and the JSON with --json (the report is "
      + "still written).")
  boolean quiet;

  private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

  /** Whether the text summary is wanted. */
  boolean text() {
    return !json && !quiet;
  }

  /** Where the text summary goes: standard output, or nowhere under {@code --json} or {@code --quiet}. */
  PrintStream console() {
    return text() ? System.out : NOWHERE;
  }

  /** Prints the result's JSON under {@code --json} (with {@code --quiet} too: it is the result). */
  void printJson(Object json) {
    if (this.json) {
      System.out.println(json);
    }
  }
}
