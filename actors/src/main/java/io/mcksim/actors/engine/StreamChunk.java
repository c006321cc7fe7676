package io.mcksim.actors.engine;

import java.util.List;

/**
 * What travels through a domain's stream ({@link StreamTransport}) as one element: the events one
 * entity streamed on one channel since its domain last fed the stream, in the order it sent them.
 * Carrying a writer's packets together costs the stream one element, not one per packet; a chunk is
 * never larger than what its writer may have in flight (for IKC, its share of the ring).
 *
 * <p>The events lie in primitive columns, read by index ({@link #time(int)}, {@link #payload(int)},
 * ...): no object per event. A chunk belongs to its domain's stream link, which gathers the events into
 * it and, once the domain has filed them, reuses it for later ones: a transport passes each chunk on
 * and keeps no reference to it (nor reads it after passing it on).
 */
public final class StreamChunk {

  private long channel;
  private long minTime = Long.MAX_VALUE;
  final EventBuffer events = new EventBuffer();
  /** While gathering: the writer's index in its domain, and the same writer's other open chunk. */
  int writer;
  StreamChunk nextOfWriter;

  StreamChunk() {}

  /**
   * A chunk of {@code events} on {@code channel}, for tests and benchmarks that feed a transport
   * themselves (the engine gathers its own).
   */
  public static StreamChunk of(long channel, List<StreamedEvent> events) {
    StreamChunk c = new StreamChunk();
    c.channel = channel;
    for (StreamedEvent e : events) {
      c.add(e.time(), e.target(), e.source(), e.seq(), e.data(), e.payload());
    }
    return c;
  }

  /** Makes this (empty) chunk gather the events of writer {@code writer} on {@code channel}. */
  void open(long channel, int writer) {
    this.channel = channel;
    this.writer = writer;
  }

  void add(long time, int target, int source, long seq, long data, Object payload) {
    events.add(time, target, source, seq, data, payload);
    if (time < minTime) {
      minTime = time;
    }
  }

  /** Forgets the events (their payloads too), keeping the room, for the chunk's next use. */
  void clear() {
    events.clear();
    minTime = Long.MAX_VALUE;
    nextOfWriter = null;
  }

  /** The channel they travel on ({@link StreamTransport#channel}; 0 for a transport with no channels). */
  public long channel() {
    return channel;
  }

  /** The earliest of their times. */
  public long minTime() {
    return minTime;
  }

  /** Events in this chunk. */
  public int size() {
    return events.size;
  }

  /** The time event {@code i} is due at. */
  public long time(int i) {
    return events.time[i];
  }

  /** The entity event {@code i} is sent to. */
  public int target(int i) {
    return events.target[i];
  }

  /** The entity that sent event {@code i}. */
  public int source(int i) {
    return events.source[i];
  }

  /** Event {@code i}'s sequence number among its sender's sends. */
  public long seq(int i) {
    return events.seq[i];
  }

  /** Event {@code i}'s data word. */
  public long data(int i) {
    return events.data[i];
  }

  /** Event {@code i}'s payload. */
  public Object payload(int i) {
    return events.payload[i];
  }

  /** Event {@code i} as one object (for messages and tests). */
  public StreamedEvent event(int i) {
    return new StreamedEvent(time(i), target(i), source(i), seq(i), data(i), payload(i));
  }
}
