package io.mcksim.cli;

import io.mcksim.config.ScenarioLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Mutants of the shipped example scenarios, to fuzz the scenario's validation: each a function of one
 * example and a seed (a line deleted, duplicated or swapped with another, a number replaced by 0, -1,
 * a huge value or a non-number, the file cut short), and the guarded trial of a command line in this
 * JVM ({@link Trial}) that runs them through {@link Mcksim#execute} as a user would.
 */
public final class ScenarioMutants {

  /** What a mutant changed. */
  public enum Kind {
    DELETE_LINE, DUPLICATE_LINE, SWAP_LINES, NUMBER_ZERO, NUMBER_MINUS_ONE, NUMBER_HUGE, NUMBER_NOT_A_NUMBER,
    CUT_SHORT;

    /** The kind's name as the summary shows it, e.g. {@code number-huge}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** Values beyond every range: the largest long and one above, an exponent, a long, one above an int. */
  static final List<String> HUGE = List.of("9223372036854775807", "9223372036854775808", "1e300", "99999999999",
      "2147483648");
  /** Values that are no number at all (the empty one leaves a unit alone, e.g. {@code us}). */
  static final List<String> NOT_NUMBERS = List.of("x", "NaN", "Infinity", "", "1.2.3", "true", "null");

  /** A number outside a comment: digits (with a fraction) that do not continue a word or a number. */
  private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])\\d+(?:\\.\\d+)?");

  private ScenarioMutants() {
  }

  /**
   * A shipped example.
   *
   * @param name its file name, e.g. {@code fwq.conf}
   * @param text its content
   */
  public record Example(String name, String text) {}

  /**
   * One mutant.
   *
   * @param seed    the seed it was drawn from
   * @param example the example's file name
   * @param kind    what changed
   * @param change  where and how, e.g. {@code line 7: "calls = 1000" -> "calls = 0"}
   * @param text    the mutated scenario
   */
  public record Mutant(long seed, String example, Kind kind, String change, String text) {}

  /** The examples: every {@code *.conf} in {@code folder}, in name order. */
  public static List<Example> examples(Path folder) throws IOException {
    List<Example> examples = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted().toList()) {
        examples.add(new Example(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8)));
      }
    }
    return examples;
  }

  /** The mutant that {@code seed} draws from {@code example}: the same seed gives the same mutant. */
  public static Mutant mutant(Example example, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
    List<String> lines = new ArrayList<>(Arrays.asList(example.text().split("\n", -1)));
    List<Integer> content = contentLines(lines);
    String change = switch (kind) {
      case DELETE_LINE -> {
        int i = content.get(random.nextInt(content.size()));
        yield "line " + (i + 1) + " deleted: " + quoted(lines.remove(i));
      }
      case DUPLICATE_LINE -> {
        int i = content.get(random.nextInt(content.size()));
        lines.add(i + 1, lines.get(i));
        yield "line " + (i + 1) + " duplicated: " + quoted(lines.get(i));
      }
      case SWAP_LINES -> {
        int a = random.nextInt(content.size());
        int b = content.size() == 1 ? a : (a + 1 + random.nextInt(content.size() - 1)) % content.size();
        int i = content.get(a);
        int j = content.get(b);
        String first = lines.get(i);
        lines.set(i, lines.get(j));
        lines.set(j, first);
        yield "lines " + (i + 1) + " and " + (j + 1) + " swapped: " + quoted(first) + ", " + quoted(lines.get(i));
      }
      case NUMBER_ZERO -> replaceNumber(lines, random, "0");
      case NUMBER_MINUS_ONE -> replaceNumber(lines, random, "-1");
      case NUMBER_HUGE -> replaceNumber(lines, random, HUGE.get(random.nextInt(HUGE.size())));
      case NUMBER_NOT_A_NUMBER -> replaceNumber(lines, random, NOT_NUMBERS.get(random.nextInt(NOT_NUMBERS.size())));
      case CUT_SHORT -> {
        int at = random.nextInt(Math.max(1, example.text().length()));
        lines = List.of(example.text().substring(0, at));
        yield "cut at byte " + at + " of " + example.text().length();
      }
    };
    return new Mutant(seed, example.name(), kind, change, String.join("\n", lines));
  }

  /** The indices of the lines that are neither blank nor comments (all lines if there is none). */
  private static List<Integer> contentLines(List<String> lines) {
    List<Integer> content = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).substring(0, codeEnd(lines.get(i))).isBlank()) {
        content.add(i);
      }
    }
    if (content.isEmpty()) {
      for (int i = 0; i < lines.size(); i++) {
        content.add(i);
      }
    }
    return content;
  }

  /** Replaces one number outside comments, drawn uniformly (the file is left as it is if it has none). */
  private static String replaceNumber(List<String> lines, SplittableRandom random, String value) {
    List<int[]> numbers = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = NUMBER.matcher(lines.get(i)).region(0, codeEnd(lines.get(i)));
      while (m.find()) {
        numbers.add(new int[] {i, m.start(), m.end()});
      }
    }
    if (numbers.isEmpty()) {
      return "no number to replace";
    }
    int[] n = numbers.get(random.nextInt(numbers.size()));
    String before = lines.get(n[0]);
    String after = before.substring(0, n[1]) + value + before.substring(n[2]);
    lines.set(n[0], after);
    return "line " + (n[0] + 1) + ": " + quoted(before) + " -> " + quoted(after);
  }

  /** Where a line's comment ({@code #} or {@code //} outside double quotes) starts, or its length. */
  private static int codeEnd(String line) {
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == '#' || line.startsWith("//", i))) {
        return i;
      }
    }
    return line.length();
  }

  private static String quoted(String line) {
    return "\"" + line.strip() + "\"";
  }

  /**
   * A mutant that failed (it ended with another code than 0 or 2, hung, printed a stack trace or too
   * much, or a Throwable escaped), or that {@code config} accepted and {@code run} refused.
   *
   * @param mutant  the mutant
   * @param command {@code config} or {@code run}
   * @param exit    the exit code (-1: none)
   * @param problem what went wrong
   * @param output  the start of what it printed, and where it hung or what escaped
   */
  public record Finding(Mutant mutant, String command, int exit, String problem, String output) {

    /** One line: the seed, the example, the mutation, the command, its exit code and the problem. */
    public String line() {
      return "seed " + mutant.seed() + " " + mutant.example() + " " + mutant.kind().label() + " (" + mutant.change()
          + "): " + command + " exit " + exit + ": " + problem;
    }
  }

  /**
   * A fuzzing campaign: mutants from consecutive seeds (seed s mutates example s mod the number of
   * examples), each through {@code config FILE} and, with {@code run}, each mutant that {@code config}
   * accepts and that keeps its example's {@code workload.type} through {@code run FILE --quiet --out DIR}
   * too. The file keeps its example's name, so the messages read as a user would see them. Every
   * command must end with exit 0 or 2 and no stack trace; a campaign stops early after {@value #MAX_HUNG}
   * hangs (their threads keep running).
   */
  public static final class Campaign {

    /** Hangs after which a campaign stops: each leaves a thread running. */
    public static final int MAX_HUNG = 3;
    /** The columns of the summary's table, after the mutation's name. */
    private static final List<String> COLUMNS = List.of("mutants", "config 0", "config 2", "run 0", "run 2",
        "failures");

    private final List<Example> examples;
    private final Path work;
    private final boolean run;
    private final long timeoutSeconds;
    private final Map<String, long[]> byKind = new LinkedHashMap<>();
    private final Map<String, Long> byExit = new TreeMap<>();
    private final List<Finding> failures = new ArrayList<>();
    private final List<Finding> refusedByRun = new ArrayList<>();
    private final Map<String, String> types = new HashMap<>();
    private long mutants;
    private int hung;

    /**
     * @param examples       the examples to mutate (not empty)
     * @param work           a folder for the mutant's file and its report (created; emptied after each)
     * @param run            whether accepted mutants also go through {@code run}
     * @param timeoutSeconds the guard timeout of each command
     */
    public Campaign(List<Example> examples, Path work, boolean run, long timeoutSeconds) {
      if (examples.isEmpty()) {
        throw new IllegalArgumentException("no example to mutate");
      }
      this.examples = List.copyOf(examples);
      this.work = work;
      this.run = run;
      this.timeoutSeconds = timeoutSeconds;
      for (Kind k : Kind.values()) {
        byKind.put(k.label(), new long[COLUMNS.size()]);
      }
    }

    /** The mutant of {@code seed}. */
    public Mutant mutant(long seed) {
      return ScenarioMutants.mutant(examples.get((int) Math.floorMod(seed, (long) examples.size())), seed);
    }

    /** Runs the mutant of {@code seed}; returns its failures (none if it passed). */
    public List<Finding> trial(long seed) throws IOException {
      Mutant m = mutant(seed);
      mutants++;
      long[] row = byKind.get(m.kind().label());
      row[0]++;
      Files.createDirectories(work);
      Path file = work.resolve(m.example());
      Files.writeString(file, m.text(), StandardCharsets.UTF_8);
      List<Finding> found = new ArrayList<>();
      int config = command(m, "config", found, file.toString());
      if (config == 0 && run && found.isEmpty()) {
        if (sameWorkload(m)) {
          command(m, "run", found, file.toString(), "--quiet", "--out", work.resolve("report").toString());
        } else {
          byExit.merge("run skipped (workload.type changed)", 1L, Long::sum);
        }
      }
      deleteTree(work);
      if (!found.isEmpty()) {
        row[COLUMNS.size() - 1]++;
        failures.addAll(found);
      }
      return found;
    }

    /**
     * Whether the mutant runs its example's workload: one that lost its {@code workload.type} runs the
     * default showcase, which is neither this example's run nor cheap.
     */
    private boolean sameWorkload(Mutant m) {
      String example = types.computeIfAbsent(m.example(), name -> examples.stream().filter(e -> e.name().equals(name))
          .map(e -> new ScenarioLoader().loadText(e.text(), name).workload().type()).findFirst().orElseThrow());
      try {
        return new ScenarioLoader().loadText(m.text(), m.example()).workload().type().equals(example);
      } catch (RuntimeException e) {
        return true;  // config accepted it: let run say what it says
      }
    }

    /** Runs one command on the mutant, tallies its exit code and adds what went wrong to {@code found}. */
    private int command(Mutant m, String name, List<Finding> found, String... args) {
      String[] line = new String[args.length + 1];
      line[0] = name;
      System.arraycopy(args, 0, line, 1, args.length);
      Trial t = Trial.of(timeoutSeconds, line);
      List<String> problems = new ArrayList<>(t.problems(timeoutSeconds));
      if (t.exit() != 0 && t.exit() != 2 && t.escaped() == null && !t.hung()) {
        problems.add("exit " + t.exit() + " (expected 0 or 2): " + firstLine(t.output()));
      }
      if (t.exit() == 2 && name.equals("run")) {
        refusedByRun.add(new Finding(m, "run", 2, "config accepted it, run refused it: " + firstLine(t.output()), ""));
      }
      if (t.hung()) {
        hung++;
      }
      String key = name + " " + (t.hung() ? "hung" : t.escaped() != null ? "Throwable" : Integer.toString(t.exit()));
      byExit.merge(key, 1L, Long::sum);
      int column = COLUMNS.indexOf(key);
      if (column > 0) {
        byKind.get(m.kind().label())[column]++;
      }
      if (!problems.isEmpty()) {
        found.add(new Finding(m, name, t.exit(), String.join("; ", problems), excerpt(t.output()) + t.where(12)));
      }
      return t.exit();
    }

    /** Whether it stopped early (too many hangs). */
    public boolean stopped() {
      return hung >= MAX_HUNG;
    }

    public List<Finding> failures() {
      return failures;
    }

    /** The mutants accepted by config that run refused (exit 2): no failure, but worth a look. */
    public List<Finding> refusedByRun() {
      return refusedByRun;
    }

    /** Mutants run so far. */
    public long mutants() {
      return mutants;
    }

    /** Commands that hung. */
    public int hung() {
      return hung;
    }

    /** The examples mutated, by file name. */
    public List<String> exampleNames() {
      return examples.stream().map(Example::name).toList();
    }

    /** Commands by outcome ({@code config 0}, {@code run hung}, ...) and how many ended so. */
    public Map<String, Long> byOutcome() {
      return byExit;
    }

    /** The counts by mutation, one per {@link #COLUMNS} entry. */
    public Map<String, long[]> byMutation() {
      return byKind;
    }

    /** The columns of {@link #byMutation}: mutants, config 0, config 2, run 0, run 2, failures. */
    public static List<String> columns() {
      return COLUMNS;
    }

    /** The counts by exit code and by kind, the failures and the mutants run refused after config accepted them. */
    public String summary() {
      StringBuilder b = new StringBuilder();
      b.append(mutants).append(" mutants of ").append(examples.size()).append(" examples; exit codes: ");
      b.append(String.join(", ", byExit.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList()));
      b.append("; ").append(failures.size()).append(" failures");
      if (stopped()) {
        b.append(" (stopped after ").append(hung).append(" hangs)");
      }
      b.append("\n\n");
      List<String> head = new ArrayList<>(List.of("mutation"));
      head.addAll(COLUMNS);
      List<String[]> rows = new ArrayList<>();
      for (Map.Entry<String, long[]> e : byKind.entrySet()) {
        List<String> cells = new ArrayList<>(List.of(e.getKey()));
        Arrays.stream(e.getValue()).forEach(v -> cells.add(Long.toString(v)));
        rows.add(cells.toArray(String[]::new));
      }
      b.append(Table.render(head.toArray(String[]::new), rows, 1));
      appendFindings(b, "failures", failures);
      appendFindings(b, "accepted by config, refused by run", refusedByRun);
      return b.toString();
    }

    private static void appendFindings(StringBuilder b, String title, List<Finding> findings) {
      if (findings.isEmpty()) {
        return;
      }
      b.append("\n").append(title).append(" (").append(findings.size()).append("):\n");
      for (Finding f : findings) {
        b.append("  ").append(f.line()).append('\n');
      }
    }

    /**
     * The first line of the output that says something, with the next one if it ends with a colon
     * ({@code mcksim: 1 problem in the scenario:}), at most 300 characters.
     */
    private static String firstLine(String output) {
      List<String> lines = output.lines().filter(l -> !l.isBlank()).limit(2).map(String::strip).toList();
      String line = lines.isEmpty() ? "(no output)"
          : lines.get(0).endsWith(":") && lines.size() > 1 ? lines.get(0) + " " + lines.get(1) : lines.get(0);
      return line.length() <= 300 ? line : line.substring(0, 300) + " ...";
    }

    private static String excerpt(String output) {
      String s = output.strip();
      return (s.length() <= 600 ? s : s.substring(0, 600) + " ...") + "\n";
    }
  }

  /** The most mutants one campaign takes. */
  static final long MAX_MUTANTS = 1_000_000_000L;
  /** The longest guard timeout, seconds. */
  static final long MAX_TIMEOUT_SECONDS = 86_400;

  /**
   * What a fuzzing campaign did: its campaign (counts and findings), its first seed, the mutants it ran,
   * whether they went through {@code run} too, and the guard timeout.
   */
  record Fuzzed(Campaign campaign, long firstSeed, long mutants, boolean run, long timeoutSeconds) {}

  /** The name of a failing mutant's file in the report folder: {@code mutants/SEED-EXAMPLE}. */
  static String mutantFile(Mutant m) {
    return "mutants/" + m.seed() + "-" + m.example();
  }

  /**
   * {@code mcksim bench fuzz}: {@code mutants} mutants from seed {@code seed} on, of the examples in
   * {@code folder} (only those named in {@code only} if any). Prints each failure and the progress on
   * standard error ({@code fuzz: ...}); writes each failing mutant into {@code out} as it is found
   * ({@link #mutantFile}, a streamed file of the report folder, kept by a run that is interrupted as
   * {@code run --raw-samples} keeps its samples); the mutants' working files go into a temporary folder.
   */
  static Fuzzed fuzz(Path folder, List<String> only, long seed, long mutants, boolean run, long timeoutSeconds,
      OutputFolder out) throws IOException {
    List<Example> examples = chosen(folder, only);
    checkRange(seed, mutants, timeoutSeconds);
    Path work = Files.createTempDirectory("mcksim-fuzz-");
    try {
      Campaign campaign = new Campaign(examples, work.resolve("mutant"), run, timeoutSeconds);
      PrintStream console = System.err;
      long start = System.nanoTime();
      long done = 0;
      while (done < mutants && !campaign.stopped()) {
        List<Finding> found = campaign.trial(seed + done);
        if (!found.isEmpty()) {
          Files.writeString(out.streamed(mutantFile(found.get(0).mutant())), found.get(0).mutant().text(),
              StandardCharsets.UTF_8);
        }
        found.forEach(f -> console.println("fuzz: " + f.line()));
        done++;
        if (done % 1000 == 0 || done == mutants) {
          console.printf("fuzz: %d of %d mutants, %d failures, %d s%n", done, mutants, campaign.failures().size(),
              (System.nanoTime() - start) / 1_000_000_000L);
        }
      }
      return new Fuzzed(campaign, seed, done, run, timeoutSeconds);
    } finally {
      deleteTree(work);
    }
  }

  /** Refuses a campaign's options out of range (exit 2). */
  private static void checkRange(long seed, long mutants, long timeoutSeconds) {
    if (mutants < 1 || mutants > MAX_MUTANTS) {
      throw new IllegalArgumentException("--mutants " + mutants + ": give 1 to " + MAX_MUTANTS);
    }
    if (seed > Long.MAX_VALUE - (mutants - 1)) {
      throw new IllegalArgumentException("--seed " + seed + ": the seeds " + seed + " on would pass the largest "
          + "long; give at most " + (Long.MAX_VALUE - (mutants - 1)));
    }
    if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
      throw new IllegalArgumentException("--timeout " + timeoutSeconds + ": give 1 to " + MAX_TIMEOUT_SECONDS
          + " seconds");
    }
  }

  /** The examples in {@code folder}, or those of them named in {@code only} (with or without .conf). */
  private static List<Example> chosen(Path folder, List<String> only) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("--examples-dir " + folder + ": no such folder; run from the repository "
          + "root or name the folder of the examples");
    }
    List<Example> all = examples(folder);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("--examples-dir " + folder + ": no *.conf file in it");
    }
    List<Example> chosen = new ArrayList<>();
    for (String name : only) {
      String file = name.endsWith(".conf") ? name : name + ".conf";
      Example e = all.stream().filter(x -> x.name().equals(file)).findFirst().orElseThrow(() ->
          new IllegalArgumentException("--example " + name + ": no such example in " + folder + "; the examples: "
              + String.join(", ", all.stream().map(x -> x.name().replace(".conf", "")).toList())));
      if (!chosen.contains(e)) {
        chosen.add(e);
      }
    }
    return chosen.isEmpty() ? all : chosen;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * One command line run in this JVM as a user meets it, guarded: standard input from a stream,
   * standard output and error captured together (the first {@value #KEEP_BYTES} bytes kept, every byte
   * counted), any Throwable that escapes {@link Mcksim#execute} caught (a {@link StackOverflowError}
   * included: the command runs on a thread with {@code bin/mcksim}'s 4 MB stack), and a guard timeout
   * against hangs. A hung command's thread cannot be taken back: it is left running as a daemon.
   *
   * @param exit    the exit code (-1 if a Throwable escaped or it hung)
   * @param output  the start of what it printed
   * @param bytes   how many bytes it printed in all
   * @param escaped the Throwable that escaped, or null
   * @param hungAt  where the command's thread was at the guard timeout, or null if it ended
   */
  public record Trial(int exit, String output, long bytes, Throwable escaped, List<StackTraceElement> hungAt) {

    /** Output beyond this is counted, not kept. */
    public static final int KEEP_BYTES = 1 << 20;
    /** A command that prints more than this has a bug: output must be bounded. */
    public static final long MAX_OUTPUT_BYTES = 8L << 20;
    /** Lines of a stack trace or of an exception that escaped to the user. */
    public static final Pattern STACK_TRACE = Pattern.compile(
        "^\\tat |Exception in thread|^Caused by: |\\bjava\\.[\\w.$]*(Error|Exception)\\b", Pattern.MULTILINE);
    private static final long STACK_BYTES = 4L << 20;

    /** Runs {@code args} with {@code stdin} on standard input, for at most {@code timeoutSeconds}. */
    public static Trial of(InputStream stdin, long timeoutSeconds, String... args) {
      Capture capture = new Capture();
      CompletableFuture<Trial> ended = new CompletableFuture<>();
      Thread command = new Thread(null, () -> {
        try {
          int code = Mcksim.execute(args);
          ended.complete(new Trial(code, capture.text(), capture.total(), null, null));
        } catch (Throwable t) {
          ended.complete(new Trial(-1, capture.text(), capture.total(), t, null));
        }
      }, "mcksim-trial", STACK_BYTES);
      command.setDaemon(true);
      InputStream oldIn = System.in;
      PrintStream oldOut = System.out;
      PrintStream oldErr = System.err;
      PrintStream captured = new PrintStream(capture, true, StandardCharsets.UTF_8);
      try {
        System.setIn(stdin);
        System.setOut(captured);
        System.setErr(captured);
        command.start();
        return ended.get(timeoutSeconds, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        return new Trial(-1, capture.text(), capture.total(), null, List.of(command.getStackTrace()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while " + String.join(" ", args) + " ran", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      } finally {
        System.setIn(oldIn);
        System.setOut(oldOut);
        System.setErr(oldErr);
      }
    }

    /** The same with empty standard input. */
    public static Trial of(long timeoutSeconds, String... args) {
      return of(new ByteArrayInputStream(new byte[0]), timeoutSeconds, args);
    }

    public boolean hung() {
      return hungAt != null;
    }

    /** The first line of the output that belongs to a stack trace or an escaped exception. */
    public Optional<String> stackTraceLine() {
      Matcher m = STACK_TRACE.matcher(output);
      if (!m.find()) {
        return Optional.empty();
      }
      int from = output.lastIndexOf('\n', m.start()) + 1;
      int to = output.indexOf('\n', m.start());
      return Optional.of(output.substring(from, to < 0 ? output.length() : to).strip());
    }

    /**
     * What went wrong whatever the command: it hung, a Throwable escaped, it printed a stack trace or
     * more than {@value #MAX_OUTPUT_BYTES} bytes. Empty if nothing did.
     */
    public List<String> problems(long timeoutSeconds) {
      List<String> problems = new ArrayList<>();
      if (hung()) {
        problems.add("hung: still running after the guard timeout of " + timeoutSeconds + " s");
      }
      if (escaped != null) {
        problems.add("a Throwable escaped Mcksim.execute: " + escaped);
      }
      stackTraceLine().ifPresent(l -> problems.add("stack trace or escaped exception: " + l));
      if (bytes > MAX_OUTPUT_BYTES) {
        problems.add("printed " + bytes + " bytes, more than " + MAX_OUTPUT_BYTES + " (unbounded output)");
      }
      return problems;
    }

    /** Where it hung, or the escaped Throwable's stack: the first {@code frames} frames, one a line. */
    public String where(int frames) {
      List<StackTraceElement> stack = hung() ? hungAt
          : escaped != null ? List.of(escaped.getStackTrace()) : List.of();
      StringBuilder b = new StringBuilder();
      for (StackTraceElement e : stack.subList(0, Math.min(frames, stack.size()))) {
        b.append("  at ").append(e).append('\n');
      }
      return b.toString();
    }
  }

  /** Keeps the first {@link Trial#KEEP_BYTES} bytes written and counts them all. */
  private static final class Capture extends OutputStream {

    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long total;

    @Override
    public synchronized void write(int b) {
      if (total < Trial.KEEP_BYTES) {
        kept.write(b);
      }
      total++;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      kept.write(b, off, (int) Math.max(0, Math.min(len, Trial.KEEP_BYTES - total)));
      total += len;
    }

    synchronized long total() {
      return total;
    }

    synchronized String text() {
      return kept.toString(StandardCharsets.UTF_8);
    }
  }
}
