package io.mcksim.linux.noise;

import io.mcksim.config.NoiseTrace;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Noise replayed from a trace: (start, duration) pairs in ns, one per line, in order of start
 * ({@code #} starts a comment). {@link #read} reads it as a stream within {@link NoiseTrace}'s bounds, and
 * reports a malformed line with its number.
 */
public record TraceNoise(long[] starts, long[] durations) implements NoiseSource {

  public static TraceNoise read(Path file) throws IOException {
    NoiseTrace trace = NoiseTrace.read(file);
    return new TraceNoise(trace.starts(), trace.durations());
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
