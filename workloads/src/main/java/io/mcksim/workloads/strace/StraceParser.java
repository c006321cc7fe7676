package io.mcksim.workloads.strace;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the output of {@code strace -f} with {@code -ttt}, {@code -tt} or {@code -r}, with or without
 * {@code -T}, with or without pid prefixes ({@code 1234 } or {@code [pid 1234] }), from one file or from
 * the per-process files of {@code -ff -o PREFIX} (each file's pid from its name). Joins
 * {@code <unfinished ...>} and {@code <... resumed>} halves, even across threads; reports signals,
 * exits and kills; keeps error returns, truncated strings and arrays, and syscalls it has never heard
 * of.
 *
 * <p>It streams: each file is read line by line and each call goes to a {@link Sink} as soon as it is
 * complete, so that memory does not grow with the trace (only with the calls unfinished at a time).
 * Every line takes time linear in its length. A line it cannot read (garbage, a line cut short, a number
 * out of range) is reported as a {@link StraceTrace.BadLine} with its file and number and skipped, never
 * a crash. The ranges: pids 1 to {@value #MAX_PID}; timestamps up to {@value #MAX_SECONDS} s (a -ttt
 * timestamp, a sum of -r ones, days of -tt ones), each within {@value #MAX_SPAN_SECONDS} s of the
 * trace's first, and -T durations up to that too; lines up to {@value #MAX_LINE} characters.
 */
public final class StraceParser {

  private StraceParser() {}

  /** The largest pid (and thread id) Linux gives: PID_MAX_LIMIT on 64-bit machines. */
  public static final int MAX_PID = 4_194_304;

  /** The largest time (a timestamp, a sum of relative ones, a duration), in seconds: the year 2096 with -ttt. */
  public static final long MAX_SECONDS = 4_000_000_000L;

  /** {@link #MAX_SECONDS} in ns: a start plus a duration stays far from overflowing a long. */
  public static final long MAX_TIME_NS = MAX_SECONDS * 1_000_000_000L;

  /**
   * How far, in seconds, a timestamp may lie from the trace's first (31 years), and how long a call may
   * last: so that a replay stays well within the simulation's horizon.
   */
  public static final long MAX_SPAN_SECONDS = 1_000_000_000L;

  private static final long MAX_SPAN_NS = MAX_SPAN_SECONDS * 1_000_000_000L;

  /** The longest line read, in characters; a longer one is reported and skipped. */
  public static final int MAX_LINE = 1 << 20;

  /** Bad lines (and warnings) kept with their text for the report; the rest are counted. */
  public static final int KEPT = 1000;

  /** Where the lines of a file come from; each call opens them afresh. */
  public interface Lines {
    Reader open() throws IOException;
  }

  /**
   * One file of a trace.
   *
   * @param name  the file's name, for bad lines
   * @param pid   the pid of lines without a pid prefix: from a {@code -ff} file's name suffix, or -1
   * @param lines its text
   */
  public record Source(String name, int pid, Lines lines) {

    private static final Pattern SUFFIX = Pattern.compile(".*\\.(\\d{1,7})$");

    /** A file read as it is, its pid taken from a numeric suffix such as {@code trace.1234} when there is one. */
    public static Source of(Path file) {
      return new Source(file.toString(), pidOf(file.toString()),
          () -> Files.newBufferedReader(file, StandardCharsets.ISO_8859_1));
    }

    /** Lines in memory (tests, samples), named as a file would be. */
    public static Source of(String name, List<String> lines) {
      String text = String.join("\n", lines);
      return new Source(name, pidOf(name), () -> new StringReader(text));
    }

    /** The pid of a {@code -ff} file's name suffix, or -1 when there is none or it is out of range. */
    static int pidOf(String name) {
      Matcher m = SUFFIX.matcher(name);
      if (!m.matches()) {
        return -1;
      }
      int pid = Integer.parseInt(m.group(1));
      return pid >= 1 && pid <= MAX_PID ? pid : -1;
    }
  }

  /** Where the parser puts what it reads, as soon as it has read it. */
  public interface Sink {
    /** A complete call; each thread's calls come in the order they started. */
    void call(StraceCall call);

    /** Thread {@code tid} ended ("exited with 0", "killed by SIGKILL"), as line {@code where} says. */
    default void ended(int tid, String how, String where) {}

    /** Signal {@code name} was delivered to thread {@code tid}. */
    default void signal(int tid, String name) {}

    /** Something read that looks cut off or wrong, but is no bad line: a call still unfinished at the end. */
    default void warn(String warning) {}
  }

  private static final Pattern PID = Pattern.compile("^(?:\\[pid\\s+(\\d+)\\]|(\\d+))\\s+");
  private static final Pattern STAMP = Pattern.compile("^(\\d+)(?::(\\d+):(\\d+))?\\.(\\d+)\\s+");
  private static final Pattern CALL = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)\\(");
  private static final Pattern RESUMED = Pattern.compile("^<\\.\\.\\.\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+resumed>\\s?");
  private static final Pattern ERRNO = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final Pattern DURATION = Pattern.compile("<(\\d+)\\.(\\d+)>$");
  private static final Pattern EXIT = Pattern.compile(
      "^\\+\\+\\+\\s+(exited with -?\\d+|killed by [A-Z0-9]+(?: \\(core dumped\\))?|superseded by execve in pid \\d+)"
      + "\\s+\\+\\+\\+\\s*$");
  private static final Pattern SIGNAL = Pattern.compile("^---\\s+(?:stopped by\\s+)?([A-Z0-9]+)\\b.*---\\s*$");

  /**
   * Reads the files in order, each call to {@code sink}.
   *
   * @throws IOException when a file cannot be read (not for what it holds)
   */
  public static StraceTrace parse(List<Source> sources, Sink sink) throws IOException {
    return new Run(sink).parse(sources);
  }

  /** Why a number cannot be read: the line is bad. */
  private static final class OutOfRange extends Exception {
    OutOfRange(String why) {
      super(why, null, false, false);
    }
  }

  /** One parse: the state that lines build up. */
  private static final class Run {
    private final Sink sink;
    private final Capped<StraceTrace.BadLine> bad = new Capped<>(KEPT);
    /** Per thread, its unfinished call, by tid in order (so that what is left at the end is reported in order). */
    private final Map<Integer, Pending> pending = new HashMap<>();
    private String timing;
    private boolean durations;
    private long lines;
    private long calls;
    // per file: the sum of -r times, and for -tt the time of day before and the days passed
    private long relative;
    private long lastOfDay;
    private long dayOffset;
    /** The trace's first timestamp, or none yet. */
    private long origin = Long.MIN_VALUE;

    private record Pending(String name, long startNs, String text, String file, long line) {}

    Run(Sink sink) {
      this.sink = sink;
    }

    StraceTrace parse(List<Source> sources) throws IOException {
      for (Source s : sources) {
        relative = 0;
        lastOfDay = -1;
        dayOffset = 0;
        try (Reader r = s.lines().open()) {
          LineReader in = new LineReader(r);
          long number = 0;
          for (String raw = in.next(); raw != null; raw = in.next()) {
            lines++;
            number++;
            if (in.cut()) {
              bad(s.name(), number, raw, "longer than " + MAX_LINE + " characters");
              continue;
            }
            try {
              line(s, number, raw);
            } catch (OutOfRange e) {
              bad(s.name(), number, raw, e.getMessage());
            }
          }
        }
      }
      for (Map.Entry<Integer, Pending> e : new TreeMap<>(pending).entrySet()) {
        Pending p = e.getValue();
        sink.warn(p.file() + ":" + p.line() + ": the trace ends during " + p.name() + " of thread " + e.getKey()
            + " (<unfinished ...> never resumed; the trace is cut off?); the call is left out");
      }
      return new StraceTrace(lines, calls, timing == null ? "none" : timing, durations, bad);
    }

    private void bad(String file, long number, String raw, String why) {
      bad.add(new StraceTrace.BadLine(file, number, raw, why));
    }

    private void line(Source s, long number, String raw) throws OutOfRange {
      String text = raw.replace("\r", "");
      if (text.isBlank() || text.startsWith("strace: ")) {
        return;
      }
      text = text.stripLeading();
      int tid = s.pid() >= 0 ? s.pid() : 1;
      Matcher m = PID.matcher(text);
      if (m.find()) {
        tid = pid(m.group(1) != null ? m.group(1) : m.group(2));
        text = text.substring(m.end());
      }
      long time;
      m = STAMP.matcher(text);
      if (m.find()) {
        time = time(m);
        if (origin == Long.MIN_VALUE) {
          origin = time;
        } else if (Math.abs(time - origin) > MAX_SPAN_NS) {
          throw new OutOfRange("its time is " + Math.abs(time - origin) / 1_000_000_000L + " s from the trace's "
              + "first, more than " + MAX_SPAN_SECONDS + " s (31 years)");
        }
        text = text.substring(m.end());
      } else if (timing == null || timing.equals("none")) {
        timing = "none";
        time = 0;
      } else {
        throw new OutOfRange("no timestamp, unlike the lines before");
      }
      event(s, number, raw, tid, time, text);
    }

    private static int pid(String digits) throws OutOfRange {
      if (digits.length() > 7 || Integer.parseInt(digits) < 1 || Integer.parseInt(digits) > MAX_PID) {
        throw new OutOfRange("pid " + digits + " is out of range (1 to " + MAX_PID + ")");
      }
      return Integer.parseInt(digits);
    }

    /** The time of a timestamp, in ns: -tt (time of day), -ttt (since the epoch) or -r (since the line before). */
    private long time(Matcher m) throws OutOfRange {
      long frac = fraction(m.group(4));
      if (m.group(2) != null) { // -tt: HH:MM:SS.ffffff
        timing("absolute");
        long h = bounded(m.group(1), 23, "hour");
        long min = bounded(m.group(2), 59, "minute");
        long sec = bounded(m.group(3), 60, "second");
        long ofDay = ((h * 60 + min) * 60 + sec) * 1_000_000_000L + frac;
        long offset = dayOffset;
        if (lastOfDay >= 0 && ofDay + 12 * 3_600_000_000_000L < lastOfDay) {
          offset += 24 * 3_600_000_000_000L; // past midnight
        }
        long time = offset + ofDay;
        if (time > MAX_TIME_NS) {
          throw new OutOfRange("the trace runs past midnight more often than " + MAX_SECONDS + " s allow");
        }
        dayOffset = offset;
        lastOfDay = ofDay;
        return time;
      }
      long secs = bounded(m.group(1), MAX_SECONDS, "timestamp");
      if (secs >= 100_000_000L) { // -ttt: seconds since the epoch
        timing("absolute");
        return secs * 1_000_000_000L + frac;
      }
      timing("relative"); // -r: since the previous line
      long sum = relative + secs * 1_000_000_000L + frac;
      if (sum > MAX_TIME_NS) {
        throw new OutOfRange("the relative timestamps add up to more than " + MAX_SECONDS + " s");
      }
      relative = sum;
      return sum;
    }

    /** A whole number of at most {@code max}, else the line is bad. */
    private static long bounded(String digits, long max, String what) throws OutOfRange {
      long n = value(digits);
      if (n < 0 || n > max) {
        throw new OutOfRange(what + " " + digits + " is out of range (0 to " + max + ")");
      }
      return n;
    }

    private void timing(String kind) {
      if (timing == null || timing.equals("none")) {
        timing = kind;
      }
    }

    private void event(Source s, long number, String raw, int tid, long time, String text) throws OutOfRange {
      Matcher m;
      if ((m = EXIT.matcher(text)).matches()) {
        Pending p = pending.remove(tid);
        if (p != null) {
          sink.warn(p.file() + ":" + p.line() + ": thread " + tid + " ended during " + p.name()
              + " (<unfinished ...> never resumed); the call is left out");
        }
        sink.ended(tid, m.group(1), s.name() + ":" + number);
        return;
      }
      if ((m = SIGNAL.matcher(text)).matches()) {
        sink.signal(tid, m.group(1));
        return;
      }
      if ((m = RESUMED.matcher(text)).find()) {
        Pending p = pending.get(tid);
        if (p == null || !p.name().equals(m.group(1))) {
          throw new OutOfRange("resumes " + m.group(1) + " of thread " + tid + ", which did not start");
        }
        pending.remove(tid);
        complete(tid, p.startNs(), p.name(), p.text() + text.substring(m.end()), p.file(), p.line());
        return;
      }
      if ((m = CALL.matcher(text)).find()) {
        String name = m.group(1);
        String rest = text.substring(m.end());
        Pending p = pending.get(tid);
        if (p != null) {
          throw new OutOfRange("thread " + tid + " starts " + name + " while " + p.name() + " (line " + p.line()
              + ") is unfinished");
        }
        String trimmed = rest.stripTrailing();
        if (trimmed.endsWith("<unfinished ...>")) {
          String partial = trimmed.substring(0, trimmed.length() - "<unfinished ...>".length());
          pending.put(tid, new Pending(name, time, partial, s.name(), number));
          return;
        }
        complete(tid, time, name, rest, s.name(), number);
        return;
      }
      throw new OutOfRange("not a call, a signal or an exit");
    }

    /** A call from its text after "name(": the arguments, ")", and " = result ...". */
    private void complete(int tid, long start, String name, String rest, String file, long line) throws OutOfRange {
      int close = closing(rest);
      if (close < 0) {
        throw new OutOfRange("the arguments of " + name + " do not end (a line cut short?)");
      }
      Result r = result(rest.substring(close + 1));
      if (r == null) {
        throw new OutOfRange("no ' = result' after the arguments of " + name + " (a line cut short?)");
      }
      if (r.durationNs() >= 0) {
        durations = true;
      }
      calls++;
      sink.call(new StraceCall(tid, start, r.durationNs(), name, split(rest.substring(0, close)), r.value(),
          r.errno(), file, line));
    }
  }

  private record Result(String value, String errno, long durationNs) {}

  /**
   * What follows the arguments: {@code = VALUE}, then an error name with its text
   * ({@code -1 ENOENT (No such file or directory)}) or a note ({@code (Timeout)}), then the duration
   * ({@code <0.000010>}); null when it is not that. Read by hand, in time linear in its length.
   */
  static Result result(String after) throws OutOfRange {
    String t = after.strip();
    if (!t.startsWith("=")) {
      return null;
    }
    long duration = -1;
    Matcher d = DURATION.matcher(t);
    if (d.find()) {
      duration = duration(d.group(1), d.group(2));
      t = t.substring(0, d.start()).stripTrailing();
    }
    t = t.substring(1).stripLeading();
    int end = 0;
    while (end < t.length() && !Character.isWhitespace(t.charAt(end))) {
      end++;
    }
    if (end == 0) {
      return null;
    }
    String value = t.substring(0, end);
    t = t.substring(end).stripLeading();
    String errno = null;
    int word = 0;
    while (word < t.length() && !Character.isWhitespace(t.charAt(word))) {
      word++;
    }
    if (word > 0 && ERRNO.matcher(t.substring(0, word)).matches()) {
      errno = t.substring(0, word);
      t = t.substring(word).stripLeading();
    }
    if (!t.isEmpty() && !(t.startsWith("(") && t.endsWith(")"))) {
      return null;
    }
    return new Result(value, errno, duration);
  }

  /** A -T duration from its seconds and fraction, in ns. */
  private static long duration(String seconds, String fraction) throws OutOfRange {
    long s = value(seconds);
    if (s < 0 || s > MAX_SPAN_SECONDS) {
      throw new OutOfRange("duration <" + seconds + "." + fraction + "> is out of range (at most "
          + MAX_SPAN_SECONDS + " s)");
    }
    return s * 1_000_000_000L + fraction(fraction);
  }

  /** Decimal digits as a number, or -1 when there are more than 18 after the leading zeros. */
  private static long value(String digits) {
    int from = 0;
    while (from < digits.length() - 1 && digits.charAt(from) == '0') {
      from++;
    }
    return digits.length() - from > 18 ? -1 : Long.parseLong(digits, from, digits.length(), 10);
  }

  /** Up to nine digits after the point, in ns (more are cut off). */
  private static long fraction(String digits) {
    String d = digits.length() >= 9 ? digits.substring(0, 9) : (digits + "000000000").substring(0, 9);
    return Long.parseLong(d);
  }

  /**
   * Lines of a reader, each at most {@link #MAX_LINE} characters: a longer one is returned cut to that
   * length, {@link #cut()} saying so, and the rest of it is skipped. {@code \n} ends a line.
   */
  static final class LineReader {
    private final Reader in;
    private final char[] buffer = new char[1 << 16];
    private int at;
    private int end;
    private boolean cut;
    private final StringBuilder line = new StringBuilder();

    LineReader(Reader in) {
      this.in = in;
    }

    /** The next line without its line break, or null at the end. */
    String next() throws IOException {
      line.setLength(0);
      cut = false;
      boolean any = false;
      while (true) {
        if (at == end) {
          end = in.read(buffer, 0, buffer.length);
          at = 0;
          if (end <= 0) {
            end = 0;
            return any ? line.toString() : null;
          }
        }
        any = true;
        int from = at;
        while (at < end && buffer[at] != '\n') {
          at++;
        }
        int room = MAX_LINE - line.length();
        int take = at - from;
        if (take > room) {
          cut = true;
          take = room;
        }
        line.append(buffer, from, take);
        if (at < end) {
          at++; // the line break
          return line.toString();
        }
      }
    }

    /** Whether the last line was longer than {@link #MAX_LINE} and was cut. */
    boolean cut() {
      return cut;
    }
  }

  /** Index of the ")" that closes the argument list at depth 0, or -1 when the text ends first. */
  static int closing(String s) {
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        i = endOfString(s, i);
        if (i < 0) {
          return -1;
        }
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) {
          return c == ')' ? i : -1;
        }
        depth--;
      } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
        int end = s.indexOf("*/", i + 2);
        if (end < 0) {
          return -1;
        }
        i = end + 1;
      }
    }
    return -1;
  }

  /** Index of the quote that ends the string starting at {@code open}, or -1. */
  private static int endOfString(String s, int open) {
    for (int i = open + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i;
      }
    }
    return -1;
  }

  /** The arguments, split at commas outside strings, brackets and comments, each trimmed. */
  static List<String> split(String args) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int from = 0;
    for (int i = 0; i < args.length(); i++) {
      char c = args.charAt(i);
      if (c == '"') {
        int e = endOfString(args, i);
        i = e < 0 ? args.length() : e;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (c == '/' && i + 1 < args.length() && args.charAt(i + 1) == '*') {
        int end = args.indexOf("*/", i + 2);
        i = end < 0 ? args.length() : end + 1;
      } else if (c == ',' && depth == 0) {
        out.add(args.substring(from, i).trim());
        from = i + 1;
      }
    }
    String last = args.substring(from).trim();
    if (!last.isEmpty() || !out.isEmpty()) {
      out.add(last);
    }
    return out;
  }
}
