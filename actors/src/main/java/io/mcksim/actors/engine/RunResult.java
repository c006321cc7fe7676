package io.mcksim.actors.engine;

/**
 * The outcome of one run: what was simulated, how far, how fast, and the event-log digest.
 *
 * @param engine        "actors" or "sequential"
 * @param threads       threads of the dispatcher that ran the entities (1 for sequential)
 * @param domains       the model's domains
 * @param sequencers    the engine's domains (sequencers): each runs one or more consecutive model domains
 *                      (the actor engine joins many small ones); equal to {@code domains} on the
 *                      sequential engine, which runs them all in one queue
 * @param events        events processed
 * @param windows       global lookahead windows (0 for sequential)
 * @param subWindows    batches, summed over the engine's domains (0 for sequential)
 * @param virtualEndNs  virtual time reached: the end time if events remained, else the last event's time
 * @param wallNanos     wall-clock duration of the event loop, setup excluded
 * @param digest        SHA-256 event-log digest, hex
 * @param jvmMessages   messages that crossed between JVMs (window orders and reports, and cross-domain
 *                      batches between domains in different JVMs); 0 for a run in one JVM
 * @param faults        crashes, restarts and what they cost ({@link Faults#NONE} in a run without any)
 */
public record RunResult(String engine, int threads, String model, long seed, int entities, int domains,
    int sequencers, long events, long windows, long subWindows, long virtualEndNs, long wallNanos, String digest,
    long jvmMessages, Faults faults) {

  /**
   * What supervision, deathwatch and ask did in a run, summed over the entities.
   *
   * @param failures    entity failures: crashes, escalations (not stops that followed a supervisor's
   *                    failure)
   * @param restarts    fresh instances started by supervisors (a restarted supervisor's children
   *                    included)
   * @param deadEvents  events that reached a dead entity and were dropped (they count among
   *                    {@link #events()} and enter the digest as they arrive)
   * @param lateReplies answers (or death notices) to asks that had already ended, dropped
   */
  public record Faults(long failures, long restarts, long deadEvents, long lateReplies) {
    public static final Faults NONE = new Faults(0, 0, 0, 0);
  }

  public double wallSeconds() {
    return wallNanos / 1e9;
  }

  public double eventsPerSecond() {
    return wallNanos <= 0 ? 0 : events / (wallNanos / 1e9);
  }
}
