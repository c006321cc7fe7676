package io.mcksim.workloads.strace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the output of {@code strace -f} with {@code -ttt}, {@code -tt} or {@code -r}, with or without
 * {@code -T}, with or without pid prefixes ({@code 1234 } or {@code [pid 1234] }), from one file or from
 * the per-process files of {@code -ff -o PREFIX} (each file's pid from its name). Joins
 * {@code <unfinished ...>} and {@code <... resumed>} halves, even across threads; records signals,
 * exits and kills; keeps error returns, truncated strings and arrays, and syscalls it has never heard
 * of. A line it cannot read is kept as a {@link StraceTrace.BadLine} with its number, never a crash.
 */
public final class StraceParser {

  private StraceParser() {}

  /**
   * One file of a trace.
   *
   * @param name the file's name, for bad lines
   * @param pid  the pid of lines without a pid prefix: from a {@code -ff} file's name suffix, or -1
   */
  public record Source(String name, List<String> lines, int pid) {

    /** A file, its pid taken from a numeric suffix such as {@code trace.1234} when there is one. */
    public static Source of(String name, List<String> lines) {
      Matcher m = Pattern.compile(".*\\.(\\d+)$").matcher(name);
      return new Source(name, lines, m.matches() ? Integer.parseInt(m.group(1)) : -1);
    }
  }

  private static final Pattern PID = Pattern.compile("^(?:\\[pid\\s+(\\d+)\\]|(\\d+))\\s+");
  private static final Pattern STAMP = Pattern.compile("^(\\d+)(?::(\\d+):(\\d+))?\\.(\\d+)\\s+");
  private static final Pattern CALL = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)\\(");
  private static final Pattern RESUMED = Pattern.compile("^<\\.\\.\\.\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+resumed>\\s?");
  private static final Pattern RESULT = Pattern.compile(
      "^\\s*=\\s*(\\S+)(?:\\s+([A-Z][A-Z0-9_]*)(?:\\s+\\(.*?\\))?)?(?:\\s+\\(.*?\\))?\\s*(?:<(\\d+\\.\\d+)>)?\\s*$");
  private static final Pattern EXIT = Pattern.compile("^\\+\\+\\+\\s+(exited with -?\\d+|killed by [A-Z0-9]+(?: \\(core dumped\\))?)\\s+\\+\\+\\+\\s*$");
  private static final Pattern SIGNAL = Pattern.compile("^---\\s+([A-Z0-9]+)\\b.*---\\s*$");

  public static StraceTrace parse(List<Source> sources) {
    return new Run(sources).parse();
  }

  /** One parse: the state that lines build up. */
  private static final class Run {
    private final List<Source> sources;
    private final Map<Integer, List<StraceCall>> calls = new LinkedHashMap<>();
    private final Map<Integer, String> exits = new LinkedHashMap<>();
    private final List<String> signals = new ArrayList<>();
    private final List<StraceTrace.BadLine> bad = new ArrayList<>();
    /** Per thread, its unfinished call: where it sits in the thread's list, and its text so far. */
    private final Map<Integer, Pending> pending = new HashMap<>();
    private String timing;
    private boolean durations;
    private int lines;

    private record Pending(int index, String name, long startNs, String text, int line, String file) {}

    Run(List<Source> sources) {
      this.sources = sources;
    }

    StraceTrace parse() {
      for (Source s : sources) {
        long relative = 0;
        long lastOfDay = -1;
        long dayOffset = 0;
        for (int i = 0; i < s.lines().size(); i++) {
          lines++;
          String raw = s.lines().get(i).replace("\r", "");
          if (raw.isBlank() || raw.startsWith("strace: ")) {
            continue;
          }
          String text = raw.stripLeading();
          int tid = s.pid() >= 0 ? s.pid() : 1;
          Matcher m = PID.matcher(text);
          if (m.find()) {
            tid = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
            text = text.substring(m.end());
          }
          long time = -1;
          m = STAMP.matcher(text);
          if (m.find()) {
            long frac = fraction(m.group(4));
            if (m.group(2) != null) { // -tt: HH:MM:SS.ffffff
              timing("absolute");
              long ofDay = ((Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))) * 60
                  + Long.parseLong(m.group(3))) * 1_000_000_000L + frac;
              if (lastOfDay >= 0 && ofDay + 12 * 3_600_000_000_000L < lastOfDay) {
                dayOffset += 24 * 3_600_000_000_000L; // past midnight
              }
              lastOfDay = ofDay;
              time = ofDay + dayOffset;
            } else {
              long secs = Long.parseLong(m.group(1));
              if (secs >= 100_000_000L) { // -ttt: seconds since the epoch
                timing("absolute");
                time = secs * 1_000_000_000L + frac;
              } else { // -r: since the previous line
                timing("relative");
                relative += secs * 1_000_000_000L + frac;
                time = relative;
              }
            }
            text = text.substring(m.end());
          } else if (timing == null || timing.equals("none")) {
            timing = "none";
            time = 0;
          } else {
            bad.add(new StraceTrace.BadLine(s.name(), i + 1, raw, "no timestamp, unlike the lines before"));
            continue;
          }
          line(s, i + 1, raw, tid, time, text);
        }
      }
      for (Map.Entry<Integer, Pending> e : pending.entrySet()) {
        Pending p = e.getValue();
        bad.add(new StraceTrace.BadLine(p.file(), p.line(), p.name() + "(" + p.text(),
            "unfinished call never resumed (the trace ends first)"));
        calls.get(e.getKey()).remove(p.index()); // a thread's calls stop at its unfinished one
      }
      return finishTrace(calls, exits, signals, bad, lines, timing, durations);
    }

    private void timing(String kind) {
      if (timing == null || timing.equals("none")) {
        timing = kind;
      }
    }

    private static long fraction(String digits) {
      String d = (digits + "000000000").substring(0, 9);
      return Long.parseLong(d);
    }

    private void line(Source s, int number, String raw, int tid, long time, String text) {
      Matcher m;
      if ((m = EXIT.matcher(text)).matches()) {
        exits.put(tid, m.group(1));
        return;
      }
      if ((m = SIGNAL.matcher(text)).matches()) {
        signals.add(tid + ": " + m.group(1));
        return;
      }
      if ((m = RESUMED.matcher(text)).find()) {
        Pending p = pending.remove(tid);
        if (p == null || !p.name().equals(m.group(1))) {
          if (p != null) {
            pending.put(tid, p);
          }
          bad.add(new StraceTrace.BadLine(s.name(), number, raw, "resumes a call of thread " + tid
              + " that did not start"));
          return;
        }
        StraceCall c = complete(tid, p.startNs(), p.name(), p.text() + text.substring(m.end()), p.line(), s,
            number, raw);
        if (c == null) {
          calls.get(tid).remove(p.index());
        } else {
          calls.get(tid).set(p.index(), c);
        }
        return;
      }
      if ((m = CALL.matcher(text)).find()) {
        String name = m.group(1);
        String rest = text.substring(m.end());
        String trimmed = rest.stripTrailing();
        if (trimmed.endsWith("<unfinished ...>")) {
          String partial = trimmed.substring(0, trimmed.length() - "<unfinished ...>".length());
          List<StraceCall> list = calls.computeIfAbsent(tid, k -> new ArrayList<>());
          if (pending.containsKey(tid)) {
            bad.add(new StraceTrace.BadLine(s.name(), number, raw, "thread " + tid
                + " starts a call while another is unfinished"));
            return;
          }
          // a placeholder keeps the thread's order until the call resumes
          list.add(new StraceCall(tid, time, -1, name, List.of(), "?", null, number));
          pending.put(tid, new Pending(list.size() - 1, name, time, partial, number, s.name()));
          return;
        }
        if (pending.containsKey(tid)) {
          bad.add(new StraceTrace.BadLine(s.name(), number, raw, "thread " + tid
              + " starts a call while another is unfinished"));
          return;
        }
        StraceCall c = complete(tid, time, name, rest, number, s, number, raw);
        if (c != null) {
          calls.computeIfAbsent(tid, k -> new ArrayList<>()).add(c);
        }
        return;
      }
      bad.add(new StraceTrace.BadLine(s.name(), number, raw, "not a call, a signal or an exit"));
    }

    /** A call from its text after "name(": the arguments, ")", and " = result ...". */
    private StraceCall complete(int tid, long start, String name, String rest, int line, Source s, int number,
        String raw) {
      int close = closing(rest);
      if (close < 0) {
        bad.add(new StraceTrace.BadLine(s.name(), number, raw, "the arguments of " + name + " do not end "
            + "(a line cut short?)"));
        return null;
      }
      Matcher r = RESULT.matcher(rest.substring(close + 1));
      if (!r.matches()) {
        bad.add(new StraceTrace.BadLine(s.name(), number, raw, "no ' = result' after the arguments of " + name
            + " (a line cut short?)"));
        return null;
      }
      long duration = -1;
      if (r.group(3) != null) {
        duration = Long.parseLong(r.group(3).substring(0, r.group(3).indexOf('.'))) * 1_000_000_000L
            + fraction(r.group(3).substring(r.group(3).indexOf('.') + 1));
        durations = true;
      }
      return new StraceCall(tid, start, duration, name, split(rest.substring(0, close)), r.group(1), r.group(2), line);
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

  private static StraceTrace finishTrace(Map<Integer, List<StraceCall>> calls, Map<Integer, String> exits,
      List<String> signals, List<StraceTrace.BadLine> bad, int lines, String timing, boolean durations) {
    // times from the first call; threads in order of their first call
    long first = calls.values().stream().filter(l -> !l.isEmpty()).mapToLong(l -> l.get(0).startNs())
        .min().orElse(0);
    Map<Integer, List<StraceCall>> ordered = new LinkedHashMap<>();
    calls.entrySet().stream().filter(e -> !e.getValue().isEmpty())
        .sorted(Comparator.comparingLong((Map.Entry<Integer, List<StraceCall>> e) -> e.getValue().get(0).startNs())
            .thenComparing(Map.Entry::getKey))
        .forEach(e -> ordered.put(e.getKey(), e.getValue().stream().map(c -> new StraceCall(c.tid(),
            c.startNs() - first, c.durationNs(), c.name(), c.args(), c.result(), c.errno(), c.line())).toList()));
    Map<Integer, List<StraceTrace.Child>> children = new LinkedHashMap<>();
    for (List<StraceCall> list : ordered.values()) {
      for (StraceCall c : list) {
        boolean creates = c.name().equals("clone") || c.name().equals("clone3") || c.name().equals("fork")
            || c.name().equals("vfork");
        if (creates && c.value() > 0 && c.value() != Long.MIN_VALUE) {
          boolean thread = !c.name().equals("fork") && !c.name().equals("vfork")
              && String.join(",", c.args()).contains("CLONE_VM");
          children.computeIfAbsent(c.tid(), k -> new ArrayList<>())
              .add(new StraceTrace.Child((int) c.value(), thread, c));
        }
      }
    }
    return new StraceTrace(ordered, children, exits, signals, bad, lines, timing == null ? "none" : timing,
        durations);
  }
}
