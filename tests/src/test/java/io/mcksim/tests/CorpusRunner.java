package io.mcksim.tests;

import io.mcksim.cli.Mcksim;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the bad-input corpus (every {@code *.case} under a folder; {@code bad-input/README.md}) one case
 * at a time through {@link Mcksim#execute}, in this JVM, and writes one result line per case. Started
 * by {@link BadInputCorpusTest} in a child JVM whose working folder and {@code user.dir} are the
 * scratch root and whose {@code user.home} is {@code <scratch root>/home}.
 *
 * <p>Each case gets a scratch root holding only {@code home/} and its own folder, with its files
 * written; then it must end with its exit code, print every expected fragment and no absent one, print
 * no stack trace and at most {@value #MAX_OUTPUT_BYTES} bytes, let no Throwable escape, change nothing
 * under the scratch root outside its {@code {out}} folder, and, unless it exits 0, leave {@code {out}}
 * as it was (absent, or as the case's files made it). A case still running after the guard timeout
 * ({@code corpus.timeout} seconds, default 120) is reported as a hang and the runner stops, since its
 * thread cannot be taken back. {@code corpus.filter} runs only the cases whose name contains one of its
 * comma-separated substrings.
 *
 * <p>Usage: {@code CorpusRunner CORPUS_FOLDER WORK_FOLDER}; results go to {@code WORK_FOLDER/}{@value
 * #RESULTS}, the folders of failing cases to {@code WORK_FOLDER/failed/}. Exit code 0: every case
 * passed; 1: some failed; 3: stopped at a hang.
 */
public final class CorpusRunner {

  /** The results file in the work folder. */
  static final String RESULTS = "results.tsv";
  /** Output beyond this is counted, not kept. */
  static final int KEEP_BYTES = 1 << 20;
  /** A case printing more than this fails: unbounded output is a bug. */
  static final long MAX_OUTPUT_BYTES = 8L << 20;
  /** The stack of the thread that runs a case: as {@code bin/mcksim}'s {@code -Xss4m}. */
  private static final long STACK_BYTES = 4L << 20;

  /** Lines that belong to a stack trace or an exception that escaped to the user. */
  private static final Pattern STACK_TRACE = Pattern.compile(
      "^\\tat |Exception in thread|^Caused by: |\\bjava\\.[\\w.$]*(Error|Exception)\\b",
      Pattern.MULTILINE);

  private final Path corpus;
  private final Path work;
  private final Path scratch;
  private final Path home;
  private final long timeoutSeconds;
  private final PrintStream console = System.out;
  private long peakHeap;

  private CorpusRunner(Path corpus, Path work, long timeoutSeconds) {
    this.corpus = corpus;
    this.work = work;
    this.scratch = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    this.home = Path.of(System.getProperty("user.home")).toAbsolutePath();
    this.timeoutSeconds = timeoutSeconds;
  }

  /**
   * One case's result, one tab-separated line of {@value #RESULTS}.
   *
   * @param name     the case's path under the corpus folder
   * @param passed   whether it passed
   * @param exit     the exit code it ended with (-1: none)
   * @param wallMs   wall time, milliseconds
   * @param heapMb   the JVM's peak heap during the case, MB (the heap pools' peaks, summed)
   * @param reason   why it failed ("" if it passed)
   * @param excerpt  the start of its output if it failed ("" if it passed)
   */
  record Result(String name, boolean passed, int exit, long wallMs, long heapMb, String reason, String excerpt) {

    static final String PREFIX = "case";

    String line() {
      return String.join("\t", PREFIX, escape(name), passed ? "pass" : "fail", Integer.toString(exit),
          Long.toString(wallMs), Long.toString(heapMb), escape(reason), escape(excerpt));
    }

    static Result parse(String line) {
      String[] f = line.split("\t", -1);
      if (f.length != 8 || !f[0].equals(PREFIX)) {
        throw new IllegalArgumentException("not a result line: " + line);
      }
      return new Result(unescape(f[1]), f[2].equals("pass"), Integer.parseInt(f[3]), Long.parseLong(f[4]),
          Long.parseLong(f[5]), unescape(f[6]), unescape(f[7]));
    }

    private static String escape(String s) {
      return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String s) {
      StringBuilder b = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\' && i + 1 < s.length()) {
          char n = s.charAt(++i);
          b.append(switch (n) {
            case 't' -> '\t';
            case 'n' -> '\n';
            case 'r' -> '\r';
            default -> n;
          });
        } else {
          b.append(c);
        }
      }
      return b.toString();
    }
  }

  /** The last line of a complete results file: how many cases ran and the peak heap over all of them. */
  static String summaryLine(int cases, long peakHeapMb, long maxHeapMb) {
    return "runner\tcases=" + cases + "\tpeakHeapMb=" + peakHeapMb + "\tmaxHeapMb=" + maxHeapMb;
  }

  /** The line that ends the results when a case hung (the remaining cases did not run). */
  static final String STOPPED = "stopped";

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: CorpusRunner CORPUS_FOLDER WORK_FOLDER");
      System.exit(2);
    }
    CorpusRunner runner = new CorpusRunner(Path.of(args[0]).toAbsolutePath(), Path.of(args[1]).toAbsolutePath(),
        Long.getLong("corpus.timeout", 120));
    int code = runner.runAll(cases(runner.corpus, System.getProperty("corpus.filter", "")));
    System.out.flush();
    System.err.flush();
    // threads a case left behind (actor systems, a hung run) must not keep this JVM alive
    Runtime.getRuntime().halt(code);
  }

  /** The case files under {@code corpus} whose name contains one of the filter's substrings, in name order. */
  static List<String> cases(Path corpus, String filter) throws IOException {
    List<String> parts = Arrays.stream(filter.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    try (Stream<Path> walk = Files.walk(corpus)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(".case") && Files.isRegularFile(p))
          .map(p -> corpus.relativize(p).toString().replace('\\', '/'))
          .filter(n -> parts.isEmpty() || parts.stream().anyMatch(n::contains))
          .sorted()
          .toList();
    }
  }

  private int runAll(List<String> names) throws IOException {
    deleteTree(work.resolve("failed"));
    int failures = 0;
    try (PrintWriter results = new PrintWriter(Files.newBufferedWriter(work.resolve(RESULTS), StandardCharsets.UTF_8))) {
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        console.printf("[%d/%d] %s%n", i + 1, names.size(), name);
        Outcome outcome = runOne(name);
        results.println(outcome.result().line());
        results.flush();
        console.printf("  %s (exit %d, %d ms, %d MB)%s%n", outcome.result().passed() ? "pass" : "FAIL",
            outcome.result().exit(), outcome.result().wallMs(), outcome.result().heapMb(),
            outcome.result().passed() ? "" : ": " + outcome.result().reason());
        if (!outcome.result().passed()) {
          failures++;
        }
        if (outcome.hung()) {
          results.println(STOPPED + "\t" + name + " hung; " + (names.size() - i - 1) + " cases did not run");
          return 3;
        }
      }
      results.println(summaryLine(names.size(), peakHeap >> 20, Runtime.getRuntime().maxMemory() >> 20));
    }
    return failures == 0 ? 0 : 1;
  }

  /** A case's result, and whether its command was still running at the guard timeout. */
  private record Outcome(Result result, boolean hung) {}

  /** How the command ended: its exit code, or the Throwable that escaped it. */
  private record Ended(int code, Throwable escaped) {}

  private Outcome runOne(String name) throws IOException {
    Path dir = scratch.resolve(name.substring(0, name.length() - ".case".length()));
    Path out = dir.resolve("out");
    cleanScratch();
    CorpusCase c;
    InputStream stdin;
    try {
      c = CorpusCase.parse(name, Files.readString(corpus.resolve(name), StandardCharsets.UTF_8)).filled(dir, home);
      stdin = writeFiles(c, dir);
    } catch (CorpusCase.Malformed | IOException e) {
      return new Outcome(new Result(name, false, -1, 0, 0, "malformed case file: " + e.getMessage(), ""), false);
    }
    FolderSnapshot outBefore = FolderSnapshot.of(out, null);
    FolderSnapshot before = FolderSnapshot.of(scratch, out);
    BoundedCapture capture = new BoundedCapture(KEEP_BYTES);
    System.gc();
    List<MemoryPoolMXBean> heapPools = heapPools();
    heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
    CompletableFuture<Ended> ended = new CompletableFuture<>();
    Thread worker = new Thread(null, () -> {
      try {
        ended.complete(new Ended(Mcksim.execute(c.args().toArray(String[]::new)), null));
      } catch (Throwable t) {
        ended.complete(new Ended(-1, t));
      }
    }, "corpus-case", STACK_BYTES);
    worker.setDaemon(true);
    long start = System.nanoTime();
    InputStream oldIn = System.in;
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    PrintStream captured = new PrintStream(capture, true, StandardCharsets.UTF_8);
    boolean hung = false;
    Ended end;
    try {
      System.setIn(stdin);
      System.setOut(captured);
      System.setErr(captured);
      worker.start();
      end = ended.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      hung = true;
      end = new Ended(-1, null);
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    } finally {
      System.setIn(oldIn);
      System.setOut(oldOut);
      System.setErr(oldErr);
      stdin.close();
    }
    long wallMs = (System.nanoTime() - start) / 1_000_000;
    long heap = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    peakHeap = Math.max(peakHeap, heap);
    String output = capture.text();
    List<String> problems = new ArrayList<>();
    String excerpt = excerpt(output);
    if (hung) {
      problems.add("hung: still running after the guard timeout of " + timeoutSeconds + " s");
      excerpt += "\n-- where it was:\n" + stack(worker.getStackTrace());
    } else {
      check(c, end, output, capture.total(), problems);
      if (end.escaped() != null) {
        excerpt += "\n-- escaped:\n" + end.escaped() + "\n" + stack(end.escaped().getStackTrace());
      }
      checkFiles(before, FolderSnapshot.of(scratch, out), out, outBefore, end.code(), problems);
    }
    Result result = new Result(name, problems.isEmpty(), end.code(), wallMs, heap >> 20,
        String.join("; ", problems), problems.isEmpty() ? "" : excerpt);
    if (!problems.isEmpty() && !hung) {
      keep(dir, name);
    }
    return new Outcome(result, hung);
  }

  /** Writes the case's files into {@code dir} and returns its standard input. */
  private InputStream writeFiles(CorpusCase c, Path dir) throws IOException {
    Files.createDirectories(dir);
    InputStream stdin = new ByteArrayInputStream(new byte[0]);
    for (Map.Entry<String, List<String>> f : c.files().entrySet()) {
      if (f.getKey().equals(CorpusCase.STDIN)) {
        Path file = work.resolve("stdin");
        CorpusCase.write(f.getValue(), file, dir, home);
        stdin = new java.io.BufferedInputStream(Files.newInputStream(file));
      } else {
        CorpusCase.write(f.getValue(), dir.resolve(f.getKey()), dir, home);
      }
    }
    return stdin;
  }

  /** The exit code, the fragments, the output's size, stack traces and escaped Throwables. */
  private static void check(CorpusCase c, Ended end, String output, long bytes, List<String> problems) {
    if (end.escaped() != null) {
      problems.add("a Throwable escaped Mcksim.execute: " + end.escaped());
    } else if (end.code() != c.exit()) {
      problems.add("exit " + end.code() + ", expected " + c.exit());
    }
    if (bytes > MAX_OUTPUT_BYTES) {
      problems.add("printed " + bytes + " bytes, more than " + MAX_OUTPUT_BYTES + " (unbounded output)");
    }
    for (String f : c.expect()) {
      if (!output.contains(f)) {
        problems.add("missing fragment '" + f + "'");
      }
    }
    for (String f : c.absent()) {
      if (output.contains(f)) {
        problems.add("printed the absent fragment '" + f + "'");
      }
    }
    var m = STACK_TRACE.matcher(output);
    if (m.find()) {
      int from = output.lastIndexOf('\n', m.start()) + 1;
      int to = output.indexOf('\n', m.start());
      problems.add("stack trace or escaped exception: " + output.substring(from, to < 0 ? output.length() : to).strip());
    }
  }

  /** Nothing changed outside {@code out}; and {@code out} as it was unless the command exited 0. */
  private static void checkFiles(FolderSnapshot before, FolderSnapshot after, Path out, FolderSnapshot outBefore,
      int exit, List<String> problems) throws IOException {
    List<String> outside = after.changesSince(before, 5);
    if (!outside.isEmpty()) {
      problems.add("changed files outside {out}: " + String.join(", ", outside));
    }
    if (exit != 0) {
      List<String> inOut = FolderSnapshot.of(out, null).changesSince(outBefore, 5);
      if (!inOut.isEmpty()) {
        problems.add("exit " + exit + " but {out} was written: " + String.join(", ", inOut));
      }
    }
  }

  private static String excerpt(String output) {
    int limit = 2_000;
    return output.length() <= limit ? output : output.substring(0, limit) + "\n... (" + output.length()
        + " characters kept in all)";
  }

  private static String stack(StackTraceElement[] frames) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Math.min(frames.length, 25); i++) {
      b.append("  at ").append(frames[i]).append('\n');
    }
    return b.toString();
  }

  private static List<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
  }

  /** Leaves the scratch root holding an empty home folder only. */
  private void cleanScratch() throws IOException {
    try (Stream<Path> top = Files.list(scratch)) {
      for (Path p : top.toList()) {
        deleteTree(p);
      }
    }
    Files.createDirectories(home);
  }

  /** Moves a failing case's folder out of the scratch root, to look at later. */
  private void keep(Path dir, String name) throws IOException {
    if (Files.exists(dir)) {
      Path kept = work.resolve("failed").resolve(name.substring(0, name.length() - ".case".length()));
      Files.createDirectories(kept.getParent());
      Files.move(dir, kept);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        p.toFile().setWritable(true);
        Files.deleteIfExists(p);
      }
    }
  }
}
