package io.mcksim.actors.engine;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How to run a model: until which virtual time, on how many threads, and the hooks the engine needs
 * from outside the model world.
 *
 * @param endTimeNs        events at virtual times {@code < endTimeNs} are processed
 * @param threads          size of the dispatcher that runs the entity actors (actor engine only)
 * @param wallClock        a nanosecond wall clock for the metrics; the engine itself never reads time
 * @param livenessTimeout  wall-clock guard: a run that takes longer fails loudly (never decides results)
 * @param afterSetup       called once every entity exists and has started, before the first event
 * @param atEnd            called once the last event is processed, while the run's actors still live
 * @param progress         told now and then how far the run has come
 * @param eventLog         told every event, or null (sequential engine only)
 * @param runAhead         whether entities may take stretches of their own events in closed form
 *                         ({@link SimContext#runAhead}; the default); off, every event is queued and
 *                         delivered one by one, with the same results and digest
 * @param joinDomains      consecutive model domains one sequencer of the actor engine runs; 0 (the
 *                         default): {@code mcksim.actors.engine.join-domains}, whose 0 is {@link
 *                         RunPlan#joinedDomains}'s rule. Results do not depend on it
 */
public record RunSpec(long endTimeNs, int threads, LongSupplier wallClock, Duration livenessTimeout,
    Runnable afterSetup, Runnable atEnd, Progress progress, EventLog eventLog, boolean runAhead, int joinDomains) {

  public RunSpec {
    if (endTimeNs <= 0) {
      throw new IllegalArgumentException("end time must be positive, got " + endTimeNs + "ns");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (joinDomains < 0) {
      throw new IllegalArgumentException("domains joined in a sequencer must be 0 (the engine's choice) or more,"
          + " got " + joinDomains);
    }
  }

  /** A run to {@code endTimeNs} without metrics clock or hooks (wall time reads as 0). */
  public static RunSpec until(long endTimeNs, int threads) {
    return new RunSpec(endTimeNs, threads, () -> 0L, Duration.ofHours(6), () -> {}, () -> {}, Progress.NONE, null,
        true, 0);
  }

  public RunSpec withWallClock(LongSupplier clock) {
    return new RunSpec(endTimeNs, threads, clock, livenessTimeout, afterSetup, atEnd, progress, eventLog,
        runAhead, joinDomains);
  }

  public RunSpec withAfterSetup(Runnable hook) {
    return new RunSpec(endTimeNs, threads, wallClock, livenessTimeout, hook, atEnd, progress, eventLog, runAhead,
        joinDomains);
  }

  public RunSpec withLivenessTimeout(Duration timeout) {
    return new RunSpec(endTimeNs, threads, wallClock, timeout, afterSetup, atEnd, progress, eventLog, runAhead,
        joinDomains);
  }

  public RunSpec withProgress(Progress listener) {
    return new RunSpec(endTimeNs, threads, wallClock, livenessTimeout, afterSetup, atEnd, listener, eventLog,
        runAhead, joinDomains);
  }

  public RunSpec withEventLog(EventLog log) {
    return new RunSpec(endTimeNs, threads, wallClock, livenessTimeout, afterSetup, atEnd, progress, log, runAhead,
        joinDomains);
  }

  /** Whether entities may run ahead ({@link SimContext#runAhead}); off for a comparison event by event. */
  public RunSpec withRunAhead(boolean on) {
    return new RunSpec(endTimeNs, threads, wallClock, livenessTimeout, afterSetup, atEnd, progress, eventLog, on,
        joinDomains);
  }

  /** Runs {@code domains} consecutive model domains in each sequencer of the actor engine (0: its choice). */
  public RunSpec withJoinDomains(int domains) {
    return new RunSpec(endTimeNs, threads, wallClock, livenessTimeout, afterSetup, atEnd, progress, eventLog, runAhead,
        domains);
  }

  public RunSpec withAtEnd(Runnable hook) {
    return new RunSpec(endTimeNs, threads, wallClock, livenessTimeout, afterSetup, hook, progress, eventLog,
        runAhead, joinDomains);
  }
}
