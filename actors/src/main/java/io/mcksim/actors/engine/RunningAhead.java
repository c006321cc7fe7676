package io.mcksim.actors.engine;

/**
 * One cell's stretch of self-events taken in closed form ({@link RunAhead}, {@link SimContext#runAhead}):
 * its pending event stays out of the queues, holding the sequence number its send took, and is taken in
 * its place in the total order, when the engine next has to know:
 *
 * <ul>
 *   <li>before any other event is delivered to the cell: the pending events that come before it in
 *       (time, source, sequence number) order are taken, then the stretch ends and its pending event
 *       is queued as an ordinary one (the other event may change what the entity does);</li>
 *   <li>at a wake-up, an event of the engine's own the cell queues for itself at the stretch's
 *       {@link RunAhead#endBound()} (or just before the run's end, if sooner): everything up to it is
 *       taken, and the next wake-up queued. Its key sorts after every event of the cell's at that instant
 *       (sequence number {@link Long#MAX_VALUE}); it is neither folded nor counted. An event the stretch
 *       declines ({@code take} returned false) is queued then, at or after the wake-up: in time for its
 *       own place in the order, since the bound is no later than it.</li>
 * </ul>
 *
 * Every event taken is folded into the cell's digest and counted exactly as if it had been queued and
 * delivered; its successor takes the next sequence number of the cell, as its send would have; one past
 * the run's end is counted as dropped. Nothing of the stretch ever runs ahead of the engine's own time:
 * events are taken late (when the engine next has to know), never early, so no event can arrive that
 * should have come before an event already taken.
 */
final class RunningAhead implements RunAhead.Taken {

  /** The payload of a wake-up. */
  static final Object WAKE = new Object() {
    @Override
    public String toString() {
      return "run-ahead wake-up";
    }
  };

  private final EntityCell cell;
  /** The stretch under way, or null. */
  private RunAhead run;
  /** The sequence number of its pending event. */
  private long seq;
  /** When its latest wake-up comes. */
  private long wakeAt;
  /**
   * The events the cell's last wake-up took, the estimate of what its next one will take; before the
   * first, as many as there may be (a stretch is meant to be long).
   */
  private long lastWakeTaken = Long.MAX_VALUE;

  RunningAhead(EntityCell cell) {
    this.cell = cell;
  }

  /** Whether a stretch is under way. */
  boolean active() {
    return run != null;
  }

  /** The entity hands over a stretch; one under way ends first (its pending event as if sent). */
  void start(RunAhead ahead) {
    if (run != null) {
      end();
    }
    seq = cell.nextSeq++;
    if (beyondEnd(ahead.time())) {
      return;
    }
    run = ahead;
    wake();
  }

  /**
   * An event not of the stretch is due at (time, source, seq): the pending events before it are taken,
   * then the stretch ends.
   */
  void before(long time, int source, long eventSeq) {
    takeThrough(time - 1);
    while (run != null && precedes(run.time(), time, source, eventSeq)) {
      takeOne();
    }
    end();
  }

  /** The wake-up at {@code time} came: everything up to it is taken, and the next wake-up set. */
  void wokenAt(long time) {
    long before = cell.events;
    takeThrough(time);
    lastWakeTaken = cell.events - before;
    if (run != null && time >= wakeAt) {
      wake(); // the stretch's own wake-up (an older one of an earlier stretch sets none)
    }
  }

  /** Whether the cell's next wake-up is likely to take at least {@code events} events. */
  boolean wakeTakes(int events) {
    return lastWakeTaken >= events;
  }

  /** Whether the pending event (time t, this cell, {@link #seq}) comes before (time, source, eventSeq). */
  private boolean precedes(long t, long time, int source, long eventSeq) {
    if (t != time) {
      return t < time;
    }
    if (cell.id != source) {
      return cell.id < source;
    }
    return seq < eventSeq;
  }

  /**
   * Takes every pending event at or before {@code until}: runs of them at once where the stretch can
   * ({@link RunAhead#takeRun}, never past the run's end), the others one by one.
   */
  private void takeThrough(long until) {
    long last = Math.min(until, cell.plan.endTime - 1);
    while (run != null && run.time() <= until) {
      RunAhead r = run;
      long n;
      try {
        n = r.time() <= last ? r.takeRun(last, this) : 0;
      } catch (RuntimeException | StackOverflowError e) {
        run = null;
        cell.failedAhead(e);
        return;
      }
      if (n == 0) {
        takeOne();
      } else {
        beyondEnd(r.time());
      }
    }
  }

  /** An event of a run taken at once: folded and counted as its delivery would be. */
  @Override
  public void event(long time, long data, long fingerprint) {
    cell.taken(time, seq, data, fingerprint);
    seq = cell.nextSeq++;
  }

  /** Takes the pending event, as its delivery would; its successor takes the next sequence number. */
  private void takeOne() {
    RunAhead r = run;
    long t = r.time();
    cell.taken(t, seq, r.data(), EventDigest.fingerprint(r.payload()));
    boolean more;
    try {
      more = r.take();
    } catch (RuntimeException | StackOverflowError e) {
      run = null;
      cell.failedAhead(e);
      return;
    }
    seq = cell.nextSeq++;
    if (beyondEnd(r.time())) {
      return;
    }
    if (!more) {
      end();
    }
  }

  /** The stretch ends: its pending event is queued as an ordinary one. */
  private void end() {
    RunAhead r = run;
    if (r != null) {
      run = null;
      cell.route(cell.id, r.time(), seq, r.data(), r.payload(), false);
    }
  }

  /** Whether the pending event at {@code t} lies past the run's end: it is dropped, and the stretch over. */
  private boolean beyondEnd(long t) {
    if (t < cell.now() || t >= cell.plan.endTime) {
      cell.beyondEnd++;
      run = null;
      return true;
    }
    return false;
  }

  /**
   * A long stretch wakes a little before its bound, on a grid: at the bound rounded down to a multiple of
   * the largest power of two below a {@code 2^}{@value #GRID_SHIFT}th of the way there (at least
   * {@value #MIN_GRID} ns; a shorter stretch wakes at its bound). The stretches of many cells that end at
   * about the same time (the cores of a node looping alike) then wake at the same instants, so their
   * wake-ups share a batch, which on the actor engine their cells run side by side; each wake-up takes a
   * {@code 2^}{@value #GRID_SHIFT}th of what is left at most, so a stretch wakes a few times.
   */
  static final int GRID_SHIFT = 6;

  static final long MIN_GRID = 1L << 14;

  /**
   * Queues the stretch's next wake-up: by its end bound (on the grid, see {@link #GRID_SHIFT}), or at the
   * last instant of the run.
   */
  private void wake() {
    long from = run.time();
    long bound = Math.min(Math.max(from, run.endBound()), cell.plan.endTime - 1);
    long grid = Long.highestOneBit((bound - from) >>> GRID_SHIFT);
    wakeAt = grid < MIN_GRID ? bound : Math.max(from, bound - Math.floorMod(bound, grid));
    cell.route(cell.id, wakeAt, Long.MAX_VALUE, 0, WAKE, false);
  }
}
