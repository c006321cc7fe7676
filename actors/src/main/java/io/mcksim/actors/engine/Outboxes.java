package io.mcksim.actors.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where entity actors put the events they send during a batch: one buffer per (dispatcher thread,
 * domain), instead of one per entity. A thread runs one entity at a time, and a domain reads its
 * buffers only between batches, after its latch has ordered every write before the read; so no buffer
 * is ever touched by two threads at once, and idle entities own no buffer at all.
 *
 * <p>The order in which a domain drains the buffers does not matter: every event carries its full
 * (time, target, source, sequence number) key and lands in a priority queue.
 */
final class Outboxes {

  private final int domains;
  private final List<EventBuffer[]> all = new CopyOnWriteArrayList<>();
  private final ThreadLocal<EventBuffer[]> perThread = ThreadLocal.withInitial(this::register);

  Outboxes(int domains) {
    this.domains = domains;
  }

  private EventBuffer[] register() {
    EventBuffer[] buffers = new EventBuffer[domains];
    all.add(buffers);
    return buffers;
  }

  /** The calling thread's buffer for entities of {@code domain}. */
  EventBuffer forCurrentThread(int domain) {
    EventBuffer[] buffers = perThread.get();
    EventBuffer b = buffers[domain];
    if (b == null) {
      b = new EventBuffer();
      buffers[domain] = b;
    }
    return b;
  }

  /**
   * Drops every thread's buffer for {@code domain} (their room goes back; a later batch makes new
   * ones): call only while no entity of that domain runs, as {@link #drain}.
   */
  void release(int domain) {
    for (EventBuffer[] buffers : all) {
      buffers[domain] = null;
    }
  }

  /** Every thread's buffer for {@code domain}: call only while no entity of that domain runs. */
  void drain(int domain, EventBuffer.Consumer sink) {
    for (EventBuffer[] buffers : all) {
      EventBuffer b = buffers[domain];
      if (b != null && !b.isEmpty()) {
        for (int i = 0; i < b.size; i++) {
          sink.accept(b.time[i], b.target[i], b.source[i], b.seq[i], b.data[i], b.payload[i]);
        }
        b.clear();
      }
    }
  }
}
