package io.mcksim.actors.engine;

import java.util.Arrays;

/**
 * A 4-ary min-heap of events, ordered by the engine's total order (time, target, source, source
 * sequence number), in primitive arrays: no boxing and no object per event. This is the hot path of
 * both engines.
 *
 * <p>The heap itself holds each event's sort key, its time and its route (target and source), side by
 * side in one array, and the index of its slot; the rest of the event lives in the slot arrays and is
 * read only to break a full tie in (time, target, source) or when the event is popped. Sifting thus
 * compares keys without leaving the heap's arrays, even among the many events of one time, and the four
 * children of a node lie in one stretch of 64 bytes.
 *
 * <p>{@link #pop()} moves the minimum into the {@code top*} fields, which stay valid until the next pop.
 */
final class EventHeap {

  /** Key of heap position i: time at 2i, route (target in the high 32 bits, source in the low) at 2i+1. */
  private long[] keys;
  private int[] heapSlot;
  private int size;

  private long[] slotSeq;
  private long[] slotData;
  private Object[] slotPayload;
  private int[] freeSlots;
  private int freeCount;

  long topTime;
  int topTarget;
  int topSource;
  long topSeq;
  long topData;
  Object topPayload;

  EventHeap(int initialCapacity) {
    int cap = Math.max(4, initialCapacity);
    keys = new long[2 * cap];
    heapSlot = new int[cap];
    slotSeq = new long[cap];
    slotData = new long[cap];
    slotPayload = new Object[cap];
    freeSlots = new int[cap];
    for (int i = 0; i < cap; i++) {
      freeSlots[i] = cap - 1 - i;
    }
    freeCount = cap;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Time of the earliest event, or {@code Long.MAX_VALUE} when empty. */
  long minTime() {
    return size == 0 ? Long.MAX_VALUE : keys[0];
  }

  /** (target, source) of the earliest event, packed as target:32 | source:32; only when not empty. */
  long peekRoute() {
    return keys[1];
  }

  /** Sequence number of the earliest event; only when not empty. */
  long peekSeq() {
    return slotSeq[heapSlot[0]];
  }

  void push(long t, int target, int source, long sq, long d, Object p) {
    if (freeCount == 0) {
      grow();
    }
    int slot = freeSlots[--freeCount];
    long route = ((long) target << 32) | (source & 0xFFFFFFFFL);
    slotSeq[slot] = sq;
    slotData[slot] = d;
    slotPayload[slot] = p;
    long[] k = keys;
    int hole = size++;
    while (hole > 0) {
      int parent = (hole - 1) >>> 2;
      if (!before(t, route, sq, k[2 * parent], k[2 * parent + 1], heapSlot[parent])) {
        break;
      }
      k[2 * hole] = k[2 * parent];
      k[2 * hole + 1] = k[2 * parent + 1];
      heapSlot[hole] = heapSlot[parent];
      hole = parent;
    }
    k[2 * hole] = t;
    k[2 * hole + 1] = route;
    heapSlot[hole] = slot;
  }

  void pop() {
    long[] k = keys;
    int slot = heapSlot[0];
    topTime = k[0];
    long top = k[1];
    topTarget = (int) (top >>> 32);
    topSource = (int) top;
    topSeq = slotSeq[slot];
    topData = slotData[slot];
    topPayload = slotPayload[slot];
    slotPayload[slot] = null;
    freeSlots[freeCount++] = slot;
    int last = --size;
    if (last == 0) {
      return;
    }
    long t = k[2 * last];
    long route = k[2 * last + 1];
    int s = heapSlot[last];
    long seq = slotSeq[s];
    int hole = 0;
    while (true) {
      int first = 4 * hole + 1;
      if (first >= last) {
        break;
      }
      int best = first;
      long bestTime = k[2 * first];
      long bestRoute = k[2 * first + 1];
      int end = Math.min(first + 4, last);
      for (int c = first + 1; c < end; c++) {
        long ct = k[2 * c];
        long cr = k[2 * c + 1];
        if (ct < bestTime || ct == bestTime && (cr < bestRoute
            || cr == bestRoute && slotSeq[heapSlot[c]] < slotSeq[heapSlot[best]])) {
          best = c;
          bestTime = ct;
          bestRoute = cr;
        }
      }
      if (before(t, route, seq, bestTime, bestRoute, heapSlot[best])) {
        break;
      }
      k[2 * hole] = bestTime;
      k[2 * hole + 1] = bestRoute;
      heapSlot[hole] = heapSlot[best];
      hole = best;
    }
    k[2 * hole] = t;
    k[2 * hole + 1] = route;
    heapSlot[hole] = s;
  }

  /**
   * Is event (t1, route1, seq1) strictly before the event of key (t2, route2) in slot {@code slot2}
   * in the total order? The slot's sequence number is read only on a tie in time and route.
   */
  private boolean before(long t1, long route1, long seq1, long t2, long route2, int slot2) {
    if (t1 != t2) {
      return t1 < t2;
    }
    if (route1 != route2) {
      return route1 < route2;
    }
    return seq1 < slotSeq[slot2];
  }

  private void grow() {
    int old = heapSlot.length;
    int cap = old * 2;
    keys = Arrays.copyOf(keys, 2 * cap);
    heapSlot = Arrays.copyOf(heapSlot, cap);
    slotSeq = Arrays.copyOf(slotSeq, cap);
    slotData = Arrays.copyOf(slotData, cap);
    slotPayload = Arrays.copyOf(slotPayload, cap);
    freeSlots = Arrays.copyOf(freeSlots, cap);
    for (int i = old; i < cap; i++) {
      freeSlots[freeCount++] = cap - 1 - (i - old);
    }
  }
}
