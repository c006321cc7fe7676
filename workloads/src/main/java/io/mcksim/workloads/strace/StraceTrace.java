package io.mcksim.workloads.strace;

import java.util.List;

/**
 * What reading a trace found, besides its calls (which went, line by line, to a
 * {@link StraceParser.Sink}): how much it read, how times were given, and the lines it could not read.
 *
 * @param lines      lines read
 * @param calls      calls read (each unfinished and resumed pair once)
 * @param timing     how times were given: "absolute" (-ttt or -tt), "relative" (-r) or "none"
 * @param durations  whether calls carry their duration (-T)
 * @param bad        the lines that could not be read (the first {@link StraceParser#KEPT}, and the count)
 */
public record StraceTrace(long lines, long calls, String timing, boolean durations, Capped<BadLine> bad) {

  /** A line the parser could not read. */
  public record BadLine(String file, long line, String text, String why) {

    /** Characters of the line a bad line keeps. */
    public static final int SHOWN = 80;

    /** Keeps the first {@link #SHOWN} characters of the text, its control characters as "?". */
    public BadLine {
      String shown = text.length() > SHOWN ? text.substring(0, SHOWN) + "..." : text;
      text = shown.replaceAll("[\\p{Cntrl}&&[^\t]]|[^\\p{Print}\t]", "?");
    }

    @Override
    public String toString() {
      return file + ":" + line + ": " + why + ": " + text;
    }
  }

  /** The lines that could not be read, the first {@link StraceParser#KEPT}. */
  public List<BadLine> badLines() {
    return bad.first();
  }

  /** How many lines could not be read. */
  public long unreadable() {
    return bad.count();
  }
}
