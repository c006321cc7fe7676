package io.mcksim.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A noise trace file: interruptions as (start, duration) pairs in ns, one pair per line, in order of
 * start ({@code #} starts a comment, blank lines are skipped). Read as a stream, within bounds, so that
 * any file is refused quickly and in little memory when it is not one: at most {@link #MAX_BYTES}
 * ({@code /dev/zero} or an endless pipe is refused when it passes them, or when a line does), a line at
 * most {@link #MAX_LINE} characters. The validation of a scenario reads each trace it names, and the
 * run reads it again the same way.
 *
 * @param starts    the interruptions' starts in ns, non-decreasing
 * @param durations their durations in ns
 */
public record NoiseTrace(long[] starts, long[] durations) {

  /**
   * A trace file at most 64 MiB: about 3 million interruptions at 20 bytes a line, 50 MB of arrays, well
   * within a 512 MB heap, and far more than a CPU suffers in any run here.
   */
  public static final long MAX_BYTES = 64L << 20;

  /** A line at most 256 characters: "start duration" in ns takes 40 at most; the rest is for a comment. */
  public static final int MAX_LINE = 256;

  /** Reads {@code file}; a bad line, an oversize file or line is an IllegalArgumentException naming file:line. */
  public static NoiseTrace read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": not a regular file (a device, a pipe or a folder); a noise"
          + " trace is a text file of 'start duration' lines in ns");
    }
    long[] starts = new long[1024];
    long[] durations = new long[1024];
    int n = 0;
    long last = 0;
    long bytes = 0;
    int lineNo = 0;
    StringBuilder line = new StringBuilder(64);
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int got = in.read(buffer); ; got = in.read(buffer)) {
        if (got > 0 && (bytes += got) > MAX_BYTES) {
          throw new IllegalArgumentException(file + ": more than " + (MAX_BYTES >> 20) + " MiB; a noise trace is"
              + " at most that (split it, or keep the interruptions of the part of the run you simulate)");
        }
        // at the end, a last line without its newline
        int end = got < 0 ? 1 : got;
        for (int i = 0; i < end; i++) {
          int b = got < 0 ? '\n' : buffer[i];
          if (b != '\n') {
            if (line.length() == MAX_LINE) {
              throw new IllegalArgumentException(file + ":" + (lineNo + 1) + ": a line longer than " + MAX_LINE
                  + " characters; a noise trace has lines 'start duration' in ns (is this the right file?)");
            }
            line.append((char) (b & 0xff));
            continue;
          }
          lineNo++;
          long[] row = row(line, file, lineNo);
          line.setLength(0);
          if (row == null) {
            continue;
          }
          if (row[0] < last) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": starts at " + row[0] + "ns, before the"
                + " line above (" + last + "ns); starts must not go backwards");
          }
          if (n == starts.length) {
            starts = Arrays.copyOf(starts, n * 2);
            durations = Arrays.copyOf(durations, n * 2);
          }
          starts[n] = row[0];
          durations[n] = row[1];
          last = row[0];
          n++;
        }
        if (got < 0) {
          break;
        }
      }
    }
    return new NoiseTrace(Arrays.copyOf(starts, n), Arrays.copyOf(durations, n));
  }

  /** The (start, duration) of a line, or null for a blank or comment line. */
  private static long[] row(StringBuilder line, Path file, int lineNo) {
    int hash = line.indexOf("#");
    String text = (hash >= 0 ? line.substring(0, hash) : line.toString()).strip(); // control characters stay, and fail
    if (text.isEmpty()) {
      return null;
    }
    String[] parts = text.split("[\\s,]+");
    long start;
    long duration;
    try {
      if (parts.length != 2) {
        throw new NumberFormatException();
      }
      start = Long.parseLong(parts[0]);
      duration = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(file + ":" + lineNo + ": expected 'start duration' in ns, got '"
          + printable(line.toString().trim()) + "'");
    }
    if (start < 0 || duration < 0 || start > InputLimits.MAX_DERIVED_NS - duration) {
      throw new IllegalArgumentException(file + ":" + lineNo + ": start and duration must not be negative, and"
          + " the interruption must end within 10^17 ns (3.2 years), got '" + text + "'");
    }
    return new long[] {start, duration};
  }

  /** The line as it may be shown: at most 60 characters, control characters as '?'. */
  private static String printable(String s) {
    String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
    return cut.replaceAll("[\\p{Cntrl}]", "?");
  }
}
