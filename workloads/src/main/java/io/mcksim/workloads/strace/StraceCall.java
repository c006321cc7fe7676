package io.mcksim.workloads.strace;

import java.util.List;

/**
 * One system call of a traced thread, its unfinished and resumed halves joined.
 *
 * @param tid        the thread that made it
 * @param startNs    when it was entered, in ns from the origin of the trace's timestamps (the epoch for
 *                   -ttt, midnight of the first day for -tt, the first line for -r)
 * @param durationNs time inside the call (strace -T), or -1 when the trace does not say
 * @param name       its name as strace prints it (an unknown one as strace prints it too)
 * @param args       its arguments, split at top-level commas, as printed
 * @param result     what it returned, as printed ({@code ?} for a call that does not return)
 * @param errno      the error name of a failed call (ENOENT), or null
 * @param file       the file it was read from
 * @param line       the line (of its file) where it started
 */
public record StraceCall(int tid, long startNs, long durationNs, String name, List<String> args, String result,
    String errno, String file, long line) {

  public StraceCall {
    args = List.copyOf(args);
  }

  /** The return value as a number, or {@link Long#MIN_VALUE} when it is not one ({@code ?}). */
  public long value() {
    String r = result.trim();
    try {
      if (r.startsWith("0x")) {
        return Long.parseUnsignedLong(r.substring(2), 16);
      }
      return Long.parseLong(r);
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }

  public boolean failed() {
    return errno != null;
  }

  /**
   * When it returned: start plus duration, or the start when the duration is unknown (the parser keeps
   * both within {@link StraceParser#MAX_TIME_NS}, so the sum does not overflow).
   */
  public long endNs() {
    return startNs + Math.max(0, durationNs);
  }

  /** Where it starts, as {@code file:line}. */
  public String where() {
    return file + ":" + line;
  }

  /** Argument {@code i}, or "" when there are fewer. */
  public String arg(int i) {
    return i < args.size() ? args.get(i) : "";
  }
}
