package io.mcksim.mckernel;

import java.util.Arrays;
import java.util.List;

/**
 * A set of CPU entities, ascending, as one sorted int column: the CPUs a process's threads run on. A
 * process of 48 threads on a machine of millions of CPUs keeps 4 bytes per CPU here, where a sorted set
 * of boxed ids kept about 56.
 */
final class CpuSet {

  private int[] cpus = new int[2];
  private int size;

  /** Adds {@code cpu}, if it is not there yet. */
  void add(int cpu) {
    int i = Arrays.binarySearch(cpus, 0, size, cpu);
    if (i >= 0) {
      return;
    }
    i = -i - 1;
    if (size == cpus.length) {
      cpus = Arrays.copyOf(cpus, size * 2);
    }
    System.arraycopy(cpus, i, cpus, i + 1, size - i);
    cpus[i] = cpu;
    size++;
  }

  /** Adds every one of {@code all}. */
  void addAll(List<Integer> all) {
    if (cpus.length < size + all.size()) {
      cpus = Arrays.copyOf(cpus, size + all.size());
    }
    for (int cpu : all) {
      add(cpu);
    }
  }

  void clear() {
    size = 0;
  }

  int size() {
    return size;
  }

  /** The {@code i}-th CPU, ascending. */
  int get(int i) {
    return cpus[i];
  }
}
