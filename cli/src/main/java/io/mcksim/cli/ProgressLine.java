package io.mcksim.cli;

import io.mcksim.actors.engine.Progress;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress of a long run, on standard error: virtual time reached, events per second, and an
 * estimate of the wall time left. On a terminal it is one line redrawn at most four times a second and
 * cleared at the end; otherwise (standard error into a pipe or a file) a plain line every ten seconds,
 * so a run piped through {@code tee} still shows that it is alive.
 *
 * <p>The estimate divides the virtual time still to go by the pace since the first line (virtual
 * nanoseconds per wall second, from the first line to this one). The start (the JIT, building the model,
 * spawning entities) comes before the first line and is no sample of the pace: the first line gives no
 * estimate, so a slow start never inflates one. Nor does a pace measured over the last few seconds: a
 * BSP machine's virtual time moves in bursts (a compute phase passes a microsecond in a few events, the
 * offloads and the collective that follow take millions), and a rate smoothed over five seconds put a
 * Fugaku-size run that took eight minutes at "29 min", "1 min" and "1 h 57 min" left within a minute
 * (measured). The expected end is an estimate
 * too (the noiseless ideal of a BSP run, for example): the share shown stops at 99% until the run ends,
 * and once the run passes that end the line says so and gives no estimate.
 */
final class ProgressLine implements Progress {

  private static final long REDRAW_NS = 250_000_000L;
  private static final long PLAIN_NS = 10_000_000_000L;

  private volatile long endNs;
  private final PrintStream out;
  private final boolean terminal;
  private final LongSupplier clock;
  private final long started;
  private long lastDrawn;
  /** When the first line was drawn, and the virtual time it showed: where the pace is measured from. */
  private long firstDrawn;
  private long firstVirtual;
  private double rate;
  private boolean drawn;

  ProgressLine(long endNs, PrintStream out, boolean terminal, LongSupplier clock) {
    this.endNs = endNs;
    this.out = out;
    this.terminal = terminal;
    this.clock = clock;
    this.started = clock.getAsLong();
    this.lastDrawn = started;
  }

  /** A display on standard error: redrawn on a terminal, plain lines otherwise. */
  static ProgressLine onStandardError(long endNs) {
    return new ProgressLine(endNs, System.err, standardErrorIsTerminal(), System::nanoTime);
  }

  /** Sets the virtual time the run is expected to reach (an estimate, such as a noiseless ideal). */
  void expect(long endNs) {
    this.endNs = endNs;
  }

  static Progress orNone(ProgressLine line) {
    return line == null ? Progress.NONE : line;
  }

  @Override
  public synchronized void reached(long virtualTimeNs, long events) {
    long now = clock.getAsLong();
    long since = now - lastDrawn;
    if (since < (terminal ? REDRAW_NS : PLAIN_NS)) {
      return;
    }
    if (drawn) {
      rate = (virtualTimeNs - firstVirtual) / ((now - firstDrawn) / 1e9);
    } else { // the first interval is the start, not the run's pace
      firstDrawn = now;
      firstVirtual = virtualTimeNs;
    }
    lastDrawn = now;
    String text = text(virtualTimeNs, events / ((now - started) / 1e9));
    if (terminal) {
      out.print("\r  " + text + "   ");
    } else {
      out.println("mcksim: " + text);
    }
    out.flush();
    drawn = true;
  }

  /** What the line says, for virtual time {@code v} at {@code eventsPerSecond}. */
  private String text(long v, double eventsPerSecond) {
    long end = endNs;
    String speed = String.format(Locale.ROOT, "%.2f M events/s", eventsPerSecond / 1e6);
    if (end <= 0) {
      return "virtual time " + Units.time(v) + ", " + speed;
    }
    if (v >= end) {
      return "virtual time " + Units.time(v) + " (past the expected " + Units.time(end) + "), " + speed;
    }
    double done = Math.min(0.99, (double) v / end);
    String left = rate > 0 ? String.format(Locale.ROOT, ", about %s left", wall((end - v) / rate)) : "";
    return String.format(Locale.ROOT, "virtual time %s of %s (%.0f%%), %s%s", Units.time(v), Units.time(end),
        100 * done, speed, left);
  }

  /** A wall-clock duration in seconds, as a reader wants it: {@code 42 s}, {@code 3 min 5 s}. */
  static String wall(double seconds) {
    long s = Math.round(seconds);
    return s < 60 ? s + " s" : s < 3600 ? s / 60 + " min " + s % 60 + " s" : s / 3600 + " h " + s % 3600 / 60 + " min";
  }

  /** Clears the line on a terminal, if anything was drawn. */
  synchronized void finish() {
    if (drawn && terminal) {
      out.print("\r" + " ".repeat(100) + "\r");
      out.flush();
    }
  }

  /** Whether standard error is a terminal (Linux: file descriptor 2 names a tty). */
  private static boolean standardErrorIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return System.console() != null;
    }
  }
}
