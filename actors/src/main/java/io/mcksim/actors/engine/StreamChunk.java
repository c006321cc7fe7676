package io.mcksim.actors.engine;

import java.util.List;

/**
 * What travels through a domain's stream ({@link StreamTransport}) as one element: the events one
 * entity streamed on one channel since its domain last fed the stream, in the order it sent them.
 * Carrying a writer's packets together costs the stream one element, not one per packet; a chunk is
 * never larger than what its writer may have in flight (for IKC, its share of the ring).
 *
 * <p>The events are read by index ({@link #time(int)}, {@link #payload(int)}, ...): the first lies in
 * the chunk's own fields, the others in primitive columns made when a second comes, so no object per
 * event, and a chunk of one (an IKC packet, the usual case) has no columns: a domain keeps its chunks
 * for reuse, and at the Fugaku size BSP's domains keep one per McKernel CPU. A chunk belongs to its domain's stream link, which gathers the events into
 * it and, once the domain has filed them, reuses it for later ones: a transport passes each chunk on
 * and keeps no reference to it (nor reads it after passing it on).
 */
public final class StreamChunk {

  private long channel;
  private long minTime = Long.MAX_VALUE;
  private int size;
  /** The first event. */
  private long time0;
  private int target0;
  private int source0;
  private long seq0;
  private long data0;
  private Object payload0;
  /** The events after the first (event i at index i - 1), made when a second event comes. */
  private EventBuffer rest;
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
    if (size == 0) {
      time0 = time;
      target0 = target;
      source0 = source;
      seq0 = seq;
      data0 = data;
      payload0 = payload;
    } else {
      if (rest == null) {
        rest = new EventBuffer();
      }
      rest.add(time, target, source, seq, data, payload);
    }
    size++;
    if (time < minTime) {
      minTime = time;
    }
  }

  /** Forgets the events (their payloads too), keeping the room, for the chunk's next use. */
  void clear() {
    payload0 = null;
    if (rest != null) {
      rest.clear();
    }
    size = 0;
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
    return size;
  }

  /** The time event {@code i} is due at. */
  public long time(int i) {
    return i == 0 ? time0 : rest.time[i - 1];
  }

  /** The entity event {@code i} is sent to. */
  public int target(int i) {
    return i == 0 ? target0 : rest.target[i - 1];
  }

  /** The entity that sent event {@code i}. */
  public int source(int i) {
    return i == 0 ? source0 : rest.source[i - 1];
  }

  /** Event {@code i}'s sequence number among its sender's sends. */
  public long seq(int i) {
    return i == 0 ? seq0 : rest.seq[i - 1];
  }

  /** Event {@code i}'s data word. */
  public long data(int i) {
    return i == 0 ? data0 : rest.data[i - 1];
  }

  /** Event {@code i}'s payload. */
  public Object payload(int i) {
    return i == 0 ? payload0 : rest.payload[i - 1];
  }

  /** Event {@code i} as one object (for messages and tests). */
  public StreamedEvent event(int i) {
    return new StreamedEvent(time(i), target(i), source(i), seq(i), data(i), payload(i));
  }
}
