package io.mcksim.actors.engine;

import java.util.Arrays;

/**
 * A growable list of events in parallel primitive arrays: no object per event. Used for a domain's
 * batch, for the per-thread outboxes, and for the cross-domain events one domain sends another per
 * window. Keeps its capacity when cleared.
 */
final class EventBuffer implements EventSink {

  private static final long[] NO_LONGS = new long[0];
  private static final int[] NO_INTS = new int[0];
  private static final Object[] NO_OBJECTS = new Object[0];

  long[] time = NO_LONGS;
  int[] target = NO_INTS;
  int[] source = NO_INTS;
  long[] seq = NO_LONGS;
  long[] data = NO_LONGS;
  Object[] payload = NO_OBJECTS;
  int size;

  EventBuffer() {
  }

  /** A buffer with room for {@code capacity} events from the start. */
  EventBuffer(int capacity) {
    time = new long[capacity];
    target = new int[capacity];
    source = new int[capacity];
    seq = new long[capacity];
    data = new long[capacity];
    payload = new Object[capacity];
  }

  void add(long t, int tgt, int src, long sq, long d, Object p) {
    if (size == time.length) {
      grow();
    }
    int i = size++;
    time[i] = t;
    target[i] = tgt;
    source[i] = src;
    seq[i] = sq;
    data[i] = d;
    payload[i] = p;
  }

  @Override
  public void accept(long t, int tgt, int src, long sq, long d, Object p) {
    add(t, tgt, src, sq, d, p);
  }

  /** Hands every event to {@code sink}, in order, then forgets them. */
  void drainTo(EventSink sink) {
    for (int i = 0; i < size; i++) {
      sink.accept(time[i], target[i], source[i], seq[i], data[i], payload[i]);
    }
    clear();
  }

  /** Forgets the contents; drops payload references so they can be collected. */
  void clear() {
    if (size > 0) {
      Arrays.fill(payload, 0, size, null);
      size = 0;
    }
  }

  /** Forgets the contents and gives back the room (a buffer that grew for a large batch). */
  void release() {
    time = NO_LONGS;
    target = NO_INTS;
    source = NO_INTS;
    seq = NO_LONGS;
    data = NO_LONGS;
    payload = NO_OBJECTS;
    size = 0;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /**
   * Room for one event at first, then twice as much each time: a buffer kept for reuse stays as small
   * as what it has held (a stream chunk's events after its first, which a domain keeps per offloading
   * CPU at BSP's scale, mostly none or few).
   */
  private void grow() {
    int cap = Math.max(1, time.length * 2);
    time = copy(time, cap);
    target = copy(target, cap);
    source = copy(source, cap);
    seq = copy(seq, cap);
    data = copy(data, cap);
    Object[] p = new Object[cap];
    System.arraycopy(payload, 0, p, 0, size);
    payload = p;
  }

  private long[] copy(long[] a, int cap) {
    long[] b = new long[cap];
    System.arraycopy(a, 0, b, 0, size);
    return b;
  }

  private int[] copy(int[] a, int cap) {
    int[] b = new int[cap];
    System.arraycopy(a, 0, b, 0, size);
    return b;
  }
}
