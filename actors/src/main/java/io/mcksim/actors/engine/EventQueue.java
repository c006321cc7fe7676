package io.mcksim.actors.engine;

import java.util.Arrays;

/**
 * The engines' event queue: a radix heap on time with 8-bit digits (a ladder of 8 rungs of 256
 * buckets, one rung per byte of the time), whose buckets are columns of primitive arrays, and the
 * events of the current instant sorted once by the rest of the total order. It pops in exactly the
 * order of {@link EventHeap} (time, target, source, sequence number), ties included, and holds each
 * event in one place, moved as a whole: no slot indirection, no object per event.
 *
 * <p>Let {@code last} be the time of the instant being popped. An event later than {@code last} lies
 * in rung {@code d}, where byte {@code d} is the highest byte in which its time differs from
 * {@code last}, and in that rung's bucket {@code v}, its time's byte {@code d}. Every event of a lower
 * rung is earlier than every event of a higher one, and within a rung the buckets are in time order; a
 * bucket of rung 0 is a single instant. A push appends to its bucket, O(1), touching only the ends of
 * its arrays. When the current instant is used up, the first non-empty bucket of the lowest non-empty
 * rung is taken: a bucket of rung 0 becomes the new instant as it is; a higher one is read once, front
 * to back, its earliest time becoming {@code last}, the events at that time the new instant and the
 * others going to lower rungs. The new instant is then sorted by (target, source, sequence number).
 * An event moves at most once per byte of its distance in time (at most twice for a distance under 16
 * ms), every move a sequential read and an append: the queue has the locality that a binary heap of
 * millions of events lacks (each of its pops walks a path of cache misses).
 *
 * <p>An event pushed at or before {@code last} (at the same instant, as a zero-delay send to oneself,
 * or earlier, which the engines never do but the queue allows) goes to a small {@link EventHeap} that
 * is merged with the instant by the full key, so the order is exact for any sequence of pushes and
 * pops.
 *
 * <p>Buckets are made on first use and go back to a pool of the queue when emptied, so a small queue
 * (one domain's) stays small and a large one reuses its arrays instead of growing new ones.
 *
 * <p>{@link #pop()} moves the minimum into the {@code top*} fields, which stay valid until the next pop.
 */
final class EventQueue {

  /** Bits per digit of the time, and so buckets per rung ({@code 1 << DIGIT}). */
  private static final int DIGIT = 8;
  private static final int WIDTH = 1 << DIGIT;
  /** Rungs: one per digit of a 64-bit time. */
  private static final int RUNGS = 64 / DIGIT;
  /** A bucket that grew beyond this many events may give its arrays back when emptied. */
  private static final int KEEP_CAPACITY = 1 << 12;
  /** Empty buckets kept for reuse, at most. */
  private static final int POOL = 64;
  /** Initial capacity of a bucket: a domain's queue starts small. */
  private static final int INITIAL = 8;
  /** Below this many events an instant is sorted by insertion. */
  private static final int INSERTION_SORT = 24;

  /** The buckets, rung by rung ({@code WIDTH * rung + digit}); null when empty. */
  private final Bucket[] buckets = new Bucket[RUNGS * WIDTH];
  /** Per rung, {@code WIDTH / 64} words: bit {@code v} is set when bucket {@code v} holds an event. */
  private final long[] occupied = new long[RUNGS * WIDTH / 64];
  /** Bit {@code d} is set when rung {@code d} holds an event. */
  private int rungs;
  /** Empty buckets for reuse. */
  private final Bucket[] pool = new Bucket[POOL];
  private int pooled;
  /** Events the pooled buckets have room for. */
  private long pooledCapacity;
  /** Time of the current instant; -1 before the first, so that every time {@code >= 0} has a bucket. */
  private long last = -1;
  private int size;

  /** The current instant's events in key order (route, then sequence number), from {@code runPos}. */
  private Bucket run = new Bucket();
  private int runPos;
  /** Scratch columns for sorting an instant; made on first need. */
  private long[] auxRoute;
  private long[] auxSeq;
  private long[] auxData;
  private Object[] auxPayload;

  /** Events pushed at or before {@code last}, merged with the instant by the full key. */
  private final EventHeap side = new EventHeap(4);

  long topTime;
  int topTarget;
  int topSource;
  long topSeq;
  long topData;
  Object topPayload;

  /** One bucket: its events in append order, a column per field; route is target:32 | source:32. */
  private static final class Bucket {
    long[] time;
    long[] route;
    long[] seq;
    long[] data;
    Object[] payload;
    int count;
    long min = Long.MAX_VALUE;

    Bucket() {
      allocate(INITIAL);
    }

    private void allocate(int capacity) {
      time = new long[capacity];
      route = new long[capacity];
      seq = new long[capacity];
      data = new long[capacity];
      payload = new Object[capacity];
    }

    void append(long t, long r, long sq, long d, Object p) {
      int i = count;
      if (i == time.length) {
        int capacity = i + (i >> 1);
        time = Arrays.copyOf(time, capacity);
        route = Arrays.copyOf(route, capacity);
        seq = Arrays.copyOf(seq, capacity);
        data = Arrays.copyOf(data, capacity);
        payload = Arrays.copyOf(payload, capacity);
      }
      time[i] = t;
      route[i] = r;
      seq[i] = sq;
      data[i] = d;
      payload[i] = p;
      count = i + 1;
      if (t < min) {
        min = t;
      }
    }
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Time of the earliest event, or {@code Long.MAX_VALUE} when empty. */
  long minTime() {
    if (runPos == run.count) {
      if (!side.isEmpty()) {
        return side.minTime();
      }
      if (!refill()) {
        return Long.MAX_VALUE;
      }
    }
    return Math.min(last, side.minTime());
  }

  void push(long t, int target, int source, long sq, long d, Object p) {
    size++;
    if (t <= last) {
      side.push(t, target, source, sq, d, p);
      return;
    }
    bucketFor(t, last).append(t, ((long) target << 32) | (source & 0xFFFFFFFFL), sq, d, p);
  }

  /** Removes the earliest event into the {@code top*} fields; only when not empty. */
  void pop() {
    if (runPos == run.count && side.isEmpty()) {
      refill();
    }
    size--;
    if (!side.isEmpty() && (runPos == run.count || sideFirst())) {
      side.pop();
      topTime = side.topTime;
      topTarget = side.topTarget;
      topSource = side.topSource;
      topSeq = side.topSeq;
      topData = side.topData;
      topPayload = side.topPayload;
      return;
    }
    Bucket r = run;
    int i = runPos++;
    long route = r.route[i];
    topTime = last;
    topTarget = (int) (route >>> 32);
    topSource = (int) route;
    topSeq = r.seq[i];
    topData = r.data[i];
    topPayload = r.payload[i];
    r.payload[i] = null;
  }

  /** Is the side heap's earliest event before the instant's next one? Both exist. */
  private boolean sideFirst() {
    long t = side.minTime();
    if (t != last) {
      return t < last;
    }
    long r = side.peekRoute();
    long runR = run.route[runPos];
    if (r != runR) {
      return r < runR;
    }
    return side.peekSeq() < run.seq[runPos];
  }

  /** The bucket of an event at {@code t > base} when {@code last} is {@code base}; made if needed. */
  private Bucket bucketFor(long t, long base) {
    int rung = (63 - Long.numberOfLeadingZeros(t ^ base)) / DIGIT;
    int index = WIDTH * rung + ((int) (t >>> (DIGIT * rung)) & (WIDTH - 1));
    Bucket b = buckets[index];
    if (b == null) {
      b = obtain();
      buckets[index] = b;
      occupied[index >>> 6] |= 1L << index;
      rungs |= 1 << rung;
    }
    return b;
  }

  /**
   * Makes the earliest bucketed instant the current one. False if no bucket holds an event. Only when
   * the instant is used up and the side heap is empty.
   */
  private boolean refill() {
    if (rungs == 0) {
      return false;
    }
    int rung = Integer.numberOfTrailingZeros(rungs);
    int word = rung * (WIDTH / 64);
    while (occupied[word] == 0) {
      word++;
    }
    int index = 64 * word + Long.numberOfTrailingZeros(occupied[word]);
    occupied[word] &= ~(1L << index);
    if (!rungHolds(rung, word)) {
      rungs &= ~(1 << rung);
    }
    Bucket from = buckets[index];
    buckets[index] = null;
    long m = from.min;
    last = m;
    release(run);
    runPos = 0;
    if (rung == 0) {
      run = from;
    } else {
      run = obtain();
      split(from, m);
      release(from);
    }
    sortRun();
    return true;
  }

  /** Does rung {@code rung} still hold a bucket at or after word {@code word}? */
  private boolean rungHolds(int rung, int word) {
    int end = (rung + 1) * (WIDTH / 64);
    for (int w = word; w < end; w++) {
      if (occupied[w] != 0) {
        return true;
      }
    }
    return false;
  }

  /** Moves the events of {@code from} at {@code m} into the instant, the others to lower rungs. */
  private void split(Bucket from, long m) {
    int n = from.count;
    long[] time = from.time;
    long[] route = from.route;
    long[] seq = from.seq;
    long[] data = from.data;
    Object[] payload = from.payload;
    Bucket r = run;
    for (int i = 0; i < n; i++) {
      long t = time[i];
      if (t == m) {
        r.append(t, route[i], seq[i], data[i], payload[i]);
      } else {
        bucketFor(t, m).append(t, route[i], seq[i], data[i], payload[i]);
      }
    }
    Arrays.fill(payload, 0, n, null);
  }

  /** An empty bucket: from the pool, or new. */
  private Bucket obtain() {
    if (pooled == 0) {
      return new Bucket();
    }
    Bucket b = pool[--pooled];
    pool[pooled] = null;
    pooledCapacity -= b.time.length;
    return b;
  }

  /**
   * Empties {@code b} (its payloads already cleared) into the pool, unless the pool is full. Arrays
   * beyond {@link #KEEP_CAPACITY} stay only while the pool's arrays hold room for at most an eighth of
   * the queue's events, so that a large queue reuses its large buckets and holds little beyond its
   * events.
   */
  private void release(Bucket b) {
    if (pooled == POOL) {
      return;
    }
    if (b.time.length > KEEP_CAPACITY && pooledCapacity + b.time.length > size / 8) {
      b.allocate(INITIAL);
    }
    pooledCapacity += b.time.length;
    b.count = 0;
    b.min = Long.MAX_VALUE;
    pool[pooled++] = b;
  }

  /** Sorts the instant by (route, sequence number), unless it already is (events often come in order). */
  private void sortRun() {
    Bucket r = run;
    int n = r.count;
    long[] route = r.route;
    long[] seq = r.seq;
    for (int i = 1; i < n; i++) {
      if (keyBefore(route[i], seq[i], route[i - 1], seq[i - 1])) {
        if (n <= INSERTION_SORT) {
          insertionSort(r, 0, n);
          return;
        }
        if (auxRoute == null || auxRoute.length < n) {
          auxRoute = new long[n];
          auxSeq = new long[n];
          auxData = new long[n];
          auxPayload = new Object[n];
        }
        mergeSort(r, 0, n);
        Arrays.fill(auxPayload, 0, n, null);
        if (n > KEEP_CAPACITY) {
          auxRoute = null;
          auxSeq = null;
          auxData = null;
          auxPayload = null;
        }
        return;
      }
    }
  }

  private static boolean keyBefore(long r1, long s1, long r2, long s2) {
    return r1 != r2 ? r1 < r2 : s1 < s2;
  }

  private static void insertionSort(Bucket b, int from, int to) {
    long[] route = b.route;
    long[] seq = b.seq;
    long[] data = b.data;
    Object[] payload = b.payload;
    for (int i = from + 1; i < to; i++) {
      long r = route[i];
      long sq = seq[i];
      if (!keyBefore(r, sq, route[i - 1], seq[i - 1])) {
        continue;
      }
      long d = data[i];
      Object p = payload[i];
      int j = i;
      do {
        route[j] = route[j - 1];
        seq[j] = seq[j - 1];
        data[j] = data[j - 1];
        payload[j] = payload[j - 1];
        j--;
      } while (j > from && keyBefore(r, sq, route[j - 1], seq[j - 1]));
      route[j] = r;
      seq[j] = sq;
      data[j] = d;
      payload[j] = p;
    }
  }

  /** Sorts {@code [from, to)} of {@code b} by key through the scratch columns (stable). */
  private void mergeSort(Bucket b, int from, int to) {
    if (to - from <= INSERTION_SORT) {
      insertionSort(b, from, to);
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(b, from, mid);
    mergeSort(b, mid, to);
    long[] route = b.route;
    long[] seq = b.seq;
    if (!keyBefore(route[mid], seq[mid], route[mid - 1], seq[mid - 1])) {
      return;
    }
    long[] data = b.data;
    Object[] payload = b.payload;
    int n = to - from;
    System.arraycopy(route, from, auxRoute, from, n);
    System.arraycopy(seq, from, auxSeq, from, n);
    System.arraycopy(data, from, auxData, from, n);
    System.arraycopy(payload, from, auxPayload, from, n);
    int i = from;
    int j = mid;
    for (int k = from; k < to; k++) {
      int s;
      if (j >= to || (i < mid && !keyBefore(auxRoute[j], auxSeq[j], auxRoute[i], auxSeq[i]))) {
        s = i++;
      } else {
        s = j++;
      }
      route[k] = auxRoute[s];
      seq[k] = auxSeq[s];
      data[k] = auxData[s];
      payload[k] = auxPayload[s];
    }
  }
}
