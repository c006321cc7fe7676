package io.mcksim.actors.engine;

import java.util.Arrays;

/**
 * A 4-ary min-heap of events, ordered by the engine's total order (time, target, source, source
 * sequence number), in primitive arrays: no boxing and no object per event. This is the hot path of
 * both engines.
 *
 * <p>The heap itself holds only each event's time and the index of its slot; the rest of the event
 * lives in the slot arrays and is read only to break a tie in time or when the event is popped. Sifting
 * thus touches two arrays, and the four children of a node share a cache line.
 *
 * <p>{@link #pop()} moves the minimum into the {@code top*} fields, which stay valid until the next pop.
 */
final class EventHeap {

  private long[] heapTime;
  private int[] heapSlot;
  private int size;

  /** Slot storage: target in the high 32 bits of route, source in the low 32 bits. */
  private long[] slotRoute;
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
    heapTime = new long[cap];
    heapSlot = new int[cap];
    slotRoute = new long[cap];
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
    return size == 0 ? Long.MAX_VALUE : heapTime[0];
  }

  /** (target, source) of the earliest event, packed as target:32 | source:32; only when not empty. */
  long peekRoute() {
    return slotRoute[heapSlot[0]];
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
    slotRoute[slot] = ((long) target << 32) | (source & 0xFFFFFFFFL);
    slotSeq[slot] = sq;
    slotData[slot] = d;
    slotPayload[slot] = p;
    int hole = size++;
    while (hole > 0) {
      int parent = (hole - 1) >>> 2;
      if (!before(t, slot, heapTime[parent], heapSlot[parent])) {
        break;
      }
      heapTime[hole] = heapTime[parent];
      heapSlot[hole] = heapSlot[parent];
      hole = parent;
    }
    heapTime[hole] = t;
    heapSlot[hole] = slot;
  }

  void pop() {
    int slot = heapSlot[0];
    topTime = heapTime[0];
    long route = slotRoute[slot];
    topTarget = (int) (route >>> 32);
    topSource = (int) route;
    topSeq = slotSeq[slot];
    topData = slotData[slot];
    topPayload = slotPayload[slot];
    slotPayload[slot] = null;
    freeSlots[freeCount++] = slot;
    int last = --size;
    if (last == 0) {
      return;
    }
    long t = heapTime[last];
    int s = heapSlot[last];
    int hole = 0;
    while (true) {
      int first = 4 * hole + 1;
      if (first >= last) {
        break;
      }
      int best = first;
      long bestTime = heapTime[first];
      int end = Math.min(first + 4, last);
      for (int c = first + 1; c < end; c++) {
        long ct = heapTime[c];
        if (ct < bestTime || (ct == bestTime && tieBefore(heapSlot[c], heapSlot[best]))) {
          best = c;
          bestTime = ct;
        }
      }
      if (!before(bestTime, heapSlot[best], t, s)) {
        break;
      }
      heapTime[hole] = bestTime;
      heapSlot[hole] = heapSlot[best];
      hole = best;
    }
    heapTime[hole] = t;
    heapSlot[hole] = s;
  }

  /** Is event (t1, slot1) strictly before event (t2, slot2) in the total order? */
  private boolean before(long t1, int slot1, long t2, int slot2) {
    if (t1 != t2) {
      return t1 < t2;
    }
    return tieBefore(slot1, slot2);
  }

  /** Same time: order by (target, source), then sequence number. */
  private boolean tieBefore(int slot1, int slot2) {
    long r1 = slotRoute[slot1];
    long r2 = slotRoute[slot2];
    if (r1 != r2) {
      return r1 < r2;
    }
    return slotSeq[slot1] < slotSeq[slot2];
  }

  private void grow() {
    int old = heapTime.length;
    int cap = old * 2;
    heapTime = Arrays.copyOf(heapTime, cap);
    heapSlot = Arrays.copyOf(heapSlot, cap);
    slotRoute = Arrays.copyOf(slotRoute, cap);
    slotSeq = Arrays.copyOf(slotSeq, cap);
    slotData = Arrays.copyOf(slotData, cap);
    slotPayload = Arrays.copyOf(slotPayload, cap);
    freeSlots = Arrays.copyOf(freeSlots, cap);
    for (int i = old; i < cap; i++) {
      freeSlots[freeCount++] = cap - 1 - (i - old);
    }
  }
}
