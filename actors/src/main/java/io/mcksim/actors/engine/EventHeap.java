package io.mcksim.actors.engine;

import java.util.Arrays;

/**
 * A binary min-heap of events in parallel primitive arrays, ordered by the engine's total order
 * (time, target, source, source sequence number). No boxing and no object per event: this is the hot
 * path of both engines.
 *
 * <p>{@link #pop()} moves the minimum into the {@code top*} fields, which stay valid until the next pop.
 */
final class EventHeap {

  private long[] time;
  /** target in the high 32 bits, source in the low 32 bits: one compare for the middle of the key. */
  private long[] route;
  private long[] seq;
  private long[] data;
  private Object[] payload;
  private int size;

  long topTime;
  int topTarget;
  int topSource;
  long topSeq;
  long topData;
  Object topPayload;

  EventHeap(int initialCapacity) {
    int cap = Math.max(4, initialCapacity);
    time = new long[cap];
    route = new long[cap];
    seq = new long[cap];
    data = new long[cap];
    payload = new Object[cap];
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Time of the earliest event, or {@code Long.MAX_VALUE} when empty. */
  long minTime() {
    return size == 0 ? Long.MAX_VALUE : time[0];
  }

  /** Key of the earliest event (valid only when not empty). */
  long peekRoute() {
    return route[0];
  }

  long peekSeq() {
    return seq[0];
  }

  void push(long t, int target, int source, long sq, long d, Object p) {
    if (size == time.length) {
      grow();
    }
    long r = ((long) target << 32) | (source & 0xFFFFFFFFL);
    int hole = size++;
    while (hole > 0) {
      int parent = (hole - 1) >>> 1;
      if (!less(t, r, sq, parent)) {
        break;
      }
      move(parent, hole);
      hole = parent;
    }
    set(hole, t, r, sq, d, p);
  }

  void pop() {
    topTime = time[0];
    long r0 = route[0];
    topTarget = (int) (r0 >>> 32);
    topSource = (int) r0;
    topSeq = seq[0];
    topData = data[0];
    topPayload = payload[0];
    int last = --size;
    long t = time[last];
    long r = route[last];
    long sq = seq[last];
    long d = data[last];
    Object p = payload[last];
    payload[last] = null;
    if (last == 0) {
      return;
    }
    int hole = 0;
    int half = last >>> 1;
    while (hole < half) {
      int child = 2 * hole + 1;
      int right = child + 1;
      if (right < last && lessIdx(right, child)) {
        child = right;
      }
      if (!lessIdx2(child, t, r, sq)) {
        break;
      }
      move(child, hole);
      hole = child;
    }
    set(hole, t, r, sq, d, p);
  }

  private boolean less(long t, long r, long sq, int j) {
    if (t != time[j]) {
      return t < time[j];
    }
    if (r != route[j]) {
      return r < route[j];
    }
    return sq < seq[j];
  }

  private boolean lessIdx(int i, int j) {
    return less(time[i], route[i], seq[i], j);
  }

  /** Is the element at {@code i} less than (t, r, sq)? */
  private boolean lessIdx2(int i, long t, long r, long sq) {
    if (time[i] != t) {
      return time[i] < t;
    }
    if (route[i] != r) {
      return route[i] < r;
    }
    return seq[i] < sq;
  }

  private void move(int from, int to) {
    time[to] = time[from];
    route[to] = route[from];
    seq[to] = seq[from];
    data[to] = data[from];
    payload[to] = payload[from];
  }

  private void set(int i, long t, long r, long sq, long d, Object p) {
    time[i] = t;
    route[i] = r;
    seq[i] = sq;
    data[i] = d;
    payload[i] = p;
  }

  private void grow() {
    int cap = time.length * 2;
    time = Arrays.copyOf(time, cap);
    route = Arrays.copyOf(route, cap);
    seq = Arrays.copyOf(seq, cap);
    data = Arrays.copyOf(data, cap);
    payload = Arrays.copyOf(payload, cap);
  }
}
