package io.mcksim.actors.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the run digest and the result need of every entity: its event hash and event count, plus the
 * events past the end time and the last event's time over all entities. It is filled from
 * {@link ClusterMessages.Totals} chunks: a JVM's own cells, or each worker's in a run spread over JVMs.
 */
final class EntityTotals {

  final long[] hashes;
  final long[] counts;
  long beyondEnd;
  long lastEventTime;
  /** Failures, restarts, dead events, late replies: see {@link RunResult.Faults}. */
  final long[] faults = new long[4];

  EntityTotals(int entities) {
    this.hashes = new long[entities];
    this.counts = new long[entities];
  }

  /** Adds every cell of {@code plan} (all of a plan run in one JVM). */
  void add(RunPlan plan) {
    chunks(plan, plan.cells.length).forEach(this::add);
  }

  /**
   * The totals of the cells this JVM created, {@code size} entities per chunk at most: what a worker
   * sends at the end of a run spread over JVMs.
   */
  static List<ClusterMessages.Totals> chunks(RunPlan plan, int size) {
    EntityCell[] cells = plan.cells;
    List<ClusterMessages.Totals> out = new ArrayList<>();
    int id = 0;
    while (id < cells.length) {
      int[] ids = new int[Math.min(size, cells.length - id)];
      long[] hashes = new long[ids.length];
      long[] counts = new long[ids.length];
      int n = 0;
      long beyond = 0;
      long last = 0;
      long[] faults = new long[4];
      for (; id < cells.length && n < ids.length; id++) {
        EntityCell c = cells[id];
        if (c != null) {
          ids[n] = id;
          hashes[n] = c.digest;
          counts[n] = c.events;
          beyond += c.beyondEnd;
          last = Math.max(last, c.lastEventTime);
          if (c.life != null) {
            faults[0] += c.life.failures;
            faults[1] += c.life.restarts;
            faults[2] += c.life.deadEvents;
            faults[3] += c.life.lateReplies;
          }
          n++;
        }
      }
      if (n > 0) {
        out.add(new ClusterMessages.Totals(Arrays.copyOf(ids, n), Arrays.copyOf(hashes, n),
            Arrays.copyOf(counts, n), beyond, last, faults));
      }
    }
    return out;
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
    for (int i = 0; i < faults.length; i++) {
      faults[i] += chunk.faults()[i];
    }
  }

  RunResult.Faults faults() {
    if (faults[0] == 0 && faults[1] == 0 && faults[2] == 0 && faults[3] == 0) {
      return RunResult.Faults.NONE;
    }
    return new RunResult.Faults(faults[0], faults[1], faults[2], faults[3]);
  }

  long events() {
    long sum = 0;
    for (long c : counts) {
      sum += c;
    }
    return sum;
  }
}
