package io.mcksim.actors.engine;

/**
 * What the run digest and the result need of every entity: its event hash and event count, plus the
 * events past the end time and the last event's time over all entities. One JVM fills it from its
 * cells; a run spread over JVMs fills it from each worker's {@link ClusterMessages.Totals} chunks.
 */
final class EntityTotals {

  final long[] hashes;
  final long[] counts;
  long beyondEnd;
  long lastEventTime;

  EntityTotals(int entities) {
    this.hashes = new long[entities];
    this.counts = new long[entities];
  }

  /** Adds the cells {@code [from, to)} of {@code plan} this JVM created. */
  void add(RunPlan plan, int from, int to) {
    for (int id = from; id < to; id++) {
      EntityCell c = plan.cells[id];
      if (c != null) {
        hashes[id] = c.digest;
        counts[id] = c.events;
        beyondEnd += c.beyondEnd;
        lastEventTime = Math.max(lastEventTime, c.lastEventTime);
      }
    }
  }

  /** Adds one chunk another JVM sent. */
  void add(ClusterMessages.Totals chunk) {
    int[] ids = chunk.entities();
    for (int i = 0; i < ids.length; i++) {
      hashes[ids[i]] = chunk.hashes()[i];
      counts[ids[i]] = chunk.counts()[i];
    }
    beyondEnd += chunk.beyondEnd();
    lastEventTime = Math.max(lastEventTime, chunk.lastEventTime());
  }

  long events() {
    long sum = 0;
    for (long c : counts) {
      sum += c;
    }
    return sum;
  }
}
