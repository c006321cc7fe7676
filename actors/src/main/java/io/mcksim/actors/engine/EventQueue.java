package io.mcksim.actors.engine;

import java.util.Arrays;

/**
 * The engines' event queue: a radix heap on time with 8-bit digits (a ladder of 8 rungs of 256
 * buckets, one rung per byte of the time), whose buckets are lists of fixed chunks of primitive
 * columns, and the events being popped (the run: one instant, or a few instants of a small bucket) sorted
 * once by the total order. It pops in exactly the order of {@link EventHeap} (time, target, source,
 * sequence number), ties included, and holds each event in one place, moved as a whole: no slot
 * indirection, no object per event.
 *
 * <p>Let {@code last} be the latest time in the run being popped. An event later than {@code last} lies
 * in rung {@code d}, where byte {@code d} is the highest byte in which its time differs from
 * {@code last}, and in that rung's bucket {@code v}, its time's byte {@code d}. Every event of a lower
 * rung is earlier than every event of a higher one, and within a rung the buckets are in time order; a
 * bucket of rung 0 is a single instant. A push appends to its bucket, O(1), touching only the end of
 * its last chunk. When the run is used up, the first non-empty bucket of the lowest non-empty rung is
 * taken and read once, front to back: its earliest time becomes {@code last}, the events at that time
 * go into the run's columns and the others to lower rungs (a bucket of rung 0 moves whole into the
 * run). A bucket of a higher rung that holds at most {@value #WHOLE} events moves whole into the run
 * instead, and its latest time becomes {@code last}: a domain's few events spread over a span of time
 * (a node's IKC packets and credits) then move once, not once per rung on their way down to single
 * instants. That keeps the rungs' invariant: every other bucketed event lies in a later bucket of the
 * same rung or in a higher rung, so it is later than every event of the taken bucket. The run is then
 * sorted by the full key. An event moves at most once per byte of its distance in time, and once into
 * the run, every move a sequential read and an append: the queue has the locality that a binary heap
 * of millions of events lacks (each of its pops walks a path of cache misses).
 *
 * <p>An event pushed at or before {@code last} (inside the run's span, at the instant being popped as
 * a zero-delay send to oneself, or earlier, which the engines never do but the queue allows) goes to a
 * small {@link EventHeap} that is merged with the run by the full key, so the order is exact for any
 * sequence of pushes and pops.
 *
 * <p>A bucket grows by chunks and never copies what it holds: its first chunk holds {@value #FIRST}
 * events, every later one {@value #CHUNK}, so that a queue of many sparse buckets (a node's domain, whose
 * few dozen events lie at as many instants) keeps a few hundred bytes per bucket rather than a large
 * chunk's 4 KB. Emptied chunks go back to the queue's pool of their size, which keeps at most as many as
 * the queue has ever had of that size in use at once (and {@value #KEEP_CHUNKS} for any queue): a queue
 * whose buckets swell and drain reuses its chunks instead of allocating new ones every time (a domain's
 * queue of a few ten thousand events spread over hundreds of single-instant buckets had allocated a chunk
 * for most of them), and a small one stays small.
 *
 * <p>{@link #pop()} moves the minimum into the {@code top*} fields, which stay valid until the next pop.
 */
final class EventQueue {

  /** Bits per digit of the time, and so buckets per rung ({@code 1 << DIGIT}). */
  private static final int DIGIT = 8;
  private static final int WIDTH = 1 << DIGIT;
  /** Rungs: one per digit of a 64-bit time. */
  private static final int RUNGS = 64 / DIGIT;
  /** Events in a bucket's first chunk. */
  private static final int FIRST = 8;
  /** Events in each later chunk of a bucket. */
  private static final int CHUNK = 128;
  /** Chunks the pool may keep whatever the queue's use of them. */
  private static final int KEEP_CHUNKS = 32;
  /**
   * A bucket above rung 0 with at most this many events moves whole into the run, sorted, instead of
   * splitting into its first instant and lower rungs.
   */
  private static final int WHOLE = 64;
  /** Below this many events a run is sorted by insertion. */
  private static final int INSERTION_SORT = 24;

  /** The buckets, rung by rung ({@code WIDTH * rung + digit}); null when empty. */
  private final Bucket[] buckets = new Bucket[RUNGS * WIDTH];
  /** Per rung, {@code WIDTH / 64} words: bit {@code v} is set when bucket {@code v} holds an event. */
  private final long[] occupied = new long[RUNGS * WIDTH / 64];
  /** Bit {@code d} is set when rung {@code d} holds an event. */
  private int rungs;
  /** Emptied buckets, for reuse (a bucket without its chunks is a few fields). */
  private Bucket freeBuckets;
  /** Emptied chunks for reuse: buckets' first chunks, and their later ones. */
  private final ChunkPool firsts = new ChunkPool(FIRST);
  private final ChunkPool later = new ChunkPool(CHUNK);
  /** The latest time of the current run; -1 before the first, so that every time {@code >= 0} has a bucket. */
  private long last = -1;
  private int size;

  /**
   * The current run's events in key order (time, route, sequence number), from {@code runPos} to
   * {@code runCount}: one set of columns, grown to the largest run and reused.
   */
  private long[] runTime = new long[16];
  private long[] runRoute = new long[16];
  private long[] runSeq = new long[16];
  private long[] runData = new long[16];
  private Object[] runPayload = new Object[16];
  private int runCount;
  private int runPos;
  /** Scratch columns for sorting a run; made on first need, as large as the largest run sorted. */
  private long[] auxTime;
  private long[] auxRoute;
  private long[] auxSeq;
  private long[] auxData;
  private Object[] auxPayload;

  /** Events pushed at or before {@code last}, merged with the run by the full key. */
  private final EventHeap side = new EventHeap(4);

  long topTime;
  int topTarget;
  int topSource;
  long topSeq;
  long topData;
  Object topPayload;

  /**
   * A fixed block of a bucket's events: each event's four words side by side (time, route, sequence
   * number, data; route is target:32 | source:32), so that an append or a move touches one place of one
   * array rather than one of each of four, and the payloads in their own array, made only when the
   * chunk first holds one (most events carry none).
   */
  private static final class Chunk {
    final long[] words;
    /** Events it holds when full. */
    final int capacity;
    Object[] payload;
    /** Does {@link #payload} hold a reference now (to be cleared when the chunk is emptied)? */
    boolean payloads;
    Chunk next;

    Chunk(int capacity) {
      this.capacity = capacity;
      this.words = new long[capacity * WORDS];
    }
  }

  /**
   * Emptied chunks of one size, the most recently emptied first. It keeps at most as many as there have
   * ever been in use at once (or {@link #KEEP_CHUNKS}).
   */
  private static final class ChunkPool {
    final int capacity;
    Chunk free;
    int freeCount;
    /** Chunks of this size in buckets now, and the most there have been at once. */
    int inUse;
    int peak;

    ChunkPool(int capacity) {
      this.capacity = capacity;
    }

    Chunk take() {
      Chunk c = free;
      if (c == null) {
        c = new Chunk(capacity);
      } else {
        free = c.next;
        c.next = null;
        freeCount--;
      }
      if (++inUse > peak) {
        peak = inUse;
      }
      return c;
    }

    void give(Chunk c) {
      inUse--;
      if (freeCount < Math.max(peak, KEEP_CHUNKS)) {
        c.next = free;
        free = c;
        freeCount++;
      } else {
        c.next = null;
      }
    }

    void trim() {
      free = null;
      freeCount = 0;
      peak = inUse;
    }
  }

  /** Words per event in a chunk. */
  private static final int WORDS = 4;

  /** One bucket: its events in append order, in a list of chunks; appending never copies. */
  private static final class Bucket {
    Chunk head;
    Chunk tail;
    /** Events in the tail chunk. */
    int tailCount;
    /** Events it holds. */
    int count;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    /** The next free bucket, while pooled. */
    Bucket nextFree;
  }

  /** Gives back the spare room kept for reuse: the pooled chunks and the run's grown columns. */
  void trim() {
    firsts.trim();
    later.trim();
    freeBuckets = null;
    auxTime = null;
    auxRoute = null;
    auxSeq = null;
    auxData = null;
    auxPayload = null;
    if (runPos == runCount && runRoute.length > 16) {
      runTime = new long[16];
      runRoute = new long[16];
      runSeq = new long[16];
      runData = new long[16];
      runPayload = new Object[16];
      runPos = 0;
      runCount = 0;
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
    if (runPos == runCount) {
      if (!side.isEmpty()) {
        return side.minTime();
      }
      if (!refill()) {
        return Long.MAX_VALUE;
      }
    }
    return Math.min(runTime[runPos], side.minTime());
  }

  void push(long t, int target, int source, long sq, long d, Object p) {
    size++;
    if (t <= last) {
      side.push(t, target, source, sq, d, p);
      return;
    }
    append(bucketFor(t, last), t, ((long) target << 32) | (source & 0xFFFFFFFFL), sq, d, p);
  }

  /** Removes the earliest event into the {@code top*} fields; only when not empty. */
  void pop() {
    if (runPos == runCount && side.isEmpty()) {
      refill();
    }
    size--;
    if (!side.isEmpty() && (runPos == runCount || sideFirst())) {
      side.pop();
      topTime = side.topTime;
      topTarget = side.topTarget;
      topSource = side.topSource;
      topSeq = side.topSeq;
      topData = side.topData;
      topPayload = side.topPayload;
      return;
    }
    int i = runPos++;
    long route = runRoute[i];
    topTime = runTime[i];
    topTarget = (int) (route >>> 32);
    topSource = (int) route;
    topSeq = runSeq[i];
    topData = runData[i];
    topPayload = runPayload[i];
    runPayload[i] = null;
  }

  /** Is the side heap's earliest event before the run's next one? Both exist. */
  private boolean sideFirst() {
    long t = side.minTime();
    long runT = runTime[runPos];
    if (t != runT) {
      return t < runT;
    }
    long r = side.peekRoute();
    long runR = runRoute[runPos];
    if (r != runR) {
      return r < runR;
    }
    return side.peekSeq() < runSeq[runPos];
  }

  /** The bucket of an event at {@code t > base} when {@code last} is {@code base}; made if needed. */
  private Bucket bucketFor(long t, long base) {
    int rung = (63 - Long.numberOfLeadingZeros(t ^ base)) / DIGIT;
    int index = WIDTH * rung + ((int) (t >>> (DIGIT * rung)) & (WIDTH - 1));
    Bucket b = buckets[index];
    if (b == null) {
      b = freeBuckets;
      if (b == null) {
        b = new Bucket();
      } else {
        freeBuckets = b.nextFree;
        b.nextFree = null;
      }
      buckets[index] = b;
      occupied[index >>> 6] |= 1L << index;
      rungs |= 1 << rung;
    }
    return b;
  }

  /** Appends an event to {@code b}, opening a chunk when its last one is full. */
  private void append(Bucket b, long t, long r, long sq, long d, Object p) {
    Chunk c = b.tail;
    int i = b.tailCount;
    if (c == null || i == c.capacity) {
      Chunk fresh;
      if (c == null) {
        fresh = firsts.take();
        b.head = fresh;
      } else {
        fresh = later.take();
        c.next = fresh;
      }
      b.tail = fresh;
      c = fresh;
      i = 0;
    }
    long[] w = c.words;
    int at = WORDS * i;
    w[at] = t;
    w[at + 1] = r;
    w[at + 2] = sq;
    w[at + 3] = d;
    if (p != null) {
      if (c.payload == null) {
        c.payload = new Object[c.capacity];
      }
      c.payload[i] = p;
      c.payloads = true;
    }
    b.tailCount = i + 1;
    b.count++;
    if (t < b.min) {
      b.min = t;
    }
    if (t > b.max) {
      b.max = t;
    }
  }

  /**
   * Makes the earliest bucketed instant (or small bucket) the current run. False if no bucket holds an
   * event. Only when the run is used up and the side heap is empty.
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
    runPos = 0;
    runCount = 0;
    // one instant (rung 0), or a few events over a span of time: all of them, sorted, rather than one
    // instant and the rest a rung down; what is pushed up to the latest of them is merged from the side
    // heap
    boolean whole = rung == 0 || from.count <= WHOLE;
    last = whole ? from.max : from.min;
    split(from, whole);
    release(from);
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

  /**
   * Moves the events of {@code from} into the run, front to back, chunk by chunk: all of them when
   * {@code whole}, else those at {@code last} (its earliest time), the others to lower rungs.
   */
  private void split(Bucket from, boolean whole) {
    long m = last;
    for (Chunk c = from.head; c != null; c = c.next) {
      int n = c == from.tail ? from.tailCount : c.capacity;
      long[] w = c.words;
      Object[] payload = c.payloads ? c.payload : null;
      for (int i = 0, at = 0; i < n; i++, at += WORDS) {
        long t = w[at];
        Object p = payload == null ? null : payload[i];
        if (whole || t == m) {
          toRun(t, w[at + 1], w[at + 2], w[at + 3], p);
        } else {
          append(bucketFor(t, m), t, w[at + 1], w[at + 2], w[at + 3], p);
        }
      }
      if (payload != null) {
        Arrays.fill(payload, 0, n, null);
        c.payloads = false;
      }
    }
  }

  /** Appends an event to the run's columns, which grow to the largest run and stay. */
  private void toRun(long t, long r, long sq, long d, Object p) {
    int i = runCount;
    if (i == runRoute.length) {
      int capacity = 2 * i;
      runTime = Arrays.copyOf(runTime, capacity);
      runRoute = Arrays.copyOf(runRoute, capacity);
      runSeq = Arrays.copyOf(runSeq, capacity);
      runData = Arrays.copyOf(runData, capacity);
      runPayload = Arrays.copyOf(runPayload, capacity);
    }
    runTime[i] = t;
    runRoute[i] = r;
    runSeq[i] = sq;
    runData[i] = d;
    runPayload[i] = p;
    runCount = i + 1;
  }

  /**
   * Empties {@code b} (its payloads already cleared): the bucket and its chunks go back for reuse, each
   * chunk to the pool of its size ({@link ChunkPool}), so a queue whose buckets swell and drain (every
   * thread of a BSP machine at an iteration's start, a domain's many single-instant buckets) reuses its
   * chunks instead of allocating new ones, and its spare room stays within what it once used.
   */
  private void release(Bucket b) {
    Chunk c = b.head;
    while (c != null) {
      Chunk next = c.next;
      (c.capacity == FIRST ? firsts : later).give(c);
      c = next;
    }
    b.head = null;
    b.tail = null;
    b.tailCount = 0;
    b.count = 0;
    b.min = Long.MAX_VALUE;
    b.max = Long.MIN_VALUE;
    b.nextFree = freeBuckets;
    freeBuckets = b;
  }

  /**
   * Sorts the run by (time, route, sequence number), unless it already is (events often come in
   * order).
   */
  private void sortRun() {
    int n = runCount;
    long[] time = runTime;
    long[] route = runRoute;
    long[] seq = runSeq;
    for (int i = 1; i < n; i++) {
      if (keyBefore(time[i], route[i], seq[i], time[i - 1], route[i - 1], seq[i - 1])) {
        if (n <= INSERTION_SORT) {
          insertionSort(0, n);
          return;
        }
        if (auxRoute == null || auxRoute.length < n) {
          auxTime = new long[n];
          auxRoute = new long[n];
          auxSeq = new long[n];
          auxData = new long[n];
          auxPayload = new Object[n];
        }
        mergeSort(0, n);
        Arrays.fill(auxPayload, 0, n, null);
        return;
      }
    }
  }

  private static boolean keyBefore(long t1, long r1, long s1, long t2, long r2, long s2) {
    return t1 != t2 ? t1 < t2 : r1 != r2 ? r1 < r2 : s1 < s2;
  }

  private void insertionSort(int from, int to) {
    long[] time = runTime;
    long[] route = runRoute;
    long[] seq = runSeq;
    long[] data = runData;
    Object[] payload = runPayload;
    for (int i = from + 1; i < to; i++) {
      long t = time[i];
      long r = route[i];
      long sq = seq[i];
      if (!keyBefore(t, r, sq, time[i - 1], route[i - 1], seq[i - 1])) {
        continue;
      }
      long d = data[i];
      Object p = payload[i];
      int j = i;
      do {
        time[j] = time[j - 1];
        route[j] = route[j - 1];
        seq[j] = seq[j - 1];
        data[j] = data[j - 1];
        payload[j] = payload[j - 1];
        j--;
      } while (j > from && keyBefore(t, r, sq, time[j - 1], route[j - 1], seq[j - 1]));
      time[j] = t;
      route[j] = r;
      seq[j] = sq;
      data[j] = d;
      payload[j] = p;
    }
  }

  /** Sorts {@code [from, to)} of the run by key through the scratch columns (stable). */
  private void mergeSort(int from, int to) {
    if (to - from <= INSERTION_SORT) {
      insertionSort(from, to);
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(from, mid);
    mergeSort(mid, to);
    long[] time = runTime;
    long[] route = runRoute;
    long[] seq = runSeq;
    if (!keyBefore(time[mid], route[mid], seq[mid], time[mid - 1], route[mid - 1], seq[mid - 1])) {
      return;
    }
    long[] data = runData;
    Object[] payload = runPayload;
    int n = to - from;
    System.arraycopy(time, from, auxTime, from, n);
    System.arraycopy(route, from, auxRoute, from, n);
    System.arraycopy(seq, from, auxSeq, from, n);
    System.arraycopy(data, from, auxData, from, n);
    System.arraycopy(payload, from, auxPayload, from, n);
    int i = from;
    int j = mid;
    for (int k = from; k < to; k++) {
      int s;
      if (j >= to || (i < mid
          && !keyBefore(auxTime[j], auxRoute[j], auxSeq[j], auxTime[i], auxRoute[i], auxSeq[i]))) {
        s = i++;
      } else {
        s = j++;
      }
      time[k] = auxTime[s];
      route[k] = auxRoute[s];
      seq[k] = auxSeq[s];
      data[k] = auxData[s];
      payload[k] = auxPayload[s];
    }
  }
}
