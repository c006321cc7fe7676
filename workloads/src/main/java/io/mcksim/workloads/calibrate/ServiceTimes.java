package io.mcksim.workloads.calibrate;

import io.mcksim.workloads.strace.StraceCall;
import io.mcksim.workloads.strace.StraceParser;
import io.mcksim.workloads.strace.StraceTrace;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fits Linux's service time of each system call ({@code costs.syscall.linux.NAME}) to the durations an
 * {@code strace -T} trace recorded (read by the trace importer's {@link StraceParser}): a call made
 * natively costs {@code costs.syscall.linux-entry} plus its service time, so each name's service time is
 * its mean recorded duration less the entry, and a replay of the trace makes each name's calls take, in
 * all, what they took when recorded. Calls that did not return (exit, a call cut off) carry no duration
 * and are left out.
 */
public final class ServiceTimes {

  private ServiceTimes() {}

  /** Durations of one call name, in ns. */
  public record Call(String name, long[] durations) {

    public double mean() {
      return Arrays.stream(durations).average().orElse(0);
    }

    /** The {@code q}-quantile (0-1) of the durations. */
    public long quantile(double q) {
      long[] d = durations.clone();
      Arrays.sort(d);
      return d[Math.min(d.length - 1, (int) (q * d.length))];
    }
  }

  /**
   * The fit.
   *
   * @param calls      the durations by call name
   * @param trace      what reading the trace found (lines, unreadable ones)
   * @param untimed    calls read without a duration
   */
  public record Result(Map<String, Call> calls, StraceTrace trace, long untimed) {}

  /** Reads the trace's durations by call name. */
  public static Result read(List<StraceParser.Source> sources) throws IOException {
    Map<String, LongList> by = new TreeMap<>();
    long[] untimed = {0};
    StraceTrace t = StraceParser.parse(sources, new StraceParser.Sink() {
      @Override
      public void call(StraceCall call) {
        if (call.durationNs() < 0) {
          untimed[0]++;
          return;
        }
        by.computeIfAbsent(call.name(), k -> new LongList()).add(call.durationNs());
      }
    });
    if (by.isEmpty()) {
      String files = String.join(", ", sources.stream().map(StraceParser.Source::name).toList());
      throw new IllegalArgumentException(files + ": " + (t.calls() == 0 ? "no system calls"
          : "no call carries its duration (" + t.calls() + " calls without one)") + (t.unreadable() == 0 ? ""
          : "; the first unreadable line: " + t.badLines().get(0)) + "; record the trace with strace -T, e.g. "
          + "strace -f -ttt -T -o FILE PROGRAM");
    }
    Map<String, Call> calls = new TreeMap<>();
    by.forEach((k, v) -> calls.put(k, new Call(k, v.toArray())));
    return new Result(calls, t, untimed[0]);
  }

  /** The service time of {@code c} for a scenario whose native call entry costs {@code entryNs}. */
  public static long serviceNs(Call c, long entryNs) {
    return Math.max(0, Math.round(c.mean()) - entryNs);
  }

  /**
   * The service times as a scenario fragment, each with its count and spread; {@code source} names the
   * trace, {@code entryNs} is {@code costs.syscall.linux-entry}.
   */
  public static Fragment fragment(Result r, long entryNs, String source) {
    Fragment f = new Fragment();
    f.comment(String.format(Locale.ROOT, "Linux service times fitted to %s: %,d timed calls of %d names%s%s; each"
        + " the mean recorded duration less costs.syscall.linux-entry (%,d ns), so that a native replay takes what"
        + " the trace took", source, r.calls().values().stream().mapToLong(c -> c.durations().length).sum(),
        r.calls().size(), r.untimed() == 0 ? "" : String.format(Locale.ROOT, " (%,d call%s without a duration left out)",
        r.untimed(), r.untimed() == 1 ? "" : "s"), r.trace().unreadable() == 0 ? "" : String.format(Locale.ROOT, " (%,d unreadable lines skipped)",
        r.trace().unreadable()), entryNs));
    for (Call c : r.calls().values()) {
      long service = serviceNs(c, entryNs);
      f.comment(String.format(Locale.ROOT, "%s: %,d call%s, mean %,.0f ns, median %,d ns, 10th-90th percentile"
          + " %,d-%,d ns%s", c.name(), c.durations().length, c.durations().length == 1 ? "" : "s", c.mean(), c.quantile(0.5), c.quantile(0.1),
          c.quantile(0.9), Math.round(c.mean()) < entryNs ? " (shorter than the entry: service 0)" : ""));
      f.set("costs.syscall.linux." + c.name(), service + "ns");
    }
    return f;
  }

  /** A growable list of longs. */
  private static final class LongList {
    private long[] values = new long[16];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
