package io.mcksim.linux.noise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Noise replayed from a trace: (start, duration) pairs in ns, one per line, in order of start
 * ({@code #} starts a comment). {@link #read} reports a malformed line with its number.
 */
public record TraceNoise(long[] starts, long[] durations) implements NoiseSource {

  public static TraceNoise read(Path file) throws IOException {
    List<long[]> rows = new ArrayList<>();
    int lineNo = 0;
    long last = Long.MIN_VALUE;
    for (String line : Files.readAllLines(file)) {
      lineNo++;
      String text = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
      text = text.trim();
      if (text.isEmpty()) {
        continue;
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
        throw new IllegalArgumentException(file + ":" + lineNo + ": expected 'start duration' in ns,"
            + " got '" + line.trim() + "'");
      }
      if (start < last || duration < 0) {
        throw new IllegalArgumentException(file + ":" + lineNo + ": starts must not go backwards and"
            + " durations must not be negative");
      }
      last = start;
      rows.add(new long[] {start, duration});
    }
    long[] s = new long[rows.size()];
    long[] d = new long[rows.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = rows.get(i)[0];
      d[i] = rows.get(i)[1];
    }
    return new TraceNoise(s, d);
  }

  /** Total time the trace steals (overlaps counted once). */
  public long stolen() {
    long sum = 0;
    long end = Long.MIN_VALUE;
    for (int i = 0; i < starts.length; i++) {
      long s = Math.max(starts[i], end);
      long e = starts[i] + durations[i];
      if (e > s) {
        sum += e - s;
      }
      end = Math.max(end, e);
    }
    return sum;
  }

  @Override
  public Cursor cursor() {
    return new Cursor() {
      private int i;

      @Override
      public long start() {
        return i < starts.length ? starts[i] : Long.MAX_VALUE;
      }

      @Override
      public long duration() {
        return i < starts.length ? durations[i] : 0;
      }

      @Override
      public void advance() {
        i++;
      }

      /** The first start at {@code t} or later, by binary search (the starts are in order). */
      @Override
      public void skipTo(long t) {
        int hi = starts.length;
        while (i < hi) {
          int mid = (i + hi) >>> 1;
          if (starts[mid] < t) {
            i = mid + 1;
          } else {
            hi = mid;
          }
        }
      }
    };
  }
}
