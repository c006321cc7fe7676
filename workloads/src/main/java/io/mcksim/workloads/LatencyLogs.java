package io.mcksim.workloads;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One CPU's {@link LatencyLog}s by syscall name, in two small arrays rather than a tree: a CPU makes a
 * few kinds of call (a BSP thread two or three), and a machine has millions of CPUs. Looking a name up
 * walks the names, the same instance first (a program's calls share their name's string).
 */
public final class LatencyLogs {

  private String[] names = new String[1];
  private LatencyLog[] logs = new LatencyLog[1];
  private int size;

  /** A call of {@code name} took {@code ns}. */
  public void add(String name, long ns) {
    log(name).add(ns);
  }

  private LatencyLog log(String name) {
    for (int i = 0; i < size; i++) {
      if (names[i] == name) {
        return logs[i];
      }
    }
    for (int i = 0; i < size; i++) {
      if (names[i].equals(name)) {
        return logs[i];
      }
    }
    if (size == names.length) {
      names = Arrays.copyOf(names, size * 2);
      logs = Arrays.copyOf(logs, size * 2);
    }
    names[size] = name;
    logs[size] = new LatencyLog();
    return logs[size++];
  }

  /** The logs by name, in name order (read only). */
  public Map<String, LatencyLog> asMap() {
    Map<String, LatencyLog> out = new TreeMap<>();
    for (int i = 0; i < size; i++) {
      out.put(names[i], logs[i]);
    }
    return Collections.unmodifiableMap(out);
  }
}
