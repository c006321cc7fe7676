package io.mcksim.workloads.strace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The first {@code limit} items of a stream, and how many there were in all: what a report lists of
 * something that may happen on every line of a large input, in memory that does not grow with it.
 */
public final class Capped<T> {

  private final int limit;
  private final List<T> first = new ArrayList<>();
  private long count;

  public Capped(int limit) {
    this.limit = limit;
  }

  public void add(T item) {
    count++;
    if (first.size() < limit) {
      first.add(item);
    }
  }

  /** The first items, at most the limit, in the order they came. */
  public List<T> first() {
    return Collections.unmodifiableList(first);
  }

  /** How many items came, kept or not. */
  public long count() {
    return count;
  }

  public boolean isEmpty() {
    return count == 0;
  }

  /** How many came beyond those kept. */
  public long more() {
    return count - first.size();
  }
}
