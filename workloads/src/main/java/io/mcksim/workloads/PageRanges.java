package io.mcksim.workloads;

import java.util.Map;
import java.util.TreeMap;

/**
 * A set of address ranges kept merged: [start, end) pairs that neither overlap nor touch. What a
 * kernel model uses to know which pages of an address space are mapped.
 */
public final class PageRanges {

  private final TreeMap<Long, Long> ranges = new TreeMap<>();

  public void add(long start, long end) {
    if (end <= start) {
      return;
    }
    Map.Entry<Long, Long> before = ranges.floorEntry(start);
    if (before != null && before.getValue() >= start) {
      start = before.getKey();
      end = Math.max(end, before.getValue());
    }
    Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
    while (next != null && next.getKey() <= end) {
      end = Math.max(end, next.getValue());
      ranges.remove(next.getKey());
      next = ranges.ceilingEntry(start);
    }
    ranges.put(start, end);
  }

  public void remove(long start, long end) {
    if (end <= start) {
      return;
    }
    Map.Entry<Long, Long> before = ranges.lowerEntry(start);
    if (before != null && before.getValue() > start) {
      ranges.put(before.getKey(), start);
      if (before.getValue() > end) {
        ranges.put(end, before.getValue());
      }
    }
    Map.Entry<Long, Long> e = ranges.ceilingEntry(start);
    while (e != null && e.getKey() < end) {
      ranges.remove(e.getKey());
      if (e.getValue() > end) {
        ranges.put(end, e.getValue());
      }
      e = ranges.ceilingEntry(start);
    }
  }

  public boolean covers(long start, long end) {
    Map.Entry<Long, Long> e = ranges.floorEntry(start);
    return e != null && e.getValue() >= end;
  }

  public boolean contains(long address) {
    Map.Entry<Long, Long> e = ranges.floorEntry(address);
    return e != null && address < e.getValue();
  }

  /** Bytes covered within [start, end). */
  public long coveredIn(long start, long end) {
    long sum = 0;
    Map.Entry<Long, Long> e = ranges.floorEntry(start);
    if (e == null) {
      e = ranges.ceilingEntry(start);
    }
    while (e != null && e.getKey() < end) {
      sum += Math.max(0, Math.min(end, e.getValue()) - Math.max(start, e.getKey()));
      e = ranges.higherEntry(e.getKey());
    }
    return sum;
  }

  /** The ranges, start to end, lowest first; a read-only view. */
  public java.util.NavigableMap<Long, Long> ranges() {
    return java.util.Collections.unmodifiableNavigableMap(ranges);
  }

  public void clear() {
    ranges.clear();
  }

  public long total() {
    long sum = 0;
    for (Map.Entry<Long, Long> e : ranges.entrySet()) {
      sum += e.getValue() - e.getKey();
    }
    return sum;
  }
}
