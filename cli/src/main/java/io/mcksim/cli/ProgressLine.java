package io.mcksim.cli;

import io.mcksim.actors.engine.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display for long runs on a terminal: virtual time reached, events per second,
 * an estimate of the wall time left. Redrawn at most four times a second; silent when the output is
 * not a terminal.
 */
final class ProgressLine implements Progress {

  private static final long REDRAW_NS = 250_000_000L;

  private volatile long endNs;
  private final PrintStream out;
  private final long started = System.nanoTime();
  private long lastDrawn;
  private boolean drawn;

  private ProgressLine(long endNs, PrintStream out) {
    this.endNs = endNs;
    this.out = out;
  }

  /** A display on standard error if the program talks to a terminal, else nothing. */
  static ProgressLine forTerminal(long endNs) {
    return System.console() == null ? null : new ProgressLine(endNs, System.err);
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
    long now = System.nanoTime();
    if (now - lastDrawn < REDRAW_NS) {
      return;
    }
    lastDrawn = now;
    double elapsed = (now - started) / 1e9;
    long endNs = this.endNs;
    double done = endNs > 0 ? Math.min(0.99, (double) virtualTimeNs / endNs) : 0;
    String eta = done > 0.01 ? String.format(Locale.ROOT, ", about %.0f s left", elapsed * (1 - done) / done)
        : "";
    out.printf(Locale.ROOT, "\r  virtual time %s of %s (%.0f%%), %.2f M events/s%s   ",
        Units.time(virtualTimeNs), Units.time(endNs), 100 * done, events / elapsed / 1e6, eta);
    out.flush();
    drawn = true;
  }

  /** Clears the line, if anything was drawn. */
  synchronized void finish() {
    if (drawn) {
      out.print("\r" + " ".repeat(100) + "\r");
      out.flush();
    }
  }
}
