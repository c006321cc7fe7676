package io.mcksim.workloads.strace;

import java.util.List;
import java.util.Map;

/**
 * A parsed strace trace: every thread's calls in order, how threads and processes came to be, how
 * they ended, and the lines that could not be read.
 *
 * @param calls     per thread id, in order of first appearance: its calls in the order they started
 * @param children  per thread id: the threads and processes it created ({@code clone}, {@code fork},
 *                  {@code vfork}, {@code clone3}), by the creating call's line
 * @param exits     per thread id: how it ended ("exited with 0", "killed by SIGKILL"), if the trace says
 * @param signals   signals delivered, as "tid: SIGCHLD" lines, in order
 * @param bad       lines that could not be read, with their file and line number and why
 * @param lines     lines read
 * @param timing    how times were given: "absolute" (-ttt or -tt), "relative" (-r) or "none"
 * @param durations whether calls carry their duration (-T)
 */
public record StraceTrace(Map<Integer, List<StraceCall>> calls, Map<Integer, List<Child>> children,
    Map<Integer, String> exits, List<String> signals, List<BadLine> bad, int lines, String timing,
    boolean durations) {

  /** A thread or process created by a call of its parent. */
  public record Child(int tid, boolean thread, StraceCall call) {}

  /** A line the parser could not read. */
  public record BadLine(String file, int line, String text, String why) {
    @Override
    public String toString() {
      String shown = text.replaceAll("[\\p{Cntrl}&&[^\t]]|[^\\p{Print}\t]", "?");
      return file + ":" + line + ": " + why + ": " + (shown.length() > 80 ? shown.substring(0, 80) + "..." : shown);
    }
  }

  /** The first thread of the trace: the root of the process tree. */
  public int root() {
    for (int tid : calls.keySet()) {
      boolean created = children.values().stream().flatMap(List::stream).anyMatch(c -> c.tid() == tid);
      if (!created) {
        return tid;
      }
    }
    return calls.keySet().iterator().next();
  }

  public long callCount() {
    return calls.values().stream().mapToLong(List::size).sum();
  }
}
