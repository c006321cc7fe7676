package io.mcksim.actors.engine;

import java.util.Arrays;

/**
 * A 4-ary min-heap of events, ordered by the engine's total order (time, target, source, source
 * sequence number), in primitive arrays: no boxing and no object per event. This is the hot path of
 * both engines.
 *
 * <p>The heap itself holds only each event's time and the index of its slot; the rest of the event
 * lives in its slot and is read only to break a tie in time or when the event is popped. Sifting thus
 * touches two arrays, and the four children of a node share a cache line. A slot's route, sequence
 * number and data word lie side by side in one array ({@link #SLOT_WORDS} longs per slot), so a pop or
 * a tie-break that reaches a slot far from the last one finds them in one cache line, not three.
 *
 * <p>{@link #pop()} moves the minimum into the {@code top*} fields, which stay valid until the next pop.
 */
final class EventHeap {

  private long[] heapTime;
  private int[] heapSlot;
  private int size;

  /** Longs per slot in {@link #slotWords}: route, sequence number, data word. */
  private static final int SLOT_WORDS = 3;

  /**
   * Slot storage: per slot, its route (target in the high 32 bits, source in the low 32 bits), its
   * sequence number and its data word, at {@code SLOT_WORDS * slot}; the payloads beside them.
   */
  private long[] slotWords;
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
    slotWords = new long[SLOT_WORDS * cap];
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
    return slotWords[SLOT_WORDS * heapSlot[0]];
  }

  /** Sequence number of the earliest event; only when not empty. */
  long peekSeq() {
    return slotWords[SLOT_WORDS * heapSlot[0] + 1];
  }

  void push(long t, int target, int source, long sq, long d, Object p) {
    if (freeCount == 0) {
      grow();
    }
    int slot = freeSlots[--freeCount];
    int w = SLOT_WORDS * slot;
    slotWords[w] = ((long) target << 32) | (source & 0xFFFFFFFFL);
    slotWords[w + 1] = sq;
    slotWords[w + 2] = d;
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
    int w = SLOT_WORDS * slot;
    long route = slotWords[w];
    topTarget = (int) (route >>> 32);
    topSource = (int) route;
    topSeq = slotWords[w + 1];
    topData = slotWords[w + 2];
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
    int w1 = SLOT_WORDS * slot1;
    int w2 = SLOT_WORDS * slot2;
    long r1 = slotWords[w1];
    long r2 = slotWords[w2];
    if (r1 != r2) {
      return r1 < r2;
    }
    return slotWords[w1 + 1] < slotWords[w2 + 1];
  }

  private void grow() {
    int old = heapTime.length;
    int cap = old * 2;
    heapTime = Arrays.copyOf(heapTime, cap);
    heapSlot = Arrays.copyOf(heapSlot, cap);
    slotWords = Arrays.copyOf(slotWords, SLOT_WORDS * cap);
    slotPayload = Arrays.copyOf(slotPayload, cap);
    freeSlots = Arrays.copyOf(freeSlots, cap);
    for (int i = old; i < cap; i++) {
      freeSlots[freeCount++] = cap - 1 - (i - old);
    }
  }
}
