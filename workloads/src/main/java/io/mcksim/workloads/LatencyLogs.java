package io.mcksim.workloads;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One CPU's {@link LatencyLog}s by syscall name: the first name's log in two fields, any others in two
 * small arrays made when a second name comes, rather than a tree: a CPU makes a few kinds of call (a BSP
 * thread one to three), and a machine has millions of CPUs. Looking a name up walks the names, the same
 * instance first (a program's calls share their name's string).
 */
public final class LatencyLogs {

  private String firstName;
  private LatencyLog firstLog;
  /** The names after the first, and their logs (null until a second name comes). */
  private String[] names;
  private LatencyLog[] logs;
  private int size;

  /** A call of {@code name} took {@code ns}. */
  public void add(String name, long ns) {
    log(name).add(ns);
  }

  private LatencyLog log(String name) {
    if (firstName == name) {
      return firstLog;
    }
    for (int i = 0; i < size; i++) {
      if (names[i] == name) {
        return logs[i];
      }
    }
    if (firstName == null) {
      firstName = name;
      firstLog = new LatencyLog();
      return firstLog;
    }
    if (firstName.equals(name)) {
      return firstLog;
    }
    for (int i = 0; i < size; i++) {
      if (names[i].equals(name)) {
        return logs[i];
      }
    }
    if (names == null) {
      names = new String[1];
      logs = new LatencyLog[1];
    } else if (size == names.length) {
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
    if (firstName != null) {
      out.put(firstName, firstLog);
    }
    for (int i = 0; i < size; i++) {
      out.put(names[i], logs[i]);
    }
    return Collections.unmodifiableMap(out);
  }
}
