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
final class RunningAhead {

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
    while (run != null && precedes(run.time(), time, source, eventSeq)) {
      takeOne();
    }
    end();
  }

  /** The wake-up at {@code time} came: everything up to it is taken, and the next wake-up set. */
  void wokenAt(long time) {
    while (run != null && run.time() <= time) {
      takeOne();
    }
    if (run != null && time >= wakeAt) {
      wake(); // the stretch's own wake-up (an older one of an earlier stretch sets none)
    }
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

  /** Takes the pending event, as its delivery would; its successor takes the next sequence number. */
  private void takeOne() {
    RunAhead r = run;
    long t = r.time();
    cell.taken(t, seq, r.data(), r.payload());
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

  /** Queues the stretch's next wake-up: at its end bound, or at the last instant of the run. */
  private void wake() {
    long bound = Math.max(run.time(), run.endBound());
    wakeAt = Math.min(bound, cell.plan.endTime - 1);
    cell.route(cell.id, wakeAt, Long.MAX_VALUE, 0, WAKE, false);
  }
}
