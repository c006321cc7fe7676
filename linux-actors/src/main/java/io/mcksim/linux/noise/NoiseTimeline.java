package io.mcksim.linux.noise;

import io.mcksim.workloads.FixedTimeQuanta;
import java.util.List;

/**
 * The noise of one CPU: the union of its sources' interruptions, walked forward as the CPU's work
 * goes on. {@link #finish} says, in closed form, when a piece of work started at some time ends if
 * noise preempts it: exactly what simulating every interruption as its own event would give, without
 * the events. Queries must not go back in time.
 *
 * <p>So that a query costs the same however far it reaches, interruptions are walked one by one only
 * within {@value #EXACT_NS} ns of work or of a query: an idle stretch longer than twice that is
 * skipped to within it ({@link NoiseSource.Cursor#skipTo}), and work longer than twice that runs its
 * first {@value #EXACT_NS} ns exactly and the rest at the sources' long-run rate (their
 * {@link NoiseSource#busyFraction}, taken as independent), when every source has one and they take
 * less than {@value #MAX_FRACTION} of the time together.
 */
public final class NoiseTimeline implements FixedTimeQuanta.Cpu {

  /** Within this much of work or of a query, interruptions are walked one by one: a second. */
  public static final long EXACT_NS = 1_000_000_000L;

  /** Above this share of the time taken by noise, long work is still walked interruption by interruption. */
  public static final double MAX_FRACTION = 0.9;

  private final NoiseSource.Cursor[] cursors;
  /** The share of time the sources take together, or NaN when one has none. */
  private final double fraction;
  /** The merged interruption under consideration: [curStart, curEnd), or none yet. */
  private long curStart = Long.MIN_VALUE;
  private long curEnd = Long.MIN_VALUE;
  private long stolen;
  private long interruptions;

  public NoiseTimeline(List<? extends NoiseSource> sources) {
    this.cursors = new NoiseSource.Cursor[sources.size()];
    double free = 1;
    for (int i = 0; i < cursors.length; i++) {
      cursors[i] = sources.get(i).cursor();
      free *= 1 - Math.min(1, sources.get(i).busyFraction());
    }
    this.fraction = 1 - free;
  }

  /** A CPU without noise. */
  public static NoiseTimeline quiet() {
    return new NoiseTimeline(List.of());
  }

  /** The next merged interruption ending after {@code t}: sets [curStart, curEnd). */
  private void seek(long t) {
    if (curEnd > t) {
      return; // the interruption under consideration still ends after t
    }
    long next = next();
    if (next != Long.MAX_VALUE && t - next > 2 * EXACT_NS) {
      skipTo(t - EXACT_NS); // idle that long: what came before cannot reach t
    }
    while (curEnd <= t) {
      int best = -1;
      for (int i = 0; i < cursors.length; i++) {
        if (cursors[i].start() != Long.MAX_VALUE && (best < 0 || cursors[i].start() < cursors[best].start())) {
          best = i;
        }
      }
      if (best < 0) {
        curStart = Long.MAX_VALUE;
        curEnd = Long.MAX_VALUE;
        return;
      }
      long s = cursors[best].start();
      long e = s + cursors[best].duration();
      cursors[best].advance();
      if (e <= s) {
        continue;
      }
      interruptions++;
      if (s <= curEnd && curEnd != Long.MIN_VALUE) {
        curEnd = Math.max(curEnd, e); // overlaps the current one: merge
      } else {
        curStart = s;
        curEnd = e;
      }
      // absorb every later interruption that starts inside this one
      absorbOverlaps();
    }
  }

  /** The earliest start of the sources' next interruptions, or {@link Long#MAX_VALUE}. */
  private long next() {
    long next = Long.MAX_VALUE;
    for (NoiseSource.Cursor c : cursors) {
      next = Math.min(next, c.start());
    }
    return next;
  }

  /** Every source on to its first interruption from {@code t}; the merged one before is done with. */
  private void skipTo(long t) {
    for (NoiseSource.Cursor c : cursors) {
      c.skipTo(t);
    }
  }

  private void absorbOverlaps() {
    boolean merged = true;
    while (merged) {
      merged = false;
      for (NoiseSource.Cursor c : cursors) {
        while (c.start() != Long.MAX_VALUE && c.start() <= curEnd) {
          long e = c.start() + c.duration();
          if (c.duration() > 0) {
            interruptions++;
          }
          if (e > curEnd) {
            curEnd = e;
            merged = true;
          }
          c.advance();
        }
      }
    }
  }

  /**
   * When work of {@code work} ns that becomes ready at {@code start} is done, noise preempting it:
   * it runs only outside interruptions.
   */
  public long finish(long start, long work) {
    if (work == 0) {
      return start;
    }
    if (work > 2 * EXACT_NS && fraction < MAX_FRACTION) {
      // the first second exactly, the rest at the long-run rate, and the sources on past it
      long t = finish(start, EXACT_NS);
      long rest = work - EXACT_NS;
      long span = Math.max(rest, (long) Math.ceil(rest / (1 - fraction)));
      long end = t > Long.MAX_VALUE - span ? Long.MAX_VALUE : t + span;
      stolen += end - t - rest;
      skipTo(end);
      return end;
    }
    long t = start;
    long remaining = work;
    while (true) {
      seek(t);
      if (curStart <= t) {
        // preempted already: wait for the interruption to end
        stolen += curEnd - t;
        t = curEnd;
        seek(t);
      }
      long free = curStart - t;
      if (free >= remaining) {
        return t + remaining;
      }
      remaining -= free;
      stolen += curEnd - curStart;
      t = curEnd;
    }
  }

  /**
   * Work the CPU can do between {@code from} and {@code to}: the time not taken by interruptions.
   * Like {@link #finish}, queries must not go back in time.
   */
  @Override
  public long workBetween(long from, long to) {
    long t = from;
    long work = 0;
    while (t < to) {
      seek(t);
      if (curStart <= t) {
        long until = Math.min(curEnd, to);
        stolen += until - t;
        t = until;
        continue;
      }
      long next = Math.min(curStart, to);
      work += next - t;
      t = next;
    }
    return work;
  }

  /**
   * When the CPU is next interrupted from {@code t} on: {@code t} itself if an interruption is under way
   * then, {@link Long#MAX_VALUE} if none comes. Times asked for only go forward, as for {@link #workBetween}.
   */
  @Override
  public long quietUntil(long t) {
    seek(t);
    return Math.max(t, curStart);
  }

  /** Time interruptions took from work so far. */
  public long stolen() {
    return stolen;
  }

  /** Interruptions seen so far (merged or not). */
  public long interruptions() {
    return interruptions;
  }
}
