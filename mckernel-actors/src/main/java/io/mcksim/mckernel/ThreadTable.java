package io.mcksim.mckernel;

import java.util.Arrays;

/**
 * A process's live threads: thread id to the CPU entity each runs on, in thread-id order, as two
 * sorted int columns. A process of 48 threads on a machine of millions of CPUs keeps 8 bytes per thread
 * here, where a sorted map of boxed ids kept about 70.
 */
final class ThreadTable {

  private int[] tids = new int[2];
  private int[] cpus = new int[2];
  private int size;

  /** Sets the CPU entity of thread {@code tid}. */
  void put(int tid, int cpuEntity) {
    int i = Arrays.binarySearch(tids, 0, size, tid);
    if (i >= 0) {
      cpus[i] = cpuEntity;
      return;
    }
    i = -i - 1;
    if (size == tids.length) {
      tids = Arrays.copyOf(tids, size * 2);
      cpus = Arrays.copyOf(cpus, size * 2);
    }
    System.arraycopy(tids, i, tids, i + 1, size - i);
    System.arraycopy(cpus, i, cpus, i + 1, size - i);
    tids[i] = tid;
    cpus[i] = cpuEntity;
    size++;
  }

  /** Forgets thread {@code tid}, if it is there. */
  void remove(int tid) {
    int i = Arrays.binarySearch(tids, 0, size, tid);
    if (i >= 0) {
      System.arraycopy(tids, i + 1, tids, i, size - i - 1);
      System.arraycopy(cpus, i + 1, cpus, i, size - i - 1);
      size--;
    }
  }

  boolean contains(int tid) {
    return Arrays.binarySearch(tids, 0, size, tid) >= 0;
  }

  /** The CPU entity of thread {@code tid}, which must be there. */
  int cpuOf(int tid) {
    int i = Arrays.binarySearch(tids, 0, size, tid);
    if (i < 0) {
      throw new IllegalStateException("no live thread " + tid);
    }
    return cpus[i];
  }

  /** The lowest live thread id; the table must not be empty. */
  int first() {
    if (size == 0) {
      throw new IllegalStateException("no live thread");
    }
    return tids[0];
  }

  void clear() {
    size = 0;
  }
}
