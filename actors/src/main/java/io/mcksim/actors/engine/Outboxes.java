package io.mcksim.actors.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where entity actors put the events they send during a batch: one buffer per (dispatcher thread,
 * domain), instead of one per entity, and one more for what they stream ({@link
 * SimContext#sendStreamed}), which the domain hands to its stream link. A thread runs one entity at a
 * time, and a domain reads its buffers only between batches, after its latch has ordered every write before the read; so no buffer
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

  /** Per thread: at {@code 2 * domain} the buffer of its sends, at {@code 2 * domain + 1} of its streamed ones. */
  private EventBuffer[] register() {
    EventBuffer[] buffers = new EventBuffer[2 * domains];
    all.add(buffers);
    return buffers;
  }

  /** The calling thread's buffer for entities of {@code domain}. */
  EventBuffer forCurrentThread(int domain) {
    return buffer(2 * domain);
  }

  /** The calling thread's buffer for what entities of {@code domain} stream. */
  EventBuffer streamedForCurrentThread(int domain) {
    return buffer(2 * domain + 1);
  }

  private EventBuffer buffer(int index) {
    EventBuffer[] buffers = perThread.get();
    EventBuffer b = buffers[index];
    if (b == null) {
      b = new EventBuffer();
      buffers[index] = b;
    }
    return b;
  }

  /**
   * Drops every thread's buffers for {@code domain} (their room goes back; a later batch makes new
   * ones): call only while no entity of that domain runs, as {@link #drain}.
   */
  void release(int domain) {
    for (EventBuffer[] buffers : all) {
      buffers[2 * domain] = null;
      buffers[2 * domain + 1] = null;
    }
  }

  /** Every thread's buffer for {@code domain}: call only while no entity of that domain runs. */
  void drain(int domain, EventSink sink) {
    drainBuffers(2 * domain, sink);
  }

  /**
   * Every thread's buffer of what entities of {@code domain} streamed, each in the order sent (an entity
   * runs a batch on one thread): call only while no entity of that domain runs.
   */
  void drainStreamed(int domain, EventSink sink) {
    drainBuffers(2 * domain + 1, sink);
  }

  private void drainBuffers(int index, EventSink sink) {
    for (EventBuffer[] buffers : all) {
      EventBuffer b = buffers[index];
      if (b != null && !b.isEmpty()) {
        b.drainTo(sink);
      }
    }
  }
}
