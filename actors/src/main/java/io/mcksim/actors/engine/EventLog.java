package io.mcksim.actors.engine;

/**
 * Told every event of a run, in the order the run processes them (the total order time, target,
 * source, sequence number), just before its entity handles it: the full event log a replay writes.
 * Only the sequential engine, whose order is that total order, keeps one.
 */
@FunctionalInterface
public interface EventLog {

  void event(long time, int target, int source, long seq, long data, Object payload);
}
